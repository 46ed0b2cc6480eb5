package io.github.autodeploy.examples.springboot;

import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.port.Notice;
import io.github.autodeploy.core.port.Notifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application's own notifier: the starter adds every {@link Notifier} bean to the robot (beside
 * Slack, when configured). It keeps the last notices and serves them at {@code /notices}. Thread-safe.
 */
@Component
@RestController
public class RecentNotices implements Notifier {
    static final int KEPT = 50;
    private final Deque<String> lines = new ArrayDeque<>();

    @Override
    public synchronized void notify(Notice notice) {
        lines.addFirst(notice.kind() + " " + notice.repository() + " " + notice.environment() + " " + notice.sha().map(CommitSha::abbreviated).orElse("-"));
        while (lines.size() > KEPT) {
            lines.removeLast();
        }
    }

    /** The newest notices first, one line each. */
    @GetMapping("/notices")
    public synchronized List<String> recent() {
        return List.copyOf(lines);
    }
}
