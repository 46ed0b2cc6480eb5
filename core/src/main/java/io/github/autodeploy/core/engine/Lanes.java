package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.core.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One queue per repository and environment, each run by at most one worker at a time, so a lane's
 * deployments never overlap while lanes run in parallel up to the worker pool's size. The total of
 * waiting deployments is bounded. A lane never starts a deployment older (a lower GitHub id) than one
 * it has already taken, so a late delivery cannot roll production back: what a lane started is read
 * from the store when the lane is first used (so it holds across restarts), and again under the lane's
 * lock before each run (so it holds across nodes sharing the store). A held lane queues but starts
 * nothing until released (while its recovery after a restart runs). A lane survives anything a job
 * throws. Thread-safe: the monitor guards every lane.
 */
final class Lanes {
    private static final Logger LOG = LoggerFactory.getLogger(Lanes.class);
    private final int capacity;
    private final ExecutorService workers;
    /** Where a lane that let an older deployment go first is started again. */
    private final ScheduledExecutorService retries;
    /** How long a job has let older ones go first, by deployment: since when (monotonic nanos). */
    private final Map<DeploymentId, Long> yielding = new java.util.concurrent.ConcurrentHashMap<>();
    private final Duration maxYield;
    /** How long a lane waits before it looks again whether an older deployment another node queued has started. */
    static final Duration YIELD_DELAY = Duration.ofMillis(200);
    /** Older deployments a lane runs at most before the one it took, so one job cannot hold a lane forever. */
    static final int MAX_OLDER_PER_RUN = 100;
    private final DeploymentStore store;
    private final TimeSource time;
    private final Worker worker;
    private final Map<String, Lane> lanes = new HashMap<>();
    private final Set<String> held = new HashSet<>();
    /** Jobs their environment's lock or deploy window holds; they wait without keeping the robot busy. */
    private final Set<DeploymentId> heldJobs = new HashSet<>();
    private final Admitter admitter;
    /** Changed under this object's monitor; volatile so that {@link #hasRoom()} reads it without taking the monitor. */
    private volatile int waiting;
    /** Changed under this object's monitor; volatile so that {@link #hasRoom()} and {@link #intakeClosed()} read it without it. */
    private volatile boolean intakeClosed;
    private boolean stopped;

    private static final class Lane {
        final String key;
        final LinkedList<Job> queue = new LinkedList<>();
        Job running;
        /** The newest deployment this lane has started; none started is null. */
        DeploymentId newestStarted;
        boolean scheduled;

        Lane(String key) {
            this.key = key;
        }
    }

    /** What a lane does with a job it takes. */
    interface Worker {
        /** Runs the deployment; expected to end it (success, failure or error) itself. */
        void run(Job job);

        /** Ends a job the lane could not run, or whose run failed with something it let through. */
        void failed(Job job, String why);

        /** Ends a job that a newer deployment, started in its lane (on this node or another), replaces. */
        void superseded(Job job, DeploymentId newer);

        /**
         * Claims and runs, here and now (the lane's lock is held), an older deployment of the job's lane
         * that is queued in the store and not started, whichever node queued it; false when it could not.
         */
        boolean runOlder(Job job, DeploymentId older);

        /** Forgets a job another node took over or ran: it needs no move from here. */
        void dropped(Job job);

        /** Says that a job waits for its environment's lock or deploy window ({@code reason}); called each time it is held. */
        void held(Job job, String reason);

        /** Ends a job its environment's lock or deploy window refuses. */
        void refused(Job job, String reason);

        /** Records, just before it runs, what a job was forced past. */
        void forced(Job job, String note);
    }

    /** Decides whether a job may start now; may throw when the store cannot be read (the lane then tries again). */
    interface Admitter {
        Admission admit(Job job);

        Admitter ALWAYS = job -> Admission.GO;
    }

    /** What became of an enqueued job. */
    sealed interface Outcome {
        /**
         * Queued; {@code superseded} are older waiting jobs it replaces, already removed. {@code behindOthers}:
         * a deployment ran in its lane, or others waited there, as it was queued, so it may wait a while (and
         * is worth judging now); otherwise the lane judges it as it starts it, in a moment.
         */
        record Queued(List<Job> superseded, boolean behindOthers) implements Outcome {
        }

        /** A newer deployment already waits, runs or ran in the lane, which replaces this one. */
        record Superseded(DeploymentId newer) implements Outcome {
        }

        record Full() implements Outcome {
        }

        record Closed() implements Outcome {
        }
    }

