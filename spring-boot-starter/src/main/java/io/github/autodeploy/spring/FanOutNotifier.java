package io.github.autodeploy.spring;

import io.github.autodeploy.core.port.Notice;
import io.github.autodeploy.core.port.Notifier;
import java.util.List;
import java.util.Optional;

/**
 * Tells the application's own notifiers (its {@link Notifier} beans) and the one its configuration
 * gives (Slack, when {@code slack.webhook_url} is set) about every notice; one that throws does not
 * keep the others from hearing it (its failure reaches the engine afterwards). The configured one is known only once the robot is assembled, so
 * it is set then, before the robot handles anything. Thread-safe.
 */
final class FanOutNotifier implements Notifier {
    private final List<Notifier> application;
    private volatile Optional<? extends Notifier> configured = Optional.empty();

    FanOutNotifier(List<Notifier> application) {
        this.application = List.copyOf(application);
    }

    void configured(Optional<? extends Notifier> notifier) {
        this.configured = notifier;
    }

    /** Tells each; the first failure is thrown after all were told, for the engine to log as it logs a notifier's. */
    @Override
    public void notify(Notice notice) {
        RuntimeException first = null;
        for (Notifier n : all()) {
            try {
                n.notify(notice);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private List<Notifier> all() {
        Optional<? extends Notifier> c = configured;
        if (c.isEmpty()) {
            return application;
        }
        List<Notifier> all = new java.util.ArrayList<>(application.size() + 1);
        all.add(c.get());
        all.addAll(application);
        return all;
    }
}
