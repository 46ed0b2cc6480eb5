package io.github.autodeploy.testkit;

import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.port.Notifier;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Notifier} must do: take every kind of notice and deliver it. To check a notifier,
 * extend this class in a JUnit 5 test, implement {@link #notifier()}, and make {@link #awaitDelivered}
 * wait, with a bound (Awaitility's {@code await().atMost(...)}), until the notices arrived where it
 * delivers them (a file, a MockWebServer). That {@code notify} never waits for the service is each
 * adapter's own test (a hanging service, a finished lane). Not thread-safe (one instance per test).
 */
public abstract class NotifierContract {

    /** The notifier under test. */
    protected abstract Notifier notifier();

    /** Waits (with a bound) until {@code count} notices have arrived where this notifier delivers. */
    protected abstract void awaitDelivered(int count);

    @Test
    void deliversEveryKindOfNotice() {
        Notifier n = notifier();
        for (NotificationKind kind : NotificationKind.values()) {
            n.notify(Values.notice(kind));
        }
        awaitDelivered(NotificationKind.values().length);
    }
}