    Lanes(int capacity, ExecutorService workers, ScheduledExecutorService retries, DeploymentStore store, TimeSource time,
          Worker worker) {
        this(capacity, workers, retries, store, time, worker, Admitter.ALWAYS);
    }

    Lanes(int capacity, ExecutorService workers, ScheduledExecutorService retries, DeploymentStore store, TimeSource time,
          Worker worker, Admitter admitter) {
        this.admitter = admitter;
        this.capacity = capacity;
        this.workers = workers;
        this.retries = retries;
        this.store = store;
        this.time = time;
        this.worker = worker;
        this.maxYield = store.leaseTimeout().multipliedBy(2);
    }

    /**
     * Whether a new job would be taken now; a hint read without the monitor, since every webhook asks it
     * ({@link #enqueue} decides under the monitor).
     */
    boolean hasRoom() {
        return !intakeClosed && waiting < capacity;
    }

    synchronized Outcome enqueue(Job job) {
        if (intakeClosed) {
            return new Outcome.Closed();
        }
        Lane lane = lanes.computeIfAbsent(job.lane(), key -> newLane(key, job));
        List<Job> superseded = new ArrayList<>();
        if (!job.rollsBack()) {
            // A superseding lane runs only its newest; any other lane runs, in order, what is newer than it started.
            Optional<DeploymentId> newer = newerThan(lane, job.id(), job.rule().supersede());
            if (newer.isPresent()) {
                return new Outcome.Superseded(newer.get());
            }
        }
        if (job.rule().supersede()) {
            // Every waiting job is older: a newer one would have superseded this one above.
            for (Iterator<Job> it = lane.queue.iterator(); it.hasNext(); ) {
                Job older = it.next();
                it.remove();
                waiting--;
                heldJobs.remove(older.id());
                superseded.add(older);
            }
        }
        if (waiting >= capacity) {
            lane.queue.addAll(superseded);
            waiting += superseded.size();
            return new Outcome.Full();
        }
        insertInOrder(lane.queue, job);
        waiting++;
        if (!schedule(lane)) {
            lane.queue.remove(job);
            waiting--;
            return new Outcome.Closed();
        }
        return new Outcome.Queued(superseded, lane.running != null || lane.queue.size() > 1);
    }

    /**
     * The newest deployment of the lane that is newer than {@code id}: one running or started before
     * (on this node, or on any node as the store said when the lane was first used), or (when {@code
     * waitingOnesCount}) one waiting.
     */
    private static Optional<DeploymentId> newerThan(Lane lane, DeploymentId id, boolean waitingOnesCount) {
        DeploymentId newest = lane.newestStarted;
        if (waitingOnesCount) {
            for (Job waiting : lane.queue) {
                newest = newer(newest, waiting.id());
            }
        }
        // A running job counts once it really started (newestStarted says so): one still waiting for
        // the lane's lock, or letting an older one go first, must not turn that older one away.
        return newest != null && newest.value() > id.value() ? Optional.of(newest) : Optional.empty();
    }

    /** A lane that remembers the newest deployment the store says it started; on a store failure, none. */
    private Lane newLane(String key, Job job) {
        Lane lane = new Lane(key);
        lane.newestStarted = newestStartedInStore(job).orElse(null);
        return lane;
    }

