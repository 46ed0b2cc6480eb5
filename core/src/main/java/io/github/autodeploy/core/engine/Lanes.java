package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.core.time.TimeSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One queue per repository and environment, each run by at most one worker at a time, so a lane's
 * deployments never overlap while lanes run in parallel up to the worker pool's size. The total of
 * waiting deployments is bounded. Thread-safe: the monitor guards every lane.
 */
final class Lanes {
    private static final Logger LOG = LoggerFactory.getLogger(Lanes.class);
    private final int capacity;
    private final ExecutorService workers;
    private final DeploymentStore store;
    private final TimeSource time;
    private final Consumer<Job> worker;
    private final Map<String, Lane> lanes = new HashMap<>();
    private int waiting;
    private boolean intakeClosed;
    private boolean stopped;

    private static final class Lane {
        final String key;
        final Deque<Job> queue = new ArrayDeque<>();
        Job running;
        boolean scheduled;

        Lane(String key) {
            this.key = key;
        }
    }

    /** What became of an enqueued job. */
    sealed interface Outcome {
        /** Queued; {@code superseded} are older waiting jobs it replaces, already removed. */
        record Queued(List<Job> superseded) implements Outcome {
        }

        /** A newer deployment already waits in the lane, which replaces this one. */
        record Superseded(Job newer) implements Outcome {
        }

        record Full() implements Outcome {
        }

        record Closed() implements Outcome {
        }
    }

    Lanes(int capacity, ExecutorService workers, DeploymentStore store, TimeSource time, Consumer<Job> worker) {
        this.capacity = capacity;
        this.workers = workers;
        this.store = store;
        this.time = time;
        this.worker = worker;
    }

    synchronized boolean hasRoom() {
        return !intakeClosed && waiting < capacity;
    }

    synchronized Outcome enqueue(Job job) {
        if (intakeClosed) {
            return new Outcome.Closed();
        }
        Lane lane = lanes.computeIfAbsent(job.lane(), Lane::new);
        List<Job> superseded = new ArrayList<>();
        if (job.rule().supersede()) {
            Optional<Job> newer = lane.queue.stream().filter(j -> j.id().value() > job.id().value()).findFirst();
            if (newer.isPresent()) {
                return new Outcome.Superseded(newer.get());
            }
            for (Iterator<Job> it = lane.queue.iterator(); it.hasNext(); ) {
                Job older = it.next();
                it.remove();
                waiting--;
                superseded.add(older);
            }
        }
        if (waiting >= capacity) {
            lane.queue.addAll(superseded);
            waiting += superseded.size();
            return new Outcome.Full();
        }
        lane.queue.addLast(job);
        waiting++;
        if (!lane.scheduled) {
            lane.scheduled = true;
            try {
                workers.execute(() -> drain(lane));
            } catch (RejectedExecutionException e) {
                lane.scheduled = false;
                lane.queue.removeLast();
                waiting--;
                return new Outcome.Closed();
            }
        }
        return new Outcome.Queued(superseded);
    }

    /** Removes a waiting job, if it has not started. */
    synchronized Optional<Job> removeWaiting(DeploymentId id) {
        for (Lane lane : lanes.values()) {
            for (Iterator<Job> it = lane.queue.iterator(); it.hasNext(); ) {
                Job j = it.next();
                if (j.id().equals(id)) {
                    it.remove();
                    waiting--;
                    return Optional.of(j);
                }
            }
        }
        return Optional.empty();
    }

    synchronized Optional<Job> running(DeploymentId id) {
        return lanes.values().stream().map(l -> l.running).filter(j -> j != null && j.id().equals(id)).findFirst();
    }

    synchronized List<Job> runningJobs() {
        return lanes.values().stream().map(l -> l.running).filter(j -> j != null).toList();
    }

    synchronized boolean intakeClosed() {
        return intakeClosed;
    }

    synchronized void closeIntake() {
        intakeClosed = true;
    }

    /** Stops starting jobs and hands back every job still waiting. */
    synchronized List<Job> stop() {
        stopped = true;
        List<Job> left = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            left.addAll(lane.queue);
            lane.queue.clear();
        }
        waiting = 0;
        notifyAll();
        return left;
    }

    /** Waits until no job waits or runs, at most {@code timeout} on the time source; true when idle. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = time.nanoTime() + timeout.toNanos();
        while (busy()) {
            long left = deadline - time.nanoTime();
            if (left <= 0) {
                return false;
            }
            // Short slices: a time source moved by hand moves while this thread waits.
            wait(Math.max(1, Math.min(left / 1_000_000, 50)));
        }
        return true;
    }

    private boolean busy() {
        return lanes.values().stream().anyMatch(l -> l.running != null || !l.queue.isEmpty());
    }

    private void drain(Lane lane) {
        while (true) {
            Job job;
            synchronized (this) {
                job = stopped ? null : lane.queue.pollFirst();
                if (job == null) {
                    lane.scheduled = false;
                    notifyAll();
                    return;
                }
                waiting--;
                lane.running = job;
            }
            Lock lock = laneLock(lane.key);
            try {
                if (lock != null) {
                    lock.lock();
                }
                worker.accept(job);
            } catch (RuntimeException e) {
                LOG.error("deployment {} ended with an unexpected error", job.id(), e);
            } finally {
                if (lock != null) {
                    lock.unlock();
                }
                synchronized (this) {
                    lane.running = null;
                    notifyAll();
                }
            }
        }
    }

    private Lock laneLock(String key) {
        try {
            return store.laneLock(key);
        } catch (RuntimeException e) {
            LOG.warn("store could not hand out the lock of lane {}; running without it: {}", key, e.getMessage());
            return null;
        }
    }
}
