package io.github.autodeploy.core.time;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * How long to wait before trying a failed call again: exponential backoff from {@code floor},
 * doubling per failure up to {@code cap}, spread by {@code jitter} so that many callers do not retry
 * in step, and never shorter than a delay the service asked for (a {@code Retry-After}). It says how
 * long, not how often: whoever retries decides when to give up, and waits on its own scheduler, not
 * on a sleeping thread. Immutable and thread-safe.
 *
 * @param floor the first delay, and the least any delay is
 * @param cap the longest delay this policy picks by itself; a longer delay the service asked for still wins
 * @param jitter how far a delay may stray from the doubling, as a fraction: 0.2 spreads it by ±20%
 */
public record RetryPolicy(Duration floor, Duration cap, double jitter) {
    public RetryPolicy {
        if (floor == null || cap == null || floor.isNegative() || floor.isZero() || cap.compareTo(floor) < 0) {
            throw new IllegalArgumentException("a retry policy needs 0 < floor <= cap, got floor " + floor + " and cap " + cap);
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("retry jitter is a fraction in [0, 1), got " + jitter);
        }
    }

    /** One second, doubling up to five minutes, ±20%. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(5), 0.2);
    }

    /** Backoff from {@code floor} to {@code cap} with the default ±20% jitter. */
    public static RetryPolicy of(Duration floor, Duration cap) {
        return new RetryPolicy(floor, cap, 0.2);
    }

    /**
     * The wait after the {@code failures}-th failure in a row (1 for the first).
     *
     * @param serverDelay how long the service asked to wait, if it did; the result is never shorter
     */
    public Duration delay(int failures, Optional<Duration> serverDelay) {
        return delay(failures, serverDelay, ThreadLocalRandom.current());
    }

    /** {@link #delay(int, Optional)} with the jitter drawn from {@code random}. */
    public Duration delay(int failures, Optional<Duration> serverDelay, RandomGenerator random) {
        if (failures < 1) {
            throw new IllegalArgumentException("a delay is for after a failure; failures must be at least 1, got " + failures);
        }
        long floorNanos = floor.toNanos();
        long capNanos = cap.toNanos();
        int doublings = Math.min(failures - 1, 62);
        long base = floorNanos > capNanos >> doublings ? capNanos : floorNanos << doublings;
        double spread = 1 - jitter + 2 * jitter * random.nextDouble();
        long jittered = Math.max(floorNanos, Math.min(capNanos, (long) (base * spread)));
        Duration ours = Duration.ofNanos(jittered);
        return serverDelay.filter(asked -> asked.compareTo(ours) > 0).orElse(ours);
    }
}
