package io.github.autodeploy.testkit;

import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.port.Notice;
import io.github.autodeploy.core.port.Notifier;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Notifier} for tests that keeps every notice; can be told to throw instead, as a broken
 * notifier would. Thread-safe.
 */
public final class RecordingNotifier implements Notifier {
    private final List<Notice> notices = new ArrayList<>();
    private volatile boolean failing;

    @Override
    public void notify(Notice notice) {
        synchronized (this) {
            notices.add(notice);
        }
        if (failing) {
            throw new IllegalStateException("notifier is broken");
        }
    }

    public void failing(boolean failing) {
        this.failing = failing;
    }

    public synchronized List<Notice> notices() {
        return List.copyOf(notices);
    }

    public synchronized List<NotificationKind> kinds() {
        return notices.stream().map(Notice::kind).toList();
    }
}
