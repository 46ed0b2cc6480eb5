package io.github.autodeploy.slack;

import java.util.function.LongSupplier;

/**
 * Spaces messages to one webhook: {@code burst} at once, then {@code perSecond}. Slack allows about
 * one message per second per webhook. Written here rather than taken from Guava because Guava's
 * RateLimiter offers no public way to set the burst, and this one answers "how long to wait" without
 * blocking, which lets one delivery thread serve every webhook. Not thread-safe; the delivery thread owns it.
 */
final class TokenBucket {
    private final double perNano;
    private final double burst;
    private final LongSupplier nanos;
    private double tokens;
    private long last;

    TokenBucket(double perSecond, int burst, LongSupplier nanos) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.nanos = nanos;
        this.tokens = burst;
        this.last = nanos.getAsLong();
    }

    /** Nanoseconds to wait before the next message may go; takes its token when that is 0. */
    long take() {
        long wait = waitNanos();
        if (wait == 0) {
            tokens -= 1;
        }
        return wait;
    }

    /** Nanoseconds to wait before the next message may go, taking nothing. */
    long waitNanos() {
        long now = nanos.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / perNano);
    }
}
