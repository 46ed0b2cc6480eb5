package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.lifecycle.DeploymentLifecycle;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.core.store.LogChunk;
import io.github.autodeploy.core.port.Notice;
import io.github.autodeploy.core.port.StatusPost;
import io.github.autodeploy.core.store.StepRecord;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's record of the deployments it runs: it moves them through the state machine and, for
 * each move, hands the status to the outbox and the notice to the notifier. Active deployments are
 * held in memory, so a failing store costs pages, never outcomes. Thread-safe: changes to one
 * deployment are serialized on that deployment alone, so its store writes, outbox and notifier calls
 * never hold up another deployment's moves.
 */
final class Tracker {
    private static final Logger LOG = LoggerFactory.getLogger(Tracker.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final DeploymentStore store;
    private final Notifications notifications;
    private final Clock clock;
    private final Secrets secrets;
    private final String publicUrl;
    private final Map<DeploymentId, Active> active = new ConcurrentHashMap<>();
    private volatile StatusOutbox outbox;

    /** One tracked deployment; its monitor orders that deployment's changes and nothing else. */
    private static final class Active {
        private final EnvironmentRule rule;
        private volatile DeploymentRecord record;

        Active(DeploymentRecord record, EnvironmentRule rule) {
            this.record = record;
            this.rule = rule;
        }

        DeploymentRecord record() {
            return record;
        }

        EnvironmentRule rule() {
            return rule;
        }
    }

    Tracker(DeploymentStore store, Notifications notifications, Clock clock, Secrets secrets, String publicUrl) {
        this.store = store;
        this.notifications = notifications;
        this.clock = clock;
        this.secrets = secrets;
        this.publicUrl = publicUrl;
    }

    void useOutbox(StatusOutbox outbox) {
        this.outbox = outbox;
    }

    /** Whether a deployment id was seen before (running, waiting, or remembered by the store). */
    boolean known(DeploymentId id) {
        if (active.containsKey(id)) {
            return true;
        }
        try {
            return store.find(id).isPresent();
        } catch (RuntimeException e) {
            LOG.warn("store could not look up deployment {}: {}", id, e.getMessage());
            return false;
        }
    }

    /** Starts tracking a deployment at {@code lifecycle}; false when it is already tracked. */
    boolean open(Deployment deployment, EnvironmentRule rule, DeploymentLifecycle lifecycle) {
        byte[] key = new byte[18];
        RANDOM.nextBytes(key);
        DeploymentRecord record = DeploymentRecord.queued(deployment, lifecycle, clock.instant(),
                Base64.getUrlEncoder().withoutPadding().encodeToString(key));
        if (active.putIfAbsent(deployment.id(), new Active(record, rule)) != null) {
            return false;
        }
        try {
            store.insert(record);
        } catch (RuntimeException e) {
            LOG.warn("store could not keep deployment {}: {}", deployment.id(), e.getMessage());
        }
        return true;
    }

    /** Moves a deployment to {@code next}, posts the status and sends the notice the move stands for. */
    DeploymentRecord move(DeploymentId id, DeploymentState next, String description) {
        String text = secrets.redact(description);
        Active a = tracked(id);
        DeploymentRecord after;
        synchronized (a) {
            stillTracked(id, a);
            DeploymentLifecycle.Step step = a.record.lifecycle().advance(next, text, clock.instant());
            DeploymentRecord moved = a.record.withLifecycle(step.lifecycle());
            after = next.isTerminal() || next == DeploymentState.INACTIVE ? moved.finished(step.update().at()) : moved;
            save(a, after);
            log(id, "[autodeploy] " + next.apiValue() + ": " + step.update().description());
            String logUrl = logUrl(after);
            outbox.post(after.deployment().repository(), id, new StatusPost(step.update(), logUrl));
            DeploymentRecord done = after;
            kindOf(next).ifPresent(kind -> notifications.send(a.rule(), Notice.builder(kind, a.rule().repository(),
                            a.rule().environment(), done.deployment().sha())
                    .ref(done.deployment().ref().shortName()).deploymentId(id).requester(done.deployment().requester())
                    .description(step.update().description()).logUrl(logUrl).duration(duration(done)).build()));
            if (next.isTerminal() || next == DeploymentState.INACTIVE) {
                active.remove(id, a);
            }
        }
        return after;
    }

    void started(DeploymentId id) {
        change(id, r -> r.started(clock.instant()));
    }

    void step(DeploymentId id, StepRecord step) {
        change(id, r -> r.withStep(step));
    }

    void log(DeploymentId id, String line) {
        try {
            store.appendLog(id, secrets.redact(line));
        } catch (RuntimeException e) {
            LOG.warn("store could not keep a log line of deployment {}: {}", id, e.getMessage());
        }
    }

    Optional<DeploymentRecord> find(DeploymentId id) {
        Active a = active.get(id);
        if (a != null) {
            return Optional.of(a.record());
        }
        try {
            return store.find(id);
        } catch (RuntimeException e) {
            LOG.warn("store could not look up deployment {}: {}", id, e.getMessage());
            return Optional.empty();
        }
    }

    List<DeploymentRecord> recent(int limit) {
        Map<DeploymentId, DeploymentRecord> all = new LinkedHashMap<>();
        try {
            store.recent(limit).forEach(r -> all.put(r.deployment().id(), r));
        } catch (RuntimeException e) {
            LOG.warn("store could not list deployments: {}", e.getMessage());
        }
        active.values().forEach(a -> all.put(a.record().deployment().id(), a.record()));
        List<DeploymentRecord> list = new ArrayList<>(all.values());
        list.sort(Comparator.comparing(DeploymentRecord::queuedAt).thenComparing(r -> r.deployment().id().value()).reversed());
        return List.copyOf(list.subList(0, Math.min(limit, list.size())));
    }

    LogChunk readLog(DeploymentId id, long fromLine) {
        try {
            return store.readLog(id, fromLine);
        } catch (RuntimeException e) {
            LOG.warn("store could not read the log of deployment {}: {}", id, e.getMessage());
            return new LogChunk(fromLine, List.of(), fromLine);
        }
    }

    /** The page a status links to: unguessable, since it carries the record's key. */
    String logUrl(DeploymentRecord record) {
        return publicUrl + "/deployments/" + record.deployment().id() + "/" + record.pageKey();
    }

    private DeploymentRecord change(DeploymentId id, UnaryOperator<DeploymentRecord> f) {
        Active a = tracked(id);
        synchronized (a) {
            stillTracked(id, a);
            DeploymentRecord next = f.apply(a.record);
            save(a, next);
            return next;
        }
    }

    private Active tracked(DeploymentId id) {
        Active a = active.get(id);
        if (a == null) {
            throw new IllegalStateException("deployment " + id + " is not tracked");
        }
        return a;
    }

    /** A move that raced with the deployment's end finds it gone, as if it had come a moment later. */
    private void stillTracked(DeploymentId id, Active a) {
        if (active.get(id) != a) {
            throw new IllegalStateException("deployment " + id + " is not tracked");
        }
    }

    /** Called holding {@code a}'s monitor. */
    private void save(Active a, DeploymentRecord next) {
        a.record = next;
        try {
            store.update(next);
        } catch (RuntimeException e) {
            LOG.warn("store could not update deployment {}: {}", next.deployment().id(), e.getMessage());
        }
    }

    private static Optional<Duration> duration(DeploymentRecord r) {
        return r.finishedAt().map(end -> Duration.between(r.startedAt().orElse(r.queuedAt()), end));
    }

    private static Optional<NotificationKind> kindOf(DeploymentState state) {
        return Optional.ofNullable(switch (state) {
            case QUEUED -> NotificationKind.QUEUED;
            case IN_PROGRESS -> NotificationKind.STARTED;
            case SUCCESS -> NotificationKind.SUCCEEDED;
            case FAILURE -> NotificationKind.FAILED;
            case ERROR -> NotificationKind.ERRORED;
            case INACTIVE -> NotificationKind.SUPERSEDED;
            case PENDING, UNKNOWN -> null;
        });
    }
}
