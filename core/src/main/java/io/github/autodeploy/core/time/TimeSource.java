package io.github.autodeploy.core.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where the robot reads the time: wall time for what people and GitHub see, monotonic time for
 * measuring durations, and the yardstick for delayed work. Production uses {@link #system()}, the
 * only code that reads the system clock; tests pass a source they move by hand, so that timeouts,
 * retries and polls happen when the test says. Implementations are thread-safe.
 */
public interface TimeSource {
    /** The current wall-clock instant. */
    Instant now();

    /** Monotonic nanoseconds for measuring elapsed time; only differences mean anything. */
    long nanoTime();

    /**
     * Runs {@code task} on {@code executor} once {@code delay} has passed on this source. No thread
     * waits in the meantime. The system source uses the executor's own timer; a hand-moved source runs
     * the task when it is moved past the due time.
     *
     * @return a handle to cancel the task before it runs
     * @throws RejectedExecutionException when the executor has been shut down
     */
    default Future<?> schedule(ScheduledExecutorService executor, Duration delay, Runnable task) {
        return executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** This source's wall time as a UTC {@link Clock}, for APIs that take one. */
    default Clock asClock() {
        TimeSource source = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return source.now();
            }
        };
    }

    /** The system's clocks: {@link Instant#now()} and {@link System#nanoTime()}. */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }
}
