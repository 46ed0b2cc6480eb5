package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.port.ApiException;
import io.github.autodeploy.core.port.DeploymentApi;
import io.github.autodeploy.core.port.StatusPost;
import io.github.autodeploy.core.time.RetryPolicy;
import io.github.autodeploy.core.time.TimeSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import java.util.function.ObjIntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts deployment statuses to GitHub on its own threads, so a slow or failing GitHub never holds up
 * a lane. Statuses of one deployment go out in order, one at a time; each deployment has its own
 * queue, so one deployment's retries never delay another's statuses. A post that failed retryably is
 * tried again after the retry policy's delay (longer when GitHub asked for it), however long GitHub
 * refuses; no thread waits meanwhile: the retry is scheduled. A status GitHub refuses for good (a 4xx
 * such as 422) is logged, reported to {@code onGiveUp}, and skipped so later statuses still go out.
 * Memory is bounded: past {@link #MAX_WAITING} waiting statuses, a new status replaces its
 * deployment's newest waiting one (the older state would be out of date by the time it lands); what is
 * dropped so is logged at most once a second and always told to {@code onGiveUp}.
 * Each status carries its number in the deployment's history; once GitHub has it (or refused it for
 * good), {@code onPosted} hears that number, so the store knows what a restart still owes GitHub.
 * Thread-safe.
 */
