package io.github.autodeploy.core.time;

import java.time.Clock;
import java.time.Instant;

/** The default time source, and the one place in the code base that reads the system clock. Thread-safe. */
enum SystemTimeSource implements TimeSource {
    INSTANCE;

    private static final Clock UTC = Clock.systemUTC();

    @Override
    public Instant now() {
        return UTC.instant();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Clock asClock() {
        return UTC;
    }

    @Override
    public String toString() {
        return "TimeSource.system()";
    }
}
