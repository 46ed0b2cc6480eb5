package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.lifecycle.DeploymentLifecycle;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.core.store.LogChunk;
import io.github.autodeploy.core.store.LogLines;
import io.github.autodeploy.core.port.Notice;
import io.github.autodeploy.core.port.RobotMetrics;
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
 * each move, writes the record (with its new status) to the store, then hands the status to the
 * outbox and the notice to the notifier. Opening a deployment is the accept path: when the store
 * cannot keep it, {@link StoreUnavailable} is thrown and nothing is tracked. Later writes that fail
 * are kept in memory and tried again by {@link #retryUnsaved()}, so a store that goes away for a
 * while costs pages, never outcomes. Log lines are buffered per deployment and written in batches
 * ({@link #flushLogs()}, and before each move and each read). Thread-safe: changes to one deployment
 * are serialized on that deployment alone, so its store writes, outbox and notifier calls never hold
 * up another deployment's moves.
 */
final class Tracker {
    private static final Logger LOG = LoggerFactory.getLogger(Tracker.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Where page keys come from: the JDK's DRBG (Hash_DRBG, SHA-256, seeded by the system), which makes
     * a block of bytes at a fraction of what the default generator's per-byte mixing costs.
     */
    private static final SecureRandom PAGE_KEY_RANDOM = drbg();
    private static final Base64.Encoder PAGE_KEY_TEXT = Base64.getUrlEncoder().withoutPadding();
    /** Random bytes in a page key: 144 bits, 24 characters. */
    static final int PAGE_KEY_BYTES = 18;
    /** Page keys' bytes, filled by {@link #PAGE_KEY_RANDOM} for 256 keys at a time; guarded by itself. */
    private final byte[] pageKeyBytes = new byte[PAGE_KEY_BYTES * 256];
    private int pageKeyNext = pageKeyBytes.length;
    private final DeploymentStore store;
    private final Notifications notifications;
    private final Clock clock;
    private final RobotMetrics metrics;
    private final Secrets secrets;
    private final String publicUrl;
    private final Map<DeploymentId, Active> active = new ConcurrentHashMap<>();
    /** Records the store did not take, newest per deployment, written again by {@link #retryUnsaved()}. */
    private final Map<DeploymentId, DeploymentRecord> unsaved = new ConcurrentHashMap<>();
    private final java.util.Set<DeploymentId> disowned = ConcurrentHashMap.newKeySet();
    /** Posted counts the store did not take, written again by {@link #retryUnsaved()}. */
    private final Map<DeploymentId, Integer> unmarked = new ConcurrentHashMap<>();
    /** Log lines not yet written, per deployment; each buffer is guarded by its own monitor. */
    private final Map<DeploymentId, PendingLog> pendingLines = new ConcurrentHashMap<>();
    /** Lines of one deployment kept while the store cannot take them; past it the oldest are dropped. */
    static final int MAX_UNWRITTEN_LINES = 20_000;
    /** Past this many buffered lines, a deployment's log is written at once rather than at the next flush. */
    static final int LOG_BATCH = 256;
    /** Past this many buffered characters, likewise. */
    static final int LOG_BATCH_CHARS = 32 * 1024;
    private volatile StatusOutbox outbox;
    private volatile boolean logWritesFailing;

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

    Tracker(DeploymentStore store, Notifications notifications, Clock clock, Secrets secrets, String publicUrl,
            RobotMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.notifications = notifications;
        this.clock = clock;
        this.secrets = secrets;
        this.publicUrl = publicUrl;
    }

    void useOutbox(StatusOutbox outbox) {
        this.outbox = outbox;
    }

    /**
     * Whether this process holds {@code id}: tracked now (waiting, running, or being settled), or
     * changed here in a way the store has not taken yet (its write failed and waits to be tried
     * again). The store's copy of such a deployment is behind and must not be acted on.
     */
    boolean heldHere(DeploymentId id) {
        return active.containsKey(id) || unsaved.containsKey(id);
    }

    /**
     * Whether a deployment id was seen before (running, waiting, or remembered by the store).
     *
     * @throws StoreUnavailable when the store cannot say
     */
    boolean known(DeploymentId id) {
        if (active.containsKey(id)) {
            return true;
        }
        try {
            return store.find(id).isPresent();
        } catch (RuntimeException e) {
            throw new StoreUnavailable("look up deployment " + id, e);
        }
    }

    /**
     * Starts tracking a deployment at {@code lifecycle}, stored before this returns; false when it is
     * tracked or stored already. {@code again} replaces a stored record (a deployment taken afresh).
     *
     * @throws StoreUnavailable when the store did not keep it (then nothing is tracked)
     */
    boolean open(Deployment deployment, EnvironmentRule rule, DeploymentLifecycle lifecycle, boolean again) {
        return open(deployment, rule, lifecycle, again, Optional.empty());
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return RANDOM;
        }
    }

    /**
     * A new page key: unguessable, from a secure random generator, whose bytes are drawn for 256 keys
     * at a time (one call to the system's generator and its lock, rather than one per delivery). Each
     * byte is handed out once.
     */
    String newPageKey() {
        byte[] key = new byte[PAGE_KEY_BYTES];
        synchronized (pageKeyBytes) {
            if (pageKeyNext == pageKeyBytes.length) {
                PAGE_KEY_RANDOM.nextBytes(pageKeyBytes);
                pageKeyNext = 0;
            }
            System.arraycopy(pageKeyBytes, pageKeyNext, key, 0, PAGE_KEY_BYTES);
            java.util.Arrays.fill(pageKeyBytes, pageKeyNext, pageKeyNext + PAGE_KEY_BYTES, (byte) 0);
            pageKeyNext += PAGE_KEY_BYTES;
        }
        return PAGE_KEY_TEXT.encodeToString(key);
    }

    /** Like {@link #open}, recording {@code delivery} in the same store write. */
    private boolean open(Deployment deployment, EnvironmentRule rule, DeploymentLifecycle lifecycle, boolean again,
                         Optional<DeliveryId> delivery) {
        DeploymentRecord record = DeploymentRecord.queued(deployment, lifecycle, clock.instant(), newPageKey());
        Active a = new Active(record, rule);
        if (active.putIfAbsent(deployment.id(), a) != null) {
            return false;
        }
        boolean stored;
        try {
            stored = delivery.isPresent() ? store.insert(record, delivery.get()) : store.insert(record);
            if (!stored && again) {
                store.update(record);
                stored = true;
            }
        } catch (RuntimeException e) {
            active.remove(deployment.id(), a);
            throw new StoreUnavailable("keep deployment " + deployment.id(), e);
        }
        if (!stored) {
            active.remove(deployment.id(), a);
        }
        return stored;
    }

    /**
     * Starts tracking a deployment straight at {@code next}: one store write holds the record with
     * its first status, so an accepted deployment is stored with what GitHub must be told. Then the
     * status and notice go out as for any move. {@code delivery} is recorded in the same write (even
     * when the deployment is known). False when it is tracked or stored already.
     *
     * @throws StoreUnavailable when the store did not keep it (then nothing is tracked or posted)
     */
    boolean openAt(Deployment deployment, EnvironmentRule rule, DeploymentState next, String description, boolean again,
                   DeliveryId delivery) {
        DeploymentLifecycle.Step step = DeploymentLifecycle.created().advance(next, secrets.redact(description), clock.instant());
        if (!open(deployment, rule, step.lifecycle(), again, Optional.of(delivery))) {
            return false;
        }
        Active a = active.get(deployment.id());
        if (a != null) {
            synchronized (a) {
                announce(a, deployment.id(), a.record, next, step.update(), kindOf(next), Optional.empty());
            }
        }
        return true;
    }

    /**
     * Tracks a deployment taken over from an owner that is gone (an earlier run, another node), as
     * the store kept it, and posts the statuses GitHub does not have yet. False when already tracked.
     */
    boolean adopt(DeploymentRecord record, EnvironmentRule rule, int statusesPosted) {
        DeploymentId id = record.deployment().id();
        if (active.putIfAbsent(id, new Active(record, rule)) != null) {
            return false;
        }
        postFrom(record, statusesPosted);
        if (record.lifecycle().isTerminal() || record.state() == DeploymentState.INACTIVE) {
            active.remove(id);
        }
        return true;
    }

    /** Posts, in order, the statuses of {@code record}'s history from number {@code from} on. */
    void postFrom(DeploymentRecord record, int from) {
        List<io.github.autodeploy.core.lifecycle.StatusUpdate> history = record.lifecycle().history();
        String logUrl = logUrl(record);
        for (int i = from; i < history.size(); i++) {
            outbox.post(record.deployment().repository(), record.deployment().id(), new StatusPost(history.get(i), logUrl), i + 1);
        }
    }

    /**
     * Stops reporting a deployment this robot runs but may no longer own (its leases lapsed): its
     * moves change nothing and tell no one, since the node that adopts it reports its end.
     */
    void disown(DeploymentId id) {
        disowned.add(id);
    }

    /** Deployments disowned since the last call; the robot releases them in the store once it is back. */
    List<DeploymentId> disowned() {
        return List.copyOf(disowned);
    }

    void released(DeploymentId id) {
        disowned.remove(id);
        forget(id);
    }

    /** Stops tracking a deployment without a move: another node took it over or ran it. */
    void forget(DeploymentId id) {
        active.remove(id);
        unsaved.remove(id);
    }

    /** The rule a tracked deployment runs under. */
    Optional<EnvironmentRule> ruleOf(DeploymentId id) {
        return Optional.ofNullable(active.get(id)).map(Active::rule);
    }

    /** Moves a deployment to {@code next}, posts the status and sends the notice the move stands for. */
    DeploymentRecord move(DeploymentId id, DeploymentState next, String description) {
        return move(id, next, description, kindOf(next), Optional.empty());
    }

    /**
     * Moves a deployment to {@code next} as {@link #move(DeploymentId, DeploymentState, String)} does,
     * but tells people of it as {@code kind} (none: nobody), done by the robot's user {@code actor}.
     */
    DeploymentRecord move(DeploymentId id, DeploymentState next, String description, Optional<NotificationKind> kind,
                          Optional<String> actor) {
        return move(id, next, description, kind, actor, UnaryOperator.identity());
    }

    /** A move whose record {@code also} changes further, in the same store write. */
    private DeploymentRecord move(DeploymentId id, DeploymentState next, String description, Optional<NotificationKind> kind,
                                  Optional<String> actor, UnaryOperator<DeploymentRecord> also) {
        String text = secrets.redact(description);
        Active a = tracked(id);
        if (disowned.contains(id)) {
            LOG.info("deployment {} would move to {} here, but another node may have taken it over; that node reports it",
                    id, next.apiValue());
            return a.record();
        }
        DeploymentRecord after;
        synchronized (a) {
            stillTracked(id, a);
            DeploymentLifecycle.Step step = a.record.lifecycle().advance(next, text, clock.instant());
            DeploymentRecord moved = also.apply(a.record.withLifecycle(step.lifecycle()));
            after = next.isTerminal() || next == DeploymentState.INACTIVE ? moved.finished(step.update().at()) : moved;
            save(a, after);
            announce(a, id, after, next, step.update(), kind, actor);
            if (next.isTerminal() || next == DeploymentState.INACTIVE) {
                active.remove(id, a);
                measureEnd(after, next);
            }
        }
        return after;
    }

    /** Logs a move, hands its status to the outbox and sends its notice; called holding {@code a}'s monitor. */
    private void announce(Active a, DeploymentId id, DeploymentRecord after, DeploymentState next,
                          io.github.autodeploy.core.lifecycle.StatusUpdate update, Optional<NotificationKind> kind,
                          Optional<String> actor) {
        log(id, "[autodeploy] " + next.apiValue() + ": " + update.description());
        String logUrl = logUrl(after);
        outbox.post(after.deployment().repository(), id, new StatusPost(update, logUrl), after.lifecycle().history().size());
        // Notifications.send drops a kind the rule does not ask for; not building its notice spares every move.
        kind.filter(k -> a.rule().notifyOn().contains(k)).ifPresent(k -> {
            Notice.Builder notice = Notice.builder(k, a.rule().repository(), a.rule().environment(), after.deployment().sha())
                    .ref(after.deployment().ref().shortName()).deploymentId(id).requester(after.deployment().requester())
                    .description(update.description()).logUrl(logUrl).duration(duration(after));
            actor.ifPresent(notice::actor);
            notifications.send(a.rule(), notice.build());
        });
    }

    void started(DeploymentId id) {
        measureQueued(change(id, rec -> rec.started(clock.instant())));
    }

    /**
     * Marks a deployment started and moves it to {@code in_progress}, in one store write: the one write
     * between a lane taking a deployment and its first command.
     */
    void startedInProgress(DeploymentId id, String description) {
        measureQueued(move(id, DeploymentState.IN_PROGRESS, description, kindOf(DeploymentState.IN_PROGRESS), Optional.empty(),
                rec -> rec.started(clock.instant())));
    }

    private void measureQueued(DeploymentRecord r) {
        r.startedAt().ifPresent(at -> metrics.deploymentQueued(r.deployment().repository(), r.deployment().environment(),
                nonNegative(Duration.between(r.queuedAt(), at))));
    }

    private void measureEnd(DeploymentRecord r, DeploymentState outcome) {
        Deployment d = r.deployment();
        metrics.deploymentFinished(d.repository(), d.environment(), outcome);
        r.startedAt().ifPresent(start -> r.finishedAt().ifPresent(end ->
                metrics.deploymentRan(d.repository(), d.environment(), outcome, nonNegative(Duration.between(start, end)))));
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    void step(DeploymentId id, StepRecord step) {
        change(id, r -> r.withStep(step));
    }

    /** Adds a line (masked) to a deployment's log; it reaches the store with the next batch. */
    void log(DeploymentId id, String line) {
        buffer(id, LogLines.of(secrets.redact(line)));
    }

    /**
     * Adds lines (each masked) to a deployment's log at once: a step's output, a chunk at a time. Lines given as
     * {@link LogLines} in which no secret can occur (one search of their text) are buffered as they are.
     */
    void log(DeploymentId id, List<String> newLines) {
        if (newLines.isEmpty()) {
            return;
        }
        LogLines lines;
        if (newLines instanceof LogLines given && !secrets.mayOccurIn(given.text())) {
            lines = given;
        } else {
            List<String> masked = new ArrayList<>(newLines.size());
            for (String line : newLines) {
                masked.add(secrets.redact(line));
            }
            lines = LogLines.copyOf(masked);
        }
        buffer(id, lines);
    }

    private void buffer(DeploymentId id, LogLines lines) {
        PendingLog pending = pendingLines.computeIfAbsent(id, k -> new PendingLog());
        boolean full;
        synchronized (pending) {
            full = pending.add(lines);
        }
        // While the store fails, only the store thread's round tries again: a step's output never waits on it.
        if (full && !logWritesFailing) {
            flushLog(id);
        }
    }

    /** Writes every buffered log line to the store; the robot calls it at least every second. */
    void flushLogs() {
        for (DeploymentId id : pendingLines.keySet()) {
            flushLog(id);
        }
    }

    private void flushLog(DeploymentId id) {
        PendingLog pending = pendingLines.get(id);
        if (pending == null) {
            return;
        }
        // Holding the buffer while writing keeps one deployment's batches in order.
        synchronized (pending) {
            if (pending.isEmpty()) {
                pendingLines.remove(id, pending);
                return;
            }
            LogLines batch = pending.take();
            try {
                store.appendLog(id, batch);
                logWritesFailing = false;
            } catch (RuntimeException e) {
                logWritesFailing = true;
                // Kept for the next flush, bounded: past the bound the oldest go, and the log says so.
                int over = batch.size() - MAX_UNWRITTEN_LINES;
                if (over > 0) {
                    pending.add(LogLines.of("[autodeploy] " + (over + 1) + " log line(s) lost while the store could not be reached"));
                    pending.add(batch.from(over + 1));
                } else {
                    pending.add(batch);
                }
                LOG.warn("store could not keep {} log line(s) of deployment {}; trying again: {}", pending.lines, id,
                        e.getMessage());
                return;
            }
            if (!active.containsKey(id)) {
                pendingLines.remove(id, pending);
            }
        }
    }

    /** A deployment's log lines not written yet, as the blocks they came in; guarded by its own monitor. */
    private static final class PendingLog {
        private final List<LogLines> blocks = new ArrayList<>();
        private int lines;

        private int chars;

        /**
         * True when a batch is due: {@value Tracker#LOG_BATCH} lines or {@value Tracker#LOG_BATCH_CHARS} characters (then a
         * chunk of output read whole reaches the store as it came, without a copy).
         */
        boolean add(LogLines more) {
            blocks.add(more);
            lines += more.size();
            chars += more.text().length();
            return lines >= LOG_BATCH || chars >= LOG_BATCH_CHARS;
        }

        boolean isEmpty() {
            return lines == 0;
        }

        /** All the lines buffered, as one block (one copy of their text, none for a single block); empties this. */
        LogLines take() {
            LogLines all = LogLines.concat(blocks);
            blocks.clear();
            lines = 0;
            chars = 0;
            return all;
        }
    }

    /** Writes again the records and posted counts the store did not take; true when none is left. */
    boolean retryUnsaved() {
        for (Map.Entry<DeploymentId, Integer> e : unmarked.entrySet()) {
            try {
                store.markPosted(e.getKey(), e.getValue());
                unmarked.remove(e.getKey(), e.getValue());
            } catch (RuntimeException failed) {
                return false;
            }
        }
        for (DeploymentId id : unsaved.keySet()) {
            Active a = active.get(id);
            // Under the deployment's monitor, so a newer record saved meanwhile is never overwritten.
            synchronized (a == null ? unsaved : a) {
                DeploymentRecord latest = unsaved.get(id);
                if (latest == null) {
                    continue;
                }
                try {
                    store.update(latest);
                    unsaved.remove(id, latest);
                } catch (RuntimeException failed) {
                    LOG.debug("store still does not take deployment {}: {}", id, failed.getMessage());
                    return false;
                }
            }
        }
        return unsaved.isEmpty();
    }

    /**
     * Records that GitHub has (or refused for good) the first {@code count} statuses of a deployment,
     * at once: the smaller the gap between a post and its mark, the less a crash makes a successor
     * post again.
     */
    void posted(DeploymentId id, int count) {
        try {
            store.markPosted(id, count);
        } catch (RuntimeException e) {
            unmarked.merge(id, count, Math::max);
            LOG.warn("store could not record that status {} of deployment {} went out; trying again: {}", count, id,
                    e.getMessage());
        }
    }

    /** The deployments this robot tracks now (waiting or running). */
    int tracked() {
        return active.size();
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

    /**
     * Like {@link #find}, for the accept path.
     *
     * @throws StoreUnavailable when the store cannot say
     */
    Optional<DeploymentRecord> findOrFail(DeploymentId id) {
        Active a = active.get(id);
        if (a != null) {
            return Optional.of(a.record());
        }
        try {
            return store.find(id);
        } catch (RuntimeException e) {
            throw new StoreUnavailable("look up deployment " + id, e);
        }
    }

    /**
     * The newest deployments, the store's and those tracked here.
     *
     * @throws StoreUnavailable when the store cannot list them (an empty list would look like no history)
     */
    List<DeploymentRecord> recent(int limit) {
        Map<DeploymentId, DeploymentRecord> all = new LinkedHashMap<>();
        try {
            store.recent(limit).forEach(r -> all.put(r.deployment().id(), r));
        } catch (RuntimeException e) {
            throw new StoreUnavailable("list deployments", e);
        }
        active.values().forEach(a -> all.put(a.record().deployment().id(), a.record()));
        List<DeploymentRecord> list = new ArrayList<>(all.values());
        list.sort(Comparator.comparing(DeploymentRecord::queuedAt).thenComparing(r -> r.deployment().id().value()).reversed());
        return List.copyOf(list.subList(0, Math.min(limit, list.size())));
    }

    LogChunk readLog(DeploymentId id, long fromLine) {
        flushLog(id);
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
        if (disowned.contains(id)) {
            return a.record();
        }
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
        DeploymentId id = next.deployment().id();
        try {
            store.update(next);
            unsaved.remove(id);
        } catch (RuntimeException e) {
            unsaved.put(id, next);
            LOG.warn("store could not update deployment {}; trying again later: {}", id, e.getMessage());
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