final class StatusOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(StatusOutbox.class);
    /** Statuses waiting at most, over all deployments. */
    static final int MAX_WAITING = 10_000;
    private final DeploymentApi api;
    private final ScheduledExecutorService scheduler;
    private final TimeSource time;
    private final RetryPolicy policy;
    private final BiConsumer<DeploymentId, String> onGiveUp;
    private final ObjIntConsumer<DeploymentId> onPosted;
    private final Map<DeploymentId, Deque<Pending>> queues = new HashMap<>();
    private int waiting;
    /**
     * Deployments whose head status is to be sent now, in turn; guarded by this. Drainer tasks (at most
     * {@link #maxDrainers}, as many as the scheduler has threads) take them one by one, so a status that
     * arrives while they are busy costs a queue entry, not a task handed to the scheduler and a thread woken.
     */
    private final Deque<DeploymentId> ready = new ArrayDeque<>();
    private final int maxDrainers;
    /** Drainer tasks handed to the scheduler and not ended; guarded by this. */
    private int drainers;
    /** How often at most a status dropped for want of room is logged; the others are counted into the next line. */
    static final Duration DROP_LOG_INTERVAL = Duration.ofSeconds(1);
    /** Guards the three fields below it. */
    private final Object dropLog = new Object();
    private boolean dropLogged;
    private long nextDropLogNanos;
    private long dropsNotLogged;

    /** @param count how many statuses of the deployment GitHub has once this one is posted */
    private record Pending(RepositoryName repository, DeploymentId id, StatusPost post, int count) {
    }

    StatusOutbox(DeploymentApi api, ScheduledExecutorService scheduler, TimeSource time, RetryPolicy policy,
                 BiConsumer<DeploymentId, String> onGiveUp, ObjIntConsumer<DeploymentId> onPosted) {
        this.api = api;
        this.scheduler = scheduler;
        this.time = time;
        this.policy = policy;
        this.onGiveUp = onGiveUp;
        this.onPosted = onPosted;
        this.maxDrainers = scheduler instanceof java.util.concurrent.ThreadPoolExecutor pool ? Math.max(1, pool.getCorePoolSize()) : 4;
    }

    /** Statuses waiting to be posted (or retried), over all deployments. */
    synchronized int waiting() {
        return waiting;
    }

    /** Queues a status; {@code count} is its number in the deployment's history, counting from 1. */
    void post(RepositoryName repository, DeploymentId id, StatusPost post, int count) {
        Pending p = new Pending(repository, id, post, count);
        boolean first;
        String dropped = null;
        synchronized (this) {
            Deque<Pending> q = queues.computeIfAbsent(id, k -> new ArrayDeque<>());
            first = q.isEmpty();
            if (waiting < MAX_WAITING) {
                q.addLast(p);
                waiting++;
            } else if (q.size() >= 2) {
                dropped = q.pollLast().post().update().state().apiValue();
                q.addLast(p);
            } else {
                dropped = post.update().state().apiValue();
                if (first) {
                    queues.remove(id);
                }
                first = false;
            }
        }
        if (dropped != null) {
            String why = "status " + dropped + " was not posted to GitHub: " + MAX_WAITING
                    + " statuses already wait for GitHub to accept them";
            logDropped(id, why);
            giveUp(id, why);
        }
        if (first) {
            sendSoon(id);
        }
    }

    /** Queues {@code id}'s head status to be sent by a drainer, and starts one when fewer than the most run. */
    private void sendSoon(DeploymentId id) {
        synchronized (this) {
            ready.addLast(id);
            if (drainers >= maxDrainers) {
                return;
            }
            drainers++;
        }
        try {
            time.schedule(scheduler, Duration.ZERO, this::drain);
        } catch (RuntimeException e) {
            synchronized (this) {
                drainers--;
                if (drainers > 0) {
                    return;
                }
                // Closed, and no drainer left to send what is ready: it is not posted.
                for (DeploymentId stranded = ready.pollFirst(); stranded != null; stranded = ready.pollFirst()) {
                    LOG.error("status outbox is closed; statuses of deployment {} were not posted", stranded);
                    Deque<Pending> q = queues.remove(stranded);
                    waiting -= q == null ? 0 : q.size();
                }
                notifyAll();
            }
        }
    }

    /** Sends ready deployments' head statuses, one after another, until none is ready. */
    private void drain() {
        boolean ended = false;
        try {
            while (true) {
                DeploymentId id;
                synchronized (this) {
                    id = ready.pollFirst();
                    if (id == null) {
                        drainers--;
                        ended = true;
                        return;
                    }
                }
                try {
                    send(id, 0);
                } catch (RuntimeException e) {
                    LOG.warn("sending a status of deployment {} failed: {}", id, e.toString());
                }
            }
        } finally {
            if (!ended) {
                synchronized (this) {
                    drainers--; // left by an Error: the count must not keep the next drainer from starting
                }
            }
        }
    }

    /**
     * Logs a status dropped for want of room, at most once per {@link #DROP_LOG_INTERVAL}: while GitHub
     * falls behind, statuses may be dropped by the thousand a second, and a line each would make every
     * webhook thread wait on the log. The lines between are counted into the next one; each deployment's
     * own log still says which of its statuses was dropped.
     */
    private void logDropped(DeploymentId id, String why) {
        long notLogged;
        synchronized (dropLog) {
            long now = time.nanoTime();
            if (dropLogged && now - nextDropLogNanos < 0) {
                dropsNotLogged++;
                return;
            }
            dropLogged = true;
            nextDropLogNanos = now + DROP_LOG_INTERVAL.toNanos();
            notLogged = dropsNotLogged;
            dropsNotLogged = 0;
        }
        if (notLogged == 0) {
            LOG.error("deployment {}: {}", id, why);
        } else {
            LOG.error("deployment {}: {} ({} more status(es) of deployments were dropped so since the last such line)", id, why,
                    notLogged);
        }
    }

    /** Waits until no status waits to be posted, at most {@code timeout} on the time source; true when idle. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = time.nanoTime() + timeout.toNanos();
        while (!queues.isEmpty()) {
            long left = deadline - time.nanoTime();
            if (left <= 0) {
                return false;
            }
            // Short slices: a time source moved by hand moves while this thread waits.
            wait(Math.max(1, Math.min(left / 1_000_000, 50)));
        }
        return true;
    }

    private void schedule(DeploymentId id, int failures, Duration delay) {
        try {
            time.schedule(scheduler, delay, () -> send(id, failures));
        } catch (RuntimeException e) {
            LOG.error("status outbox is closed; statuses of deployment {} were not posted", id);
            synchronized (this) {
                Deque<Pending> q = queues.remove(id);
                waiting -= q == null ? 0 : q.size();
                notifyAll();
            }
        }
    }

    private void send(DeploymentId id, int failures) {
        Pending head;
        synchronized (this) {
            Deque<Pending> q = queues.get(id);
            if (q == null || q.isEmpty()) {
                return;
            }
            head = q.peekFirst();
        }
        String state = head.post().update().state().apiValue();
        try {
            api.postStatus(head.repository(), head.id(), head.post());
            if (failures > 0) {
                LOG.info("posted status {} of deployment {} after {} failed attempt(s)", state, id, failures);
            }
            posted(head);
            next(id);
        } catch (RuntimeException e) {
            boolean retryable = ApiException.mayRetry(e);
            if (retryable) {
                Optional<Duration> asked = ApiException.askedDelay(e);
                Duration delay = policy.delay(failures + 1, asked);
                LOG.warn("posting status {} of deployment {} failed ({} in a row), retrying in {} ms: {}",
                        state, id, failures + 1, delay.toMillis(), e.getMessage());
                schedule(id, failures + 1, delay);
                return;
            }
            int attempts = failures + 1;
            String why = "status " + state + " was not posted to GitHub after " + attempts + " attempt"
                    + (attempts == 1 ? "" : "s") + ": " + e.getMessage();
            LOG.error("deployment {}: {}", id, why);
            giveUp(id, why);
            posted(head);
            next(id);
        }
    }

    private void posted(Pending p) {
        try {
            onPosted.accept(p.id(), p.count());
        } catch (RuntimeException e) {
            LOG.warn("could not record that status {} of deployment {} went out: {}", p.count(), p.id(), e.getMessage());
        }
    }

    private void giveUp(DeploymentId id, String why) {
        try {
            onGiveUp.accept(id, why);
        } catch (RuntimeException ignored) {
            LOG.warn("could not record the failed status of deployment {}", id);
        }
    }

    private void next(DeploymentId id) {
        boolean more;
        synchronized (this) {
            Deque<Pending> q = queues.get(id);
            q.pollFirst();
            waiting--;
            more = !q.isEmpty();
            if (!more) {
                queues.remove(id);
                notifyAll();
            }
        }
        if (more) {
            sendSoon(id);
        }
    }
}
