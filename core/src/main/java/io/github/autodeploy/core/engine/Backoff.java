package io.github.autodeploy.core.engine;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter and a bounded number of attempts; a hint from the service (a
 * {@code Retry-After}) wins when it is longer. Immutable and thread-safe.
 *
 * @param attempts how many times a call is made at most, the first included
 */
public record Backoff(Duration initial, Duration max, int attempts) {
    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || attempts < 1) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max and at least one attempt");
        }
    }

    /** One second, doubling up to five minutes, ten attempts (about fifteen minutes in all). */
    public static Backoff defaults() {
        return new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), 10);
    }

    /** The wait before attempt {@code attempt + 1}, after {@code attempt} failures (1-based). */
    Duration delay(int attempt, Optional<Duration> hint) {
        long base = initial.toMillis() << Math.min(attempt - 1, 30);
        long capped = Math.min(Math.max(base, initial.toMillis()), max.toMillis());
        long jittered = (long) (capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        long wait = Math.max(jittered, hint.map(Duration::toMillis).orElse(0L));
        return Duration.ofMillis(wait);
    }
}
