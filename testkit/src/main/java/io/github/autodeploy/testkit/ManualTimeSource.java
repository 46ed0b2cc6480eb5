package io.github.autodeploy.testkit;

import io.github.autodeploy.core.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A time source tests move by hand: wall and monotonic time stand still until {@link #advance}, and
 * work scheduled on it runs (on the executor it was scheduled on) once time has been moved past its
 * due time, so retries, polls and deadlines happen exactly when a test says. Thread-safe.
 */
public final class ManualTimeSource implements TimeSource {
    private final Instant start;
    private long elapsedNanos;
    private long sequence;
    private final PriorityQueue<Due> due = new PriorityQueue<>();

    private record Due(long atNanos, long order, ScheduledExecutorService executor, Runnable task,
                       CompletableFuture<Void> handle) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            return atNanos != o.atNanos ? Long.compare(atNanos, o.atNanos) : Long.compare(order, o.order);
        }
    }

    public ManualTimeSource(Instant start) {
        this.start = start;
    }

    public static ManualTimeSource at(String instant) {
        return new ManualTimeSource(Instant.parse(instant));
    }

    @Override
    public synchronized Instant now() {
        return start.plusNanos(elapsedNanos);
    }

    @Override
    public synchronized long nanoTime() {
        return elapsedNanos;
    }

    @Override
    public Future<?> schedule(ScheduledExecutorService executor, Duration delay, Runnable task) {
        if (executor.isShutdown()) {
            throw new RejectedExecutionException("executor is shut down");
        }
        CompletableFuture<Void> handle = new CompletableFuture<>();
        boolean now;
        synchronized (this) {
            long at = elapsedNanos + Math.max(0, delay.toNanos());
            now = at <= elapsedNanos;
            if (!now) {
                due.add(new Due(at, sequence++, executor, task, handle));
            }
        }
        if (now) {
            run(new Due(0, 0, executor, task, handle));
        }
        return handle;
    }

    /** Moves time forward and hands every task that has come due to its executor, earliest first. */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time only moves forward, not by " + d);
        }
        List<Due> ready = new ArrayList<>();
        synchronized (this) {
            elapsedNanos += d.toNanos();
            while (!due.isEmpty() && due.peek().atNanos() <= elapsedNanos) {
                ready.add(due.poll());
            }
        }
        ready.forEach(ManualTimeSource::run);
    }

    /** Tasks scheduled and neither run nor cancelled yet. */
    public synchronized int waitingTasks() {
        due.removeIf(t -> t.handle().isCancelled());
        return due.size();
    }

    private static void run(Due t) {
        if (t.handle().isCancelled()) {
            return;
        }
        try {
            t.executor().execute(() -> {
                if (t.handle().isCancelled()) {
                    return;
                }
                try {
                    t.task().run();
                } finally {
                    t.handle().complete(null);
                }
            });
        } catch (RejectedExecutionException e) {
            t.handle().cancel(false);
        }
    }
}
