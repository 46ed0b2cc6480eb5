package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.control.DeploymentIntent;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.model.RepositoryName;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.github.autodeploy.core.AutodeployException;
import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.config.RobotConfig;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.lifecycle.DeploymentLifecycle;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.plan.CommandsPlanner;
import io.github.autodeploy.core.port.ApiException;
import io.github.autodeploy.core.port.Cancellation;
import io.github.autodeploy.core.port.CommandRunner;
import io.github.autodeploy.core.port.CommitChecks;
import io.github.autodeploy.core.port.DeploymentApi;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.core.plan.ExecutionPlanner;
import io.github.autodeploy.core.store.LogChunk;
import io.github.autodeploy.core.store.Orphans;
import io.github.autodeploy.core.store.WaitingMerge;
import io.github.autodeploy.core.port.Notifier;
import io.github.autodeploy.core.port.RobotMetrics;
import io.github.autodeploy.core.port.UnfinishedDeployment;
import io.github.autodeploy.core.time.RetryPolicy;
import io.github.autodeploy.core.time.TimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment robot: give it webhook events with {@link #handle}, and it gates, queues, runs and
 * reports deployments on its own threads. Build one with {@link #builder(RobotConfig)}, call {@link
 * #start()} once, and {@link #close()} at shutdown. Thread-safe.
 */
public final class Autodeploy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Autodeploy.class);
    private final RobotConfig config;
    private final DeploymentApi api;
    private final CommandRunner runner;
    private final TimeSource time;
    private final RetryPolicy retry;
    private final ExecutorService workers;
    /** Posts statuses; several threads, since one slow call must not hold up other deployments' statuses. */
    private final ScheduledExecutorService statusThreads;
    /** Decides auto-deploys; one thread, which is what lets {@link CiWaitingRoom} go without locks. */
    private final ScheduledExecutorService ciThread;
    /** Keeps the store current: log batches, writes to retry, leases to renew, orphans to adopt. */
    private final ScheduledExecutorService storeThread;
    /** Renews leases, and on a shared store watches that they are renewed: two threads there, so a hanging renewal blocks no watch. */
    private final ScheduledExecutorService leaseThreads;
    private final DeploymentStore store;
    /** When the leases were last renewed, on the time source's monotonic clock. */
    private volatile long leasesRenewedNanos;
    private volatile boolean leaseLost;
    private volatile boolean adoptedAtStart;
    private volatile long lastAdoptionNanos;
    /** How long another node's queued deployment waits before a free node runs it in its stead. */
    static final Duration STEAL_AFTER = Duration.ofSeconds(2);
    /** How often the store thread runs: log lines reach the store within it. */
    static final Duration STORE_TICK = Duration.ofMillis(500);
    private final Tracker tracker;
    private final Admissions admissions;
    private final Control control;
    /** The reason each held deployment's last status gave, so a status is posted only when it changes. */
    private final Map<DeploymentId, String> heldReasons = new ConcurrentHashMap<>();
    private final StatusOutbox outbox;
    private final Lanes lanes;
    private final CiWaitingRoom waitingRoom;
    private final EventRouter router;
    /** Gates GitHub Actions deployments as a protection rule; its thread exists only once a rule gates. */
    private final ProtectionGate gate;
    private ScheduledExecutorService gateThread;
    /** How long a thread of the robot's pools stays without work before it ends. */
    private final Duration idleKeepAlive;
    /** What every output of this robot is masked for: statuses, notices, logs, and the host's pages. */
    private final Secrets secrets;
    private final RobotMetrics metrics;
    /** Set by {@link #start()}: until then recovery has not even begun. */
    private volatile boolean started;
    /** How long {@link #health()} waits for the store's answer. */
    static final Duration PING_TIMEOUT = Duration.ofSeconds(2);

    private Autodeploy(Builder b) {
        this.config = b.config;
        this.api = b.api;
        this.runner = b.runner;
        this.time = b.time;
        this.retry = b.statusRetry;
        this.secrets = Secrets.of(config.secrets()).with(b.secrets);
        this.metrics = b.metrics;
        Notifications notifications = new Notifications(b.notifier, secrets);
        this.idleKeepAlive = b.idleKeepAlive;
        this.workers = idleEnds(new ThreadPoolExecutor(config.engine().workers(), config.engine().workers(), 0, TimeUnit.NANOSECONDS,
                new LinkedBlockingQueue<>(), threads("autodeploy-lane")), idleKeepAlive);
        this.statusThreads = idleEnds(new ScheduledThreadPoolExecutor(4, threads("autodeploy-status")), idleKeepAlive);
        this.ciThread = idleEnds(new ScheduledThreadPoolExecutor(1, threads("autodeploy-ci")), idleKeepAlive);
        this.storeThread = idleEnds(new ScheduledThreadPoolExecutor(1, threads("autodeploy-store")), idleKeepAlive);
        // The second lease thread is for the watch, which only a shared store has.
        this.leaseThreads = idleEnds(new ScheduledThreadPoolExecutor(b.store.shared() ? 2 : 1, threads("autodeploy-lease")),
                idleKeepAlive);
        this.store = b.store;
        this.tracker = new Tracker(b.store, notifications, b.time.asClock(), secrets, config.publicUrl(), b.metrics);
        this.outbox = new StatusOutbox(b.api, statusThreads, b.time, b.statusRetry, (id, why) -> tracker.log(id, "[autodeploy] " + why),
                tracker::posted);
        tracker.useOutbox(outbox);
        List<ExecutionPlanner> planners = new ArrayList<>(b.planners);
        planners.add(new CommandsPlanner());
        DeploymentRun run = new DeploymentRun(tracker, planners, b.runner, b.scratchRoot, b.time);
        Seals seals = new Seals(config.webhookSecrets());
        this.admissions = new Admissions(b.store, b.time, seals);
        this.lanes = new Lanes(config.engine().queueCapacity(), workers, storeThread, b.store, b.time, new Lanes.Worker() {
            @Override
            public void run(Job job) {
                heldReasons.remove(job.id());
                run.accept(job);
            }

            @Override
            public void failed(Job job, String why) {
                tracker.move(job.id(), DeploymentState.ERROR, why);
            }

            @Override
            public boolean runOlder(Job job, DeploymentId older) {
                return Autodeploy.this.runOlder(job, older, run);
            }

            @Override
            public void dropped(Job job) {
                tracker.forget(job.id());
            }

            @Override
            public void held(Job job, String reason) {
                if (!reason.equals(heldReasons.put(job.id(), reason))) {
                    tracker.move(job.id(), DeploymentState.QUEUED, reason, Optional.of(NotificationKind.HELD), Optional.empty());
                }
            }

            @Override
            public void refused(Job job, String reason) {
                heldReasons.remove(job.id());
                tracker.move(job.id(), DeploymentState.ERROR, reason, Optional.of(NotificationKind.REFUSED), Optional.empty());
            }

            @Override
            public void forced(Job job, String note) {
                heldReasons.remove(job.id());
                tracker.move(job.id(), DeploymentState.QUEUED, note, Optional.of(NotificationKind.FORCED),
                        admissions.intent(job.deployment()).by());
            }

            @Override
            public void superseded(Job job, DeploymentId newer) {
                heldReasons.remove(job.id());
                job.cancellation().cancel("superseded by deployment " + newer);
                tracker.move(job.id(), job.alreadyInProgress() ? DeploymentState.ERROR : DeploymentState.INACTIVE,
                        "superseded by deployment " + newer);
            }
        }, job -> admissions.admit(job.deployment(), job.rule()));
        this.gate = new ProtectionGate(config, b.store, b.protectionRules, b.checks, admissions, notifications, b.time,
                this::gateThread, secrets::redact, b.metrics, b.approvers);
        this.control = new Control(config, b.store, b.api, b.time, notifications, admissions, seals, () -> {
            lanes.recheck();
            gate.wakeAll();
        }, this::cancel, secrets::redact);
        this.waitingRoom = new CiWaitingRoom(b.api, b.checks, notifications, ciThread, b.time, b.store, b.metrics, seals);
        this.router = new EventRouter(config, b.store, tracker, lanes, waitingRoom, notifications, storeThread, gate);
    }

    /** Lets a decision being sent finish (an interrupted send could not say whether GitHub has it), then stops the gate. */
    private void stopGate() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = gateThread;
        }
        if (t == null) {
            return;
        }
        t.shutdown();
        try {
            if (!t.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("closing while a protection-rule decision is still being sent");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            t.shutdownNow();
        }
    }

    /** The gate's thread, made when first needed: a robot that gates nothing has none. */
    private synchronized ScheduledExecutorService gateThread() {
        if (gateThread == null) {
            gateThread = idleEnds(new ScheduledThreadPoolExecutor(1, threads("autodeploy-gate")), idleKeepAlive);
        }
        return gateThread;
    }

    public static Builder builder(RobotConfig config) {
        return new Builder(config);
    }

    /**
     * Takes one webhook delivery and answers at once; slow work (GitHub calls, processes) happens on
     * the robot's threads. Never throws for an event it cannot use: that is an ignored receipt.
     */
    public Receipt handle(DeliveryId delivery, WebhookEvent event) {
        Receipt receipt = router.route(delivery, event);
        metrics.webhookDelivery(eventName(event), RECEIPT_NAMES[receipt.kind().ordinal()]);
        return receipt;
    }

    /** Each receipt kind's name as metrics tag it, made once rather than per delivery. */
    private static final String[] RECEIPT_NAMES = java.util.Arrays.stream(Receipt.Kind.values())
            .map(k -> k.name().toLowerCase(java.util.Locale.ROOT)).toArray(String[]::new);

    /** GitHub's name of an event the robot parses; {@code other} for the rest, so the set of names stays bounded. */
    private static String eventName(WebhookEvent event) {
        if (event instanceof WebhookEvent.Ping) {
            return "ping";
        } else if (event instanceof WebhookEvent.PullRequestClosed) {
            return "pull_request";
        } else if (event instanceof WebhookEvent.Push) {
            return "push";
        } else if (event instanceof WebhookEvent.DeploymentCreated) {
            return "deployment";
        } else if (event instanceof WebhookEvent.DeploymentStatusCreated) {
            return "deployment_status";
        } else if (event instanceof WebhookEvent.CommitStatus) {
            return "status";
        } else if (event instanceof WebhookEvent.CheckRunCompleted) {
            return "check_run";
        } else if (event instanceof WebhookEvent.CheckSuiteCompleted) {
            return "check_suite";
        } else if (event instanceof WebhookEvent.ProtectionRuleRequested) {
            return "deployment_protection_rule";
        }
        return "other";
    }

    /**
     * Whether the robot can take and run work now: the store answers a ping (waiting at most about
     * two seconds), recovery after {@link #start()} is done, and {@link #close()} has not begun; with
     * the deployments waiting in lanes and GitHub's rate-limit remaining, when known. Cheap enough
     * for a readiness probe every few seconds; never throws.
     */
    public Health health() {
        boolean reachable;
        try {
            reachable = store.ping(PING_TIMEOUT);
        } catch (RuntimeException e) {
            reachable = false;
        }
        boolean recovered = started && config.rules().stream().noneMatch(rule -> lanes.held(Job.laneOf(rule)));
        java.util.OptionalInt remaining;
        try {
            remaining = api.rateLimitRemaining();
        } catch (RuntimeException e) {
            remaining = java.util.OptionalInt.empty();
        }
        return new Health(reachable, recovered, lanes.intakeClosed(), lanes.waiting(), remaining);
    }

    /**
     * The metrics this robot reports to (the builder's {@link Builder#metrics}); a host's webhook
     * endpoint reports there what it answers itself (a bad signature, say).
     */
    public RobotMetrics metrics() {
        return metrics;
    }

    /** Sets the gauges the robot samples: deployments waiting per lane, statuses waiting to be posted. */
    private void sampleGauges() {
        try {
            for (EnvironmentRule rule : config.rules()) {
                metrics.laneQueueDepth(rule.repository(), rule.environment(), lanes.waiting(Job.laneOf(rule)));
            }
            metrics.outboxPending(outbox.waiting());
        } catch (RuntimeException e) {
            LOG.debug("metrics failed: {}", e.toString());
        }
    }

    /**
     * Resumes what a previous run left, in the background, and returns at once (so the host can
     * listen while GitHub is slow). With a durable store, the store says what was left: deployments
     * and merges waiting for CI that an earlier run of this robot (or, on a shared store, a node whose
     * lease ran out) owned are taken over: queued ones are queued again, running ones are marked
     * error (or re-run, where the rule says so), statuses GitHub does not have yet are posted. With
     * the in-memory store, GitHub says: deployments it shows queued by this robot are queued again;
     * ones shown in progress are marked error (or re-run). Until a rule's recovery is done, its lane
     * queues new deployments but starts none. When the store or GitHub fails, recovery is tried again
     * after the retry policy's delay.
     */
    public void start() {
        for (EnvironmentRule rule : config.rules()) {
            lanes.hold(Job.laneOf(rule));
        }
        leasesRenewedNanos = time.nanoTime();
        started = true;
        try {
            ciThread.execute(() -> {
                stopLeftovers();
                if (store.durable()) {
                    adoptAtStart(0);
                } else {
                    config.rules().forEach(rule -> recover(rule, 0));
                }
            });
            time.schedule(storeThread, STORE_TICK, this::tendStore);
            gate.start();
            if (store.durable()) {
                scheduleLease(store.leaseTimeout().dividedBy(3), this::renewLeases);
                if (store.shared()) {
                    scheduleLease(store.leaseTimeout().dividedBy(6), this::watchLeases);
                }
            }
        } catch (RejectedExecutionException closed) {
            LOG.debug("robot closed before its recovery began");
        }
    }

    /** Takes over what the store says an earlier run left, on the CI thread; lanes are released after. */
    private void adoptAtStart(int failures) {
        Orphans orphans;
        try {
            orphans = store.adoptOrphans();
        } catch (RuntimeException e) {
            Duration delay = retry.delay(failures + 1, Optional.empty());
            LOG.warn("recovery: the store could not say what an earlier run left; trying again in {} ms: {}",
                    delay.toMillis(), e.getMessage());
            try {
                time.schedule(ciThread, delay, () -> adoptAtStart(failures + 1));
            } catch (RejectedExecutionException closed) {
                LOG.debug("robot closed; no more recovery");
            }
            return;
        }
        try {
            if (!orphans.isEmpty()) {
                LOG.info("recovery: taking over {} deployment(s) and {} merge(s) waiting for CI that an earlier run left",
                        orphans.deployments().size(), orphans.waiting().size());
            }
            resume(orphans);
        } finally {
            adoptedAtStart = true;
            lastAdoptionNanos = time.nanoTime();
            config.rules().forEach(rule -> lanes.release(Job.laneOf(rule)));
        }
    }

    private void resume(Orphans orphans) {
        orphans.deployments().stream()
                .sorted((a, b) -> Long.compare(a.record().deployment().id().value(), b.record().deployment().id().value()))
                .forEach(this::resume);
        for (WaitingMerge merge : orphans.waiting()) {
            Optional<EnvironmentRule> rule = config.rule(merge.repository(), merge.environment());
            if (rule.isEmpty()) {
                LOG.warn("recovery: {} of {} waited for CI, but no rule deploys {} any more; dropping it", merge.cause(),
                        merge.repository(), merge.environment());
                forgetMerge(merge);
            } else if (!waitingRoom.resume(rule.get(), merge)) {
                LOG.debug("robot closing; {} stays in the store", merge.cause());
            }
        }
    }

    private void forgetMerge(WaitingMerge merge) {
        try {
            store.unpark(merge.requestId());
        } catch (RuntimeException e) {
            LOG.warn("store could not forget {}: {}", merge.cause(), e.getMessage());
        }
    }

    /** Carries on with one deployment the store says an owner that is gone left. */
    private void resume(Orphans.Adopted adopted) {
        DeploymentRecord r = adopted.record();
        Deployment d = r.deployment();
        Optional<EnvironmentRule> rule = config.rule(d.repository(), d.environment());
        if (rule.isEmpty()) {
            LOG.warn("recovery: deployment {} of {} to {} was left {}, but no rule deploys there any more; leaving it",
                    d.id(), d.repository(), d.environment(), r.state().apiValue());
            return;
        }
        if (!tracker.adopt(r, rule.get(), adopted.statusesPosted())) {
            return;
        }
        switch (r.state()) {
            case PENDING -> {
                tracker.move(d.id(), DeploymentState.QUEUED, "queued for " + d.environment());
                requeue(d, rule.get(), false, DeploymentState.PENDING);
            }
            case QUEUED -> requeue(d, rule.get(), false, DeploymentState.QUEUED);
            case IN_PROGRESS -> {
                if (rule.get().rerunInterrupted()) {
                    requeue(d, rule.get(), true, DeploymentState.IN_PROGRESS);
                } else {
                    tracker.move(d.id(), DeploymentState.ERROR,
                            "interrupted: the robot running it stopped before it ended; deploy again to retry");
                }
            }
            default -> LOG.debug("recovery: deployment {} had ended; posting what GitHub does not have yet", d.id());
        }
    }

    private void requeue(Deployment d, EnvironmentRule rule, boolean rerun, DeploymentState was) {
        tracker.log(d.id(), "[autodeploy] resumed by " + (rerun ? "re-running it" : "queueing it again")
                + " after the robot that had it stopped (was " + was.apiValue() + ")");
        router.settle(d, lanes.enqueue(new Job(d, rule, new Cancellation(), rerun)));
    }

    /**
     * The store thread's round: log batches, and the records and posted counts the store missed, go
     * in; on a shared store, what nodes that are gone left is adopted. Leases are renewed and watched
     * on their own threads ({@link #renewLeases()}, {@link #watchLeases()}).
     */
    private void tendStore() {
        sampleGauges();
        try {
            tracker.flushLogs();
            tracker.retryUnsaved();
            if (lanes.anyHeld()) {
                // A lock expired, a window opened, or another node unlocked: held jobs are judged again.
                lanes.recheck();
            }
            Duration lease = store.leaseTimeout();
            long now = time.nanoTime();
            if (store.shared() && adoptedAtStart && now - lastAdoptionNanos >= lease.toNanos() / 3) {
                lastAdoptionNanos = now;
                Orphans orphans = store.adoptOrphans();
                if (!orphans.isEmpty()) {
                    LOG.info("taking over {} deployment(s) and {} merge(s) waiting for CI from a node whose lease ran out "
                                    + "(store.lease_timeout {} s): deployments {}", orphans.deployments().size(),
                            orphans.waiting().size(), lease.toSeconds(), orphans.deployments().stream()
                                    .map(a -> a.record().deployment().id() + " (" + a.record().state().apiValue() + ")").toList());
                }
                resume(orphans);
            }
        } catch (RuntimeException e) {
            LOG.warn("store upkeep failed; trying again: {}", e.getMessage());
        } finally {
            try {
                time.schedule(storeThread, STORE_TICK, this::tendStore);
            } catch (RejectedExecutionException closed) {
                LOG.debug("robot closed; store upkeep ends");
            }
        }
    }

    /**
     * Renews this robot's leases, on the lease threads, every third of the lease timeout; a call that
     * hangs on a database that went away holds up nothing else.
     */
    private void renewLeases() {
        long started = time.nanoTime();
        try {
            for (DeploymentId id : tracker.disowned()) {
                store.release(id);
                tracker.released(id);
                LOG.info("released deployment {}, stopped here when the store was away, for whichever node adopts it", id);
            }
            store.renewLeases();
            leasesRenewedNanos = started;
            if (leaseLost) {
                leaseLost = false;
                LOG.info("the store is back; leases renewed");
            }
        } catch (RuntimeException e) {
            LOG.warn("could not renew this robot's leases in the store: {}", e.getMessage());
        } finally {
            scheduleLease(store.leaseTimeout().dividedBy(3), this::renewLeases);
        }
    }

    /**
     * On a shared store, a robot whose leases were last renewed two thirds of the lease timeout ago
     * cancels what it runs: a third of the timeout before another node may take it over, so the two
     * never run one lane at once. It touches no store, so a hanging renewal cannot delay it.
     */
    private void watchLeases() {
        try {
            Duration lease = store.leaseTimeout();
            long silent = time.nanoTime() - leasesRenewedNanos;
            if (!leaseLost && silent > lease.toNanos() * 2 / 3) {
                leaseLost = true;
                LOG.error("no lease renewed for {} ms (store.lease_timeout {} s): cancelling what runs here, since another "
                        + "node may take it over", silent / 1_000_000, lease.toSeconds());
                lanes.runningJobs().forEach(j -> {
                    tracker.disown(j.id());
                    j.cancellation().cancel("this robot lost its store for too long; another node may take the deployment over");
                });
            }
        } finally {
            scheduleLease(store.leaseTimeout().dividedBy(6), this::watchLeases);
        }
    }

    private void scheduleLease(Duration delay, Runnable task) {
        try {
            time.schedule(leaseThreads, delay, task);
        } catch (RejectedExecutionException closed) {
            LOG.debug("robot closed; lease upkeep ends");
        }
    }

    /**
     * Claims an older deployment of {@code job}'s lane that the store holds queued (whichever node
     * queued it) and runs it here; the lane's lock is held. False when it could not be claimed.
     */
    private boolean runOlder(Job job, DeploymentId older, DeploymentRun run) {
        if (!lanes.isWaiting(older) && tracker.heldHere(older)) {
            // This process has it, and no lane of it waits: it runs or ran here and the store has not
            // taken that yet (a write failed), or it is being settled here (superseded, refused). The
            // store's "queued, not started" is behind; running it would run it twice.
            return false;
        }
        Optional<DeploymentRecord> record;
        int posted;
        try {
            record = store.find(older);
            if (record.isEmpty() || (record.get().queuedAt().isAfter(time.now().minus(STEAL_AFTER))
                    && tracker.ruleOf(older).isEmpty())) {
                // Gone, or just accepted on another node, which is posting its queued status and may run it.
                return false;
            }
            if (!store.claim(older)) {
                return false;
            }
            posted = store.postedCount(older);
        } catch (RuntimeException e) {
            LOG.warn("could not take over older deployment {} of lane {}: {}", older, job.lane(), e.getMessage());
            return false;
        }
        DeploymentRecord r = record.get();
        Optional<Job> here = lanes.removeWaiting(older);
        if (here.isEmpty()) {
            LOG.info("running deployment {}, which another node queued and has not started, before deployment {}",
                    older, job.id());
            tracker.adopt(r, job.rule(), posted);
        }
        try {
            run.accept(here.orElseGet(() -> new Job(r.deployment(), job.rule(), new Cancellation(), false)));
        } catch (RuntimeException e) {
            // Its trouble is its own: the deployment this lane was about to run still runs.
            LOG.warn("older deployment {} of lane {} could not run before deployment {}: {}", older, job.lane(), job.id(),
                    e.toString());
            return false;
        }
        return true;
    }

    /** Ends what a crashed earlier run left running; lanes are held until recovery, so nothing runs beside it. */
    private void stopLeftovers() {
        try {
            int stopped = runner.stopLeftovers();
            if (stopped > 0) {
                LOG.warn("recovery: stopped {} process(es) that steps of an earlier run left running", stopped);
            }
        } catch (RuntimeException e) {
            LOG.warn("recovery: could not stop what steps of an earlier run left running: {}", e.getMessage());
        }
    }

    /** Recovery of one rule, on the CI thread; its lane is released once GitHub has answered. */
    private void recover(EnvironmentRule rule, int failures) {
        String ours = config.publicUrl() + "/deployments/";
        List<UnfinishedDeployment> unfinished;
        try {
            unfinished = api.listUnfinished(rule.repository(), rule.environment());
        } catch (RuntimeException e) {
            // GitHub refusing for good (a 404, a bad token) is an answer; anything else is tried again.
            boolean retryable = ApiException.mayRetry(e);
            if (retryable) {
                Optional<Duration> serverDelay = ApiException.askedDelay(e);
                Duration delay = retry.delay(failures + 1, serverDelay);
                LOG.warn("recovery: could not list unfinished deployments of {} {}; trying again in {} ms: {}",
                        rule.repository(), rule.environment(), delay.toMillis(), e.getMessage());
                try {
                    time.schedule(ciThread, delay, () -> recover(rule, failures + 1));
                } catch (RejectedExecutionException closed) {
                    LOG.debug("robot closed; no more recovery of {} {}", rule.repository(), rule.environment());
                }
                return;
            }
            LOG.warn("recovery: GitHub refused to list unfinished deployments of {} {}; not recovering them: {}",
                    rule.repository(), rule.environment(), e.getMessage());
            lanes.release(Job.laneOf(rule));
            return;
        }
        try {
            unfinished.stream().filter(u -> u.logUrl().filter(url -> url.startsWith(ours)).isPresent())
                    .sorted((a, b) -> Long.compare(a.deployment().id().value(), b.deployment().id().value()))
                    .forEach(u -> resume(rule, u));
        } finally {
            lanes.release(Job.laneOf(rule));
        }
    }

    private void resume(EnvironmentRule rule, UnfinishedDeployment u) {
        Deployment d = u.deployment();
        try {
            resumeFromGitHub(rule, u, d);
        } catch (StoreUnavailable e) {
            LOG.warn("recovery: could not resume deployment {}: {}", d.id(), e.getMessage());
        }
    }

    private void resumeFromGitHub(EnvironmentRule rule, UnfinishedDeployment u, Deployment d) {
        if (u.state() == DeploymentState.QUEUED || (u.state() == DeploymentState.IN_PROGRESS && rule.rerunInterrupted())) {
            if (tracker.open(d, rule, DeploymentLifecycle.resumedAt(u.state()), false)) {
                tracker.log(d.id(), "[autodeploy] resumed after a restart (was " + u.state().apiValue() + ")");
                Lanes.Outcome outcome = lanes.enqueue(new Job(d, rule, new Cancellation(), u.state() == DeploymentState.IN_PROGRESS));
                router.settle(d, outcome);
            }
        } else if (u.state() == DeploymentState.IN_PROGRESS && tracker.open(d, rule, DeploymentLifecycle.resumedAt(u.state()), false)) {
            tracker.move(d.id(), DeploymentState.ERROR, "interrupted by a restart of the robot; deploy again to retry");
        }
    }

    /** Stops a queued or running deployment; false when it is neither. */
    public boolean cancel(DeploymentId id, String reason) {
        Optional<Job> waiting = lanes.removeWaiting(id);
        if (waiting.isPresent()) {
            heldReasons.remove(id);
            waiting.get().cancellation().cancel(reason);
            tracker.move(id, DeploymentState.ERROR, "cancelled before it started: " + reason);
            return true;
        }
        Optional<Job> running = lanes.running(id);
        running.ifPresent(j -> j.cancellation().cancel(reason));
        return running.isPresent();
    }

    /**
     * Locks a repository's environment for {@code who} (deployer role): nothing deploys there on its own
     * until it is unlocked or {@code expiresIn} has passed. Taking another user's lock needs {@code steal},
     * which is recorded and announced.
     */
    public ControlResult lock(RepositoryName repository, EnvironmentName environment, Actor who, String reason,
                              Optional<Duration> expiresIn, boolean steal) {
        return control.lock(repository, environment, who, reason, expiresIn, steal);
    }

    /** Unlocks a repository's environment (deployer role); another user's lock only with {@code steal}. */
    public ControlResult unlock(RepositoryName repository, EnvironmentName environment, Actor who, boolean steal) {
        return control.unlock(repository, environment, who, steal);
    }

    /**
     * Deploys a finished deployment's exact commit again, as a new GitHub deployment naming {@code who}
     * (deployer role); past a lock or a closed window only with a {@code reason}, which is recorded.
     */
    public ControlResult redeploy(DeploymentId id, Actor who, String reason) {
        return control.redeploy(id, who, reason);
    }

    /** Rolls an environment back to a commit that deployed successfully there before (deployer role). */
    public ControlResult rollback(RepositoryName repository, EnvironmentName environment, CommitSha sha, Actor who,
                                  String reason) {
        return control.rollback(repository, environment, sha, who, reason);
    }

    /** Cancels a queued or running deployment and rolls back to its environment's last successful commit. */
    public ControlResult abortAndRollBack(DeploymentId id, Actor who, String reason) {
        return control.abortAndRollBack(id, who, reason);
    }

    /**
     * GitHub Actions deployments this robot gates as a protection rule, those still waiting first, then
     * the newest; at most {@code limit}.
     *
     * @throws AutodeployException when the store cannot be reached
     */
    public List<io.github.autodeploy.core.store.GatedRun> gatedRuns(int limit) {
        try {
            return gate.runs(limit);
        } catch (RuntimeException e) {
            LOG.warn("could not list gated runs: {}", secrets.redact(String.valueOf(e.getMessage())));
            throw new AutodeployException("the robot cannot reach its store now; try again shortly");
        }
    }

    /** One gated run by its key ({@code GatedRun.key()}), if stored. */
    public Optional<io.github.autodeploy.core.store.GatedRun> gatedRun(String key) {
        try {
            return store.gated(key);
        } catch (RuntimeException e) {
            LOG.warn("could not read gated run {}: {}", key, secrets.redact(String.valueOf(e.getMessage())));
            throw new AutodeployException("the robot cannot reach its store now; try again shortly");
        }
    }

    /**
     * Approves a waiting gated Actions run as {@code who} (the rule's {@code approvals.role}); the run's own
     * creator may not unless {@code self_approval}. The run is approved once it has its rule's approvals
     * and its other conditions hold.
     */
    public ControlResult approveGated(String key, Actor who) {
        return gate.approve(key, who);
    }

    /** Rejects a waiting gated Actions run as {@code who}, with a reason (the same role as approving). */
    public ControlResult rejectGated(String key, Actor who, String reason) {
        return gate.reject(key, who, reason);
    }

    /**
     * Every configured environment at a glance: deployed now, running, queued (and held), waiting for
     * CI, lock and window.
     *
     * @throws AutodeployException when the store cannot be reached
     */
    public List<EnvironmentView> environments() {
        try {
            return control.environments(tracker.recent(Math.max(200, config.engine().historyLimit())), store.waiting(),
                    lanes::isHeld);
        } catch (RuntimeException e) {
            LOG.warn("could not list environments: {}", secrets.redact(String.valueOf(e.getMessage())));
            throw new AutodeployException("the robot cannot reach its store now; try again shortly");
        }
    }

    /** Whether a lock or deploy window holds a queued deployment on this node. */
    public boolean held(DeploymentId id) {
        return lanes.isHeld(id);
    }

    /**
     * The newest deployments, queued and running ones included; at most {@code limit}.
     *
     * @throws AutodeployException when the store cannot be reached (rather than an empty history)
     */
    public List<DeploymentRecord> recent(int limit) {
        try {
            return tracker.recent(limit);
        } catch (StoreUnavailable e) {
            LOG.warn("{}", e.getMessage());
            throw new AutodeployException("the robot cannot reach its store now; try again shortly");
        }
    }

    /**
     * A deployment, tracked here or in the store.
     *
     * @throws AutodeployException when the store cannot be reached (rather than answering "none")
     */
    public Optional<DeploymentRecord> find(DeploymentId id) {
        try {
            return tracker.findOrFail(id);
        } catch (StoreUnavailable e) {
            LOG.warn("{}", e.getMessage());
            throw new AutodeployException("the robot cannot reach its store now; try again shortly");
        }
    }

    public LogChunk log(DeploymentId id, long fromLine) {
        return tracker.readLog(id, fromLine);
    }

    /** The URL of a deployment's log page, as posted to GitHub. */
    public String logUrl(DeploymentRecord record) {
        return tracker.logUrl(record);
    }

    /** True once {@link #close()} has begun. */
    boolean closing() {
        return lanes.intakeClosed();
    }

    /** The time source this robot reads and schedules by; hosts pass it on (to the deployment pages, say). */
    public TimeSource timeSource() {
        return time;
    }

    /**
     * Every secret this robot masks: the configuration's and those the builder added (the pages'
     * credentials, say). Hosts mask what they show with the same set, so no output masks less.
     */
    public Secrets secrets() {
        return secrets;
    }

    /** The configuration this robot runs with. */
    public RobotConfig config() {
        return config;
    }

    /**
     * Takes no more work, lets queued and running deployments finish for the configured grace
     * period, then cancels what still runs and marks what never started as errors.
     */
    @Override
    public void close() {
        lanes.closeIntake();
        if (waitingRoom.waiting() > 0 && !store.durable()) {
            LOG.warn("closing while {} merge(s) or push(es) wait for CI; they will not be deployed by this run",
                    waitingRoom.waiting());
        }
        Duration grace = config.engine().shutdownGrace();
        try {
            if (!lanes.awaitIdle(grace)) {
                List<Job> left = lanes.stop();
                if (store.durable() && !left.isEmpty()) {
                    LOG.info("{} queued deployment(s) stay queued in the store, for the next start or another node", left.size());
                }
                for (Job job : left) {
                    job.cancellation().cancel("the robot shut down");
                    if (!store.durable()) {
                        tracker.move(job.id(), DeploymentState.ERROR, "not started: the robot shut down");
                    }
                }
                lanes.runningJobs().forEach(j -> j.cancellation().cancel("the robot shut down"));
                lanes.awaitIdle(Duration.ofSeconds(30));
            }
            workers.shutdown();
            workers.awaitTermination(5, TimeUnit.SECONDS);
            if (!outbox.awaitIdle(Duration.ofSeconds(10))) {
                LOG.warn("closing with deployment statuses not yet posted to GitHub");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            storeThread.shutdownNow();
            leaseThreads.shutdownNow();
            tracker.flushLogs();
            tracker.retryUnsaved();
            workers.shutdownNow();
            ciThread.shutdownNow();
            statusThreads.shutdownNow();
            stopGate();
        }
    }

    /**
     * Lets {@code pool}'s threads end after {@code keepAlive} without work, queued or scheduled: a thread is made
     * again when work comes, so an idle robot keeps only the threads its periodic upkeep needs. A pool of one
     * still runs its tasks one at a time, in order.
     */
    private static <T extends ThreadPoolExecutor> T idleEnds(T pool, Duration keepAlive) {
        pool.setKeepAliveTime(keepAlive.toNanos(), TimeUnit.NANOSECONDS);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** How long a robot's thread without work waits for more before it ends. */
    static final Duration IDLE_THREAD_KEEP_ALIVE = Duration.ofSeconds(60);

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Wires a robot from a configuration and its ports; {@link #build()} says what is missing. Not thread-safe. */
    public static final class Builder {
        private final RobotConfig config;
        private DeploymentApi api;
        private CommitChecks checks;
        private Notifier notifier;
        private CommandRunner runner;
        private DeploymentStore store;
        private final List<ExecutionPlanner> planners = new ArrayList<>();
        private TimeSource time = TimeSource.system();
        private RetryPolicy statusRetry = RetryPolicy.defaults();
        private Path scratchRoot = Path.of(System.getProperty("java.io.tmpdir"));
        private Secrets secrets = Secrets.none();
        private RobotMetrics metrics = RobotMetrics.none();
        private Duration idleKeepAlive = IDLE_THREAD_KEEP_ALIVE;
        private java.util.function.Function<String, Optional<io.github.autodeploy.core.control.Role>> approvers = name -> Optional
                .of(io.github.autodeploy.core.control.Role.ADMIN);
        private io.github.autodeploy.core.port.ProtectionRuleApi protectionRules = io.github.autodeploy.core.port.ProtectionRuleApi
                .notConfigured("no GitHub App is configured (github.app_id, github.private_key)");

        private Builder(RobotConfig config) {
            if (config == null) {
                throw new IllegalArgumentException("config is required; get one from RawConfig.resolve()");
            }
            this.config = config;
        }

        public Builder deploymentApi(DeploymentApi api) { this.api = api; return this; }

        public Builder commitChecks(CommitChecks checks) { this.checks = checks; return this; }

        public Builder notifier(Notifier notifier) { this.notifier = notifier; return this; }

        public Builder commandRunner(CommandRunner runner) { this.runner = runner; return this; }

        public Builder store(DeploymentStore store) { this.store = store; return this; }

        /** Adds a planner for a kind of execution core does not plan itself. */
        public Builder planner(ExecutionPlanner planner) { planners.add(planner); return this; }

        /** Where the robot reads the time and measures its delays; default {@link TimeSource#system()}. */
        public Builder timeSource(TimeSource time) { this.time = time; return this; }

        /**
         * How long to wait between tries of a status post GitHub did not take; default {@link
         * RetryPolicy#defaults()}. A status is retried until GitHub takes it or refuses it for good.
         */
        public Builder statusRetry(RetryPolicy policy) { this.statusRetry = policy; return this; }

        /**
         * Secrets the robot masks besides the configuration's own ({@link RobotConfig#secrets()}): the
         * host's credentials, such as the pages' token and password. Statuses, notices and logs are
         * masked for all of them; see {@link Autodeploy#secrets()}.
         */
        public Builder secrets(Secrets more) { this.secrets = this.secrets.with(more); return this; }

        /**
         * Where the robot reports deliveries, deployments, waits and queue depths; default {@link
         * RobotMetrics#none()}. Give the same metrics to the GitHub and Slack adapters for their calls.
         */
        public Builder metrics(RobotMetrics metrics) { this.metrics = metrics; return this; }

        /** How long an idle thread of the robot's pools waits for work before it ends (60 s); tests shorten it. */
        Builder idleThreadKeepAlive(Duration keepAlive) {
            if (keepAlive.isNegative() || keepAlive.isZero()) {
                throw new IllegalArgumentException("idleThreadKeepAlive must be positive, not " + keepAlive);
            }
            this.idleKeepAlive = keepAlive;
            return this;
        }

        /**
         * How the robot answers GitHub Actions deployment protection rules (a GitHub App's installation
         * tokens: {@code ProtectionRuleClient} from autodeploy-github-adapter); default: answers none.
         */
        public Builder protectionRules(io.github.autodeploy.core.port.ProtectionRuleApi api) {
            this.protectionRules = api;
            return this;
        }

        /**
         * The role each of the host's users has now (empty: no such user any more), so that an approval of a
         * gated Actions run counts only while its user still may approve; default: every approval counts
         * (a host that names no users). {@code RobotAssembly} wires {@code access.users} here.
         */
        public Builder approvers(java.util.function.Function<String, Optional<io.github.autodeploy.core.control.Role>> roleOf) {
            this.approvers = roleOf;
            return this;
        }

        /** Where per-deployment scratch folders (payload files) are made; default the temp folder. */
        public Builder scratchRoot(Path root) { this.scratchRoot = root; return this; }

        public Autodeploy build() {
            List<String> missing = new ArrayList<>();
            if (api == null) {
                missing.add("deploymentApi (GitHubClient from autodeploy-github-adapter)");
            }
            if (checks == null) {
                missing.add("commitChecks (GitHubClient from autodeploy-github-adapter)");
            }
            if (notifier == null) {
                missing.add("notifier (SlackNotifier from autodeploy-slack-adapter, or Notifier.none())");
            }
            if (runner == null) {
                missing.add("commandRunner (LocalCommandRunner from autodeploy-core)");
            }
            if (store == null) {
                missing.add("store (InMemoryDeploymentStore from autodeploy-core)");
            }
            if (metrics == null) {
                missing.add("metrics (RobotMetrics.none() from autodeploy-core, or MicrometerRobotMetrics from autodeploy-micrometer)");
            }
            if (protectionRules == null) {
                missing.add("protectionRules (ProtectionRuleClient from autodeploy-github-adapter, or ProtectionRuleApi.notConfigured)");
            }
            if (time == null || statusRetry == null) {
                missing.add("timeSource and statusRetry (TimeSource.system() and RetryPolicy.defaults() from autodeploy-core)");
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("cannot build the robot; wire " + String.join(", ", missing));
            }
            CommandsPlanner commands = new CommandsPlanner();
            for (EnvironmentRule rule : config.rules()) {
                if (!commands.plans(rule.execution()) && planners.stream().noneMatch(p -> p.plans(rule.execution()))) {
                    throw new IllegalStateException("repos." + rule.repository() + " (" + rule.environment()
                            + ") runs \"" + rule.execution().kind() + "\", which no planner of this robot handles; "
                            + "add the planner that handles it with planner(...)");
                }
            }
            return new Autodeploy(this);
        }
    }
}