    private Optional<DeploymentId> newestStartedInStore(Job job) {
        try {
            return store.newestStarted(job.rule().repository(), job.rule().environment());
        } catch (RuntimeException e) {
            LOG.warn("store could not say what lane {} started last: {}", job.lane(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Waiting jobs stay ordered by id, so a late older one still runs before the newer ones that wait. */
    private static void insertInOrder(LinkedList<Job> queue, Job job) {
        ListIterator<Job> it = queue.listIterator(queue.size());
        while (it.hasPrevious()) {
            if (it.previous().id().value() < job.id().value()) {
                it.next();
                break;
            }
        }
        it.add(job);
    }

    private static DeploymentId newer(DeploymentId a, DeploymentId b) {
        return a == null || b.value() > a.value() ? b : a;
    }

    /** Starts a worker on the lane unless one runs or the lane is held; false when the pool takes no more. */
    private boolean schedule(Lane lane) {
        if (lane.scheduled || held.contains(lane.key) || lane.queue.isEmpty()) {
            return true;
        }
        lane.scheduled = true;
        try {
            workers.execute(() -> drain(lane));
            return true;
        } catch (RejectedExecutionException e) {
            lane.scheduled = false;
            return false;
        }
    }

    /** Lets {@code lane} queue jobs but start none until {@link #release}. */
    synchronized void hold(String lane) {
        held.add(lane);
    }

    /** Lets a held lane start what waits in it. */
    synchronized void release(String lane) {
        if (held.remove(lane)) {
            Lane l = lanes.get(lane);
            if (l != null && !stopped && !schedule(l)) {
                LOG.warn("lane {} was released while the robot shuts down; what waits in it does not start", lane);
            }
        }
    }

    /** Deployments waiting (not running) in a lane; 0 for a lane not used yet. */
    synchronized int waiting(String lane) {
        Lane l = lanes.get(lane);
        return l == null ? 0 : l.queue.size();
    }

    /** Deployments waiting (not running), over all lanes. */
    synchronized int waiting() {
        return waiting;
    }

    synchronized boolean held(String lane) {
        return held.contains(lane);
    }

    /** Removes a waiting job, if it has not started. */
    /** Whether a lane holds {@code id} waiting (queued or held) on this node. */
    synchronized boolean isWaiting(DeploymentId id) {
        for (Lane lane : lanes.values()) {
            for (Job j : lane.queue) {
                if (j.id().equals(id)) {
                    return true;
                }
            }
        }
        return false;
    }

    synchronized Optional<Job> removeWaiting(DeploymentId id) {
        for (Lane lane : lanes.values()) {
            for (Iterator<Job> it = lane.queue.iterator(); it.hasNext(); ) {
                Job j = it.next();
                if (j.id().equals(id)) {
                    it.remove();
                    waiting--;
                    heldJobs.remove(id);
                    notifyAll();
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

    boolean intakeClosed() {
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

    /** Running, or waiting for a worker: a job its lock or window holds does not keep the robot busy. */
    private boolean busy() {
        return lanes.values().stream().anyMatch(l -> l.running != null
                || l.queue.stream().anyMatch(j -> !heldJobs.contains(j.id())));
    }

    /** Whether a lock or a deploy window holds any waiting job. */
    synchronized boolean anyHeld() {
        return !heldJobs.isEmpty();
    }

    /** Whether a lock or a deploy window holds this job. */
    synchronized boolean isHeld(DeploymentId id) {
        return heldJobs.contains(id);
    }

    /**
     * Looks again at every lane with waiting jobs that no worker has: an environment was unlocked, a
     * window opened, or a lock expired (the store thread calls it while jobs are held).
     */
    synchronized void recheck() {
        if (stopped) {
            return;
        }
        for (Lane lane : lanes.values()) {
            if (!lane.queue.isEmpty() && !schedule(lane)) {
                LOG.warn("lane {} could not start again; the robot is shutting down", lane.key);
            }
        }
    }

    private void drain(Lane lane) {
        while (true) {
            List<Job> candidates;
            synchronized (this) {
                candidates = stopped ? List.of() : new ArrayList<>(lane.queue);
                if (candidates.isEmpty()) {
                    lane.scheduled = false;
                    notifyAll();
                    return;
                }
            }
            Job job = null;
            for (Job candidate : candidates) {
                Optional<Admission> admission = admission(candidate);
                if (admission.isEmpty()) {
                    break; // the store is away: the lane tries again in a moment
                }
                if (admission.get() instanceof Admission.Hold) {
                    continue;
                }
                if (admission.get() instanceof Admission.Refuse refuse) {
                    if (take(lane, candidate)) {
                        refuse(candidate, refuse.reason());
                    }
                    continue;
                }
                job = candidate;
                break;
            }
            if (job == null) {
                boolean tryAgain;
                synchronized (this) {
                    lane.scheduled = false;
                    // Held jobs wait for recheck(); a job left unjudged (store away) makes the lane try again.
                    tryAgain = lane.queue.stream().anyMatch(j -> !heldJobs.contains(j.id()));
                    notifyAll();
                }
                if (tryAgain) {
                    retryLater(lane);
                }
                return;
            }
            synchronized (this) {
                if (!lane.queue.remove(job)) {
                    continue; // cancelled or superseded meanwhile
                }
                waiting--;
                lane.running = job;
            }
            RunResult result = RunResult.RAN;
            try {
                result = runLocked(lane, job);
            } finally {
                synchronized (this) {
                    lane.running = null;
                    if (result != RunResult.RAN) {
                        insertInOrder(lane.queue, job);
                        waiting++;
                    }
                    notifyAll();
                }
            }
            if (result == RunResult.HELD) {
                continue; // the lane looks at what else waits
            }
            boolean ran = result == RunResult.RAN;
            if (!ran) {
                synchronized (this) {
                    if (lane.queue.peekFirst() != job) {
                        continue; // the older one waits here: run it now
                    }
                    lane.scheduled = false;
                }
                retryLater(lane);
                return;
            }
        }
    }

    private enum RunResult { RAN, NOT_YET, HELD }

    /**
     * What the admitter says of a waiting job; a held one is marked (and reported each time, so its
     * status follows the reason); empty when the store could not be read.
     */
    private Optional<Admission> admission(Job job) {
        Admission a;
        try {
            a = admitter.admit(job);
        } catch (RuntimeException e) {
            LOG.warn("could not tell whether deployment {} may start (it waits and the lane tries again): {}", job.id(),
                    e.getMessage());
            return Optional.empty();
        }
        boolean newlyHeld;
        synchronized (this) {
            newlyHeld = a instanceof Admission.Hold && heldJobs.add(job.id());
            if (!(a instanceof Admission.Hold)) {
                heldJobs.remove(job.id());
            }
            notifyAll();
        }
        if (a instanceof Admission.Hold hold) {
            try {
                worker.held(job, hold.reason());
            } catch (RuntimeException e) {
                LOG.warn("could not report that deployment {} is held: {}", job.id(), e.toString());
            }
            if (newlyHeld) {
                LOG.info("deployment {} waits: {}", job.id(), hold.reason());
            }
        }
        return Optional.of(a);
    }

    /**
     * Judges a job that waits behind a running one: a lock or a closed window marks it held now (its
     * status says so), or refuses it. A job whose lane is free is judged as the lane starts it.
     */
    void judgeWaiting(Job job) {
        Lane lane;
        synchronized (this) {
            lane = lanes.get(job.lane());
            if (lane == null || lane.running == null || !lane.queue.contains(job)) {
                return;
            }
        }
        Optional<Admission> a = admission(job);
        if (a.isPresent() && a.get() instanceof Admission.Refuse refuse && take(lane, job)) {
            refuse(job, refuse.reason());
        }
    }

    /** Takes a waiting job off its lane (to end it); false when it is gone already. */
    private synchronized boolean take(Lane lane, Job job) {
        if (lane.queue.remove(job)) {
            waiting--;
            heldJobs.remove(job.id());
            return true;
        }
        return false;
    }

    private void refuse(Job job, String reason) {
        try {
            worker.refused(job, reason);
        } catch (Throwable e) {
            LOG.error("could not end refused deployment {}: {}", job.id(), e.toString());
        }
    }

    /** Starts the lane again after {@link #YIELD_DELAY}, when an older deployment another node queued may have run. */
    private void retryLater(Lane lane) {
        try {
            time.schedule(retries, YIELD_DELAY, () -> {
                synchronized (this) {
                    if (!stopped && !schedule(lane)) {
                        LOG.warn("lane {} could not start again; the robot is shutting down", lane.key);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("lane {} is not tried again: the robot is closed", lane.key);
        }
    }

    /**
     * Runs one job under the lane's lock; whatever it throws is the job's failure, never the lane's.
     * False when it let an older deployment, queued by another node, go first (it is tried again).
     */
    private RunResult runLocked(Lane lane, Job job) {
        String key = lane.key;
        Lock lock;
        try {
            lock = store.laneLock(key);
            lock.lock();
        } catch (RuntimeException e) {
            // The store is away: the job stays queued and the lane tries again; running without the
            // lock could overlap a run on another node.
            LOG.warn("could not take the lock of lane {} (deployment {} waits and the lane tries again): {}", key, job.id(),
                    e.getMessage());
            return RunResult.NOT_YET;
        }
        try {
            Optional<DeploymentId> elsewhere = runningElsewhere(job);
            if (elsewhere.isPresent()) {
                LOG.info("lane {} waits: deployment {} still runs on another node (its lock was lost with its database "
                        + "session, its lease was not)", key, elsewhere.get());
                return RunResult.NOT_YET;
            }
            // Judged again under the lane's lock: a lock taken since the job was picked holds it.
            Optional<Admission> admission = job.alreadyInProgress() ? Optional.of(Admission.GO) : admission(job);
            if (admission.isEmpty()) {
                return RunResult.NOT_YET;
            }
            if (admission.get() instanceof Admission.Hold) {
                return RunResult.HELD;
            }
            if (admission.get() instanceof Admission.Refuse refuse) {
                refuse(job, refuse.reason());
                return RunResult.RAN;
            }
            runOlderOnes(job);
            if (!job.alreadyInProgress() && !claimed(job)) {
                LOG.info("deployment {} was taken over or run by another node; not running it here", job.id());
                worker.dropped(job);
                return RunResult.RAN;
            }
            if (olderFirst(job)) {
                return RunResult.NOT_YET;
            }
            yielding.remove(job.id());
            Optional<DeploymentId> newer = job.rollsBack() ? Optional.empty()
                    : newestStartedInStore(job).filter(n -> n.value() > job.id().value());
            if (newer.isPresent()) {
                worker.superseded(job, newer.get());
            } else {
                synchronized (this) {
                    lane.newestStarted = newer(lane.newestStarted, job.id());
                }
                ((Admission.Go) admission.get()).forced().ifPresent(note -> worker.forced(job, note));
                worker.run(job);
            }
        } catch (StoreUnavailableForRun e) {
            LOG.warn("lane {} could not claim deployment {} (it waits and the lane tries again): {}", key, job.id(),
                    e.getMessage());
            return RunResult.NOT_YET;
        } catch (Throwable e) {
            LOG.error("deployment {} ended with an unexpected error", job.id(), e);
            fail(job, "the robot could not run it: " + describe(e));
        } finally {
            try {
                lock.unlock();
            } catch (RuntimeException e) {
                LOG.warn("could not release the lock of lane {}: {}", key, e.toString());
            }
        }
        return RunResult.RAN;
    }

    /**
     * In a lane that keeps order, runs first (here, under the lock) every older deployment queued in
     * the store and not started, whichever node queued it: a free node runs what a busy one queued.
     */
    private void runOlderOnes(Job job) {
        if (job.rule().supersede() || job.rollsBack() || job.alreadyInProgress()) {
            return;
        }
        for (int i = 0; i < MAX_OLDER_PER_RUN; i++) {
            Optional<DeploymentId> older;
            try {
                older = store.olderQueued(job.rule().repository(), job.rule().environment(), job.id());
            } catch (RuntimeException e) {
                LOG.warn("store could not say whether lane {} has older deployments queued: {}", job.lane(), e.getMessage());
                return;
            }
            if (older.isEmpty() || !worker.runOlder(job, older.get())) {
                return;
            }
            synchronized (this) {
                Lane lane = lanes.get(job.lane());
                if (lane != null) {
                    lane.newestStarted = newer(lane.newestStarted, older.get());
                }
            }
        }
    }

    private Optional<DeploymentId> runningElsewhere(Job job) {
        try {
            return store.runningElsewhere(job.rule().repository(), job.rule().environment());
        } catch (RuntimeException e) {
            throw new StoreUnavailableForRun(e);
        }
    }

    /** Whether this node holds the job's deployment, still queued and never started, for itself now. */
    private boolean claimed(Job job) {
        try {
            return store.claim(job.id());
        } catch (RuntimeException e) {
            throw new StoreUnavailableForRun(e);
        }
    }

    /** The store failed while a lane was about to run a deployment: the lane tries again. */
    private static final class StoreUnavailableForRun extends RuntimeException {
        StoreUnavailableForRun(RuntimeException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * Whether an older deployment of a lane that keeps order (no superseding) is queued in the store
     * and not yet started, here or on another node, that {@link #runOlderOnes} did not take (it was
     * queued on another node a moment ago, or the store would not let it be claimed): it goes first. A lane waits for it at most {@link
     * #maxYield}, twice the lease timeout (its node may be gone and its lease not yet run out); past
     * that, this one runs.
     */
    private boolean olderFirst(Job job) {
        if (job.rule().supersede() || job.rollsBack() || job.alreadyInProgress()) {
            return false;
        }
        Optional<DeploymentId> older;
        try {
            older = store.olderQueued(job.rule().repository(), job.rule().environment(), job.id());
        } catch (RuntimeException e) {
            LOG.warn("store could not say whether lane {} has older deployments queued: {}", job.lane(), e.getMessage());
            return false;
        }
        if (older.isEmpty()) {
            return false;
        }
        long now = time.nanoTime();
        long since = yielding.computeIfAbsent(job.id(), k -> now);
        if (now - since > maxYield.toNanos()) {
            LOG.warn("deployment {} runs before older deployment {} of lane {}, which waited {} s without starting",
                    job.id(), older.get(), job.lane(), maxYield.toSeconds());
            yielding.remove(job.id());
            return false;
        }
        LOG.debug("deployment {} lets older deployment {} of lane {} go first", job.id(), older.get(), job.lane());
        return true;
    }

    private void fail(Job job, String why) {
        try {
            worker.failed(job, why);
        } catch (Throwable e) {
            LOG.error("could not end deployment {} after it failed: {}", job.id(), e.toString());
        }
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
