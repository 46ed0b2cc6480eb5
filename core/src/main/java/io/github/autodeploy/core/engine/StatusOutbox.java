package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.port.ApiException;
import io.github.autodeploy.core.port.DeploymentApi;
import io.github.autodeploy.core.port.StatusPost;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts deployment statuses to GitHub on its own threads, so a slow or failing GitHub never holds up
 * a lane. Statuses of one deployment go out in order, one at a time; a failed post is retried with
 * backoff (longer when GitHub says so) and, past the budget, logged loudly, reported to {@code
 * onGiveUp}, and skipped so later statuses still go out. Thread-safe.
 */
final class StatusOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(StatusOutbox.class);
    private final DeploymentApi api;
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private final BiConsumer<DeploymentId, String> onGiveUp;
    private final Map<DeploymentId, Deque<Pending>> queues = new HashMap<>();

    private record Pending(RepositoryName repository, DeploymentId id, StatusPost post) {
    }

    StatusOutbox(DeploymentApi api, ScheduledExecutorService scheduler, Backoff backoff,
                 BiConsumer<DeploymentId, String> onGiveUp) {
        this.api = api;
        this.scheduler = scheduler;
        this.backoff = backoff;
        this.onGiveUp = onGiveUp;
    }

    void post(RepositoryName repository, DeploymentId id, StatusPost post) {
        boolean first;
        synchronized (this) {
            Deque<Pending> q = queues.computeIfAbsent(id, k -> new ArrayDeque<>());
            first = q.isEmpty();
            q.addLast(new Pending(repository, id, post));
        }
        if (first) {
            schedule(id, 1, Duration.ZERO);
        }
    }

    /** Waits until no status waits to be posted, at most {@code timeout}; true when idle. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!queues.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private void schedule(DeploymentId id, int attempt, Duration delay) {
        try {
            scheduler.schedule(() -> send(id, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            LOG.error("status outbox is closed; statuses of deployment {} were not posted", id);
            synchronized (this) {
                queues.remove(id);
                notifyAll();
            }
        }
    }

    private void send(DeploymentId id, int attempt) {
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
            next(id);
        } catch (RuntimeException e) {
            boolean retryable = !(e instanceof ApiException api) || api.retryable();
            Optional<Duration> hint = e instanceof ApiException api ? api.retryAfter() : Optional.empty();
            if (retryable && attempt < backoff.attempts()) {
                Duration delay = backoff.delay(attempt, hint);
                LOG.warn("posting status {} of deployment {} failed (attempt {} of {}), retrying in {} ms: {}",
                        state, id, attempt, backoff.attempts(), delay.toMillis(), e.getMessage());
                schedule(id, attempt + 1, delay);
                return;
            }
            String why = "status " + state + " was not posted to GitHub after " + attempt + " attempt"
                    + (attempt == 1 ? "" : "s") + ": " + e.getMessage();
            LOG.error("deployment {}: {}", id, why);
            try {
                onGiveUp.accept(id, why);
            } catch (RuntimeException ignored) {
                LOG.warn("could not record the failed status of deployment {}", id);
            }
            next(id);
        }
    }

    private void next(DeploymentId id) {
        boolean more;
        synchronized (this) {
            Deque<Pending> q = queues.get(id);
            q.pollFirst();
            more = !q.isEmpty();
            if (!more) {
                queues.remove(id);
                notifyAll();
            }
        }
        if (more) {
            schedule(id, 1, Duration.ZERO);
        }
    }
}
