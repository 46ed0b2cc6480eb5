package io.github.autodeploy.core.testing;

import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.port.Notifier;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Notifier} must do: take every kind of notice and deliver it. That {@code notify}
 * never waits for the service is each adapter's own test (a hanging service, a finished lane).
 */
public abstract class NotifierContract {

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
