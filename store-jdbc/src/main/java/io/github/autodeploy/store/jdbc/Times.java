package io.github.autodeploy.store.jdbc;

import io.github.autodeploy.core.AutodeployException;
import java.time.Instant;

/** Instants as the store's BIGINT nanoseconds since the epoch, exactly. Stateless. */
final class Times {
    private static final long NANOS = 1_000_000_000L;

    private Times() {
    }

    static long toNanos(Instant at) {
        try {
            return Math.addExact(Math.multiplyExact(at.getEpochSecond(), NANOS), at.getNano());
        } catch (ArithmeticException e) {
            throw new AutodeployException("time " + at + " is outside what the store keeps (years 1677 to 2262)", e);
        }
    }

    static Instant fromNanos(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS), Math.floorMod(nanos, NANOS));
    }
}
