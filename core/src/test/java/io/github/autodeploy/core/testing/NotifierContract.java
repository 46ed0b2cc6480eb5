package io.github.autodeploy.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.config.NotificationKind;
import io.github.autodeploy.core.port.Notifier;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What every {@link Notifier} must do: take every kind of notice, quickly, and deliver it. */
public abstract class NotifierContract {

    protected abstract Notifier notifier();

    /** Waits (with a bound) until {@code count} notices have arrived where this notifier delivers. */
    protected abstract void awaitDelivered(int count);

    @Test
    void takesEveryKindOfNoticeWithoutBlocking() {
        Notifier n = notifier();
        long start = System.nanoTime();
        for (NotificationKind kind : NotificationKind.values()) {
            n.notify(Values.notice(kind));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        awaitDelivered(NotificationKind.values().length);
        // Generous: only a notifier that waits on the network inside notify() gets near it.
        assertThat(took).isLessThan(Duration.ofSeconds(5));
    }
}
