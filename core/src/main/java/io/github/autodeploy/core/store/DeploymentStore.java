package io.github.autodeploy.core.store;

import io.github.autodeploy.core.control.EnvironmentLock;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * Where the robot remembers deliveries, deployments and their logs, merges waiting for CI, and
 * whence it takes the lock of a lane. One JVM can use the in-memory store; a durable store outlives
 * the process (the robot then resumes from it, not from GitHub), and a shared one serves several
 * nodes, whose lane locks then serialize a lane across nodes.
 *
 * <p>Ownership: what a process inserts or parks is owned by it, under a lease it renews with {@link
 * #renewLeases()}. A deployment stays owned until it is <em>settled</em>: finished (terminal or
 * inactive) with every status of its history posted ({@link #markPosted}). {@link #adoptOrphans()}
 * takes over what an owner left: in a shared store once its lease ran out, in a store only this
 * process uses anything an earlier process owned.
 *
 * <p>A method that cannot reach the store throws; on the accept path the engine then answers "try
 * later" and keeps nothing half-done. Implementations must be thread-safe.
 */
public interface DeploymentStore {

    /** Whether the store outlives this process; then a restart resumes from it. The in-memory store does not. */
    default boolean durable() {
        return false;
    }

    /** Whether other processes may use this store at the same time (then their leases are honoured). */
    default boolean shared() {
        return false;
    }

    /**
     * How long what this process owns stays its own without a {@link #renewLeases()}; past it, a
     * shared store's other nodes adopt it. The robot renews at a third of it.
     */
    default java.time.Duration leaseTimeout() {
        return java.time.Duration.ofSeconds(30);
    }

    /**
     * Checks cheaply that the store answers, waiting at most about {@code timeout}; false when it does
     * not (never throws). The robot's readiness ({@code Autodeploy.health()}) asks it.
     */
    boolean ping(java.time.Duration timeout);

    /** Whether a delivery id was recorded (within the dedupe window). */
    boolean deliverySeen(DeliveryId id);

    /** Remembers a delivery; true the first time an id is seen, false for a redelivery. */
    boolean recordDelivery(DeliveryId id);

    /**
     * Forgets a recorded delivery, so its redelivery counts as new: the engine calls it when it could
     * not take a delivery (overloaded, or failing inside), whose answer invites a redelivery.
     */
    void forgetDelivery(DeliveryId id);

    /**
     * Stores a new deployment, owned by this process; false (and nothing changes) when its id is
     * already known. Its history's statuses count as not yet posted.
     */
    boolean insert(DeploymentRecord record);

    /**
     * Stores a new deployment and records the delivery that brought it, in one transaction where the
     * store can: the accept path's one write, made without looking the delivery up first. False when
     * the delivery was recorded before (then nothing changes, even if the deployment is no longer
     * stored: a redelivery after its deployment was pruned must not run it again), or when the
     * deployment's id is already known (then the delivery is still recorded).
     */
    default boolean insert(DeploymentRecord record, DeliveryId delivery) {
        if (deliverySeen(delivery)) {
            return false;
        }
        boolean inserted = insert(record);
        recordDelivery(delivery);
        return inserted;
    }

    /** Replaces what is stored for the record's deployment id, in one transaction with its new statuses. */
    void update(DeploymentRecord record);

    /**
     * Records that GitHub has (or refused for good) the first {@code count} statuses of a deployment's
     * history; a smaller count than recorded changes nothing. A finished deployment whose statuses are
     * all posted is settled: no longer owned, never adopted. A store may write the mark behind (return
     * before it is kept, and keep one it could not write for later): a mark lost in a crash only makes
     * the successor post those statuses again, which posting at least once allows.
     */
    void markPosted(DeploymentId id, int count);

    /** How many statuses of a deployment, from the first, are posted; 0 for an unknown one. */
    int postedCount(DeploymentId id);

    /** The newest deployment of a repository's environment that started to run, on any node. */
    Optional<DeploymentId> newestStarted(RepositoryName repository, EnvironmentName environment);

    /**
     * A deployment of a repository's environment that another process runs now, under a lease it
     * still renews. A lane's lock lives with a database session, which a short network drop can end
     * while its node runs on; this row-level check keeps another node from starting the lane beside it.
     * The in-memory store, used by one process, never has one.
     */
    Optional<DeploymentId> runningElsewhere(RepositoryName repository, EnvironmentName environment);

    /**
     * Takes a queued deployment that never started for this process, from whichever owner had it:
     * the robot claims a deployment under its lane's lock just before it runs it, so a deployment
     * another node took over (or already ran) is never run twice, and a free node can run what a busy
     * one queued. False when it is not queued, or started.
     */
    boolean claim(DeploymentId id);

    /**
     * The oldest deployment of a repository's environment, older than {@code than}, that is queued
     * and never started, on any node: a lane that keeps order lets it run first.
     */
    Optional<DeploymentId> olderQueued(RepositoryName repository, EnvironmentName environment, DeploymentId than);

    /** Keeps a merge waiting for CI (replacing one with the same request id), owned by this process. */
    void park(WaitingMerge merge);

    /** Forgets a waiting merge: it was deployed, superseded, blocked or given up. Unknown ids are fine. */
    void unpark(String requestId);

    /** Every merge waiting for CI, on any node, oldest deadline first. */
    List<WaitingMerge> waiting();

    /**
     * Gives up this process's ownership of a deployment at once (as if its lease had run out), so
     * that any node, this one included, adopts it: the robot does so for deployments it stopped
     * running after it could not renew its leases. Unknown ids, or ones owned by another, are fine.
     */
    void release(DeploymentId id);

    /** Extends this process's lease on everything it owns; a shared store's owners call it well within the lease. */
    void renewLeases();

    /** Takes over, for this process, what an owner that is gone left unsettled (see the class comment). */
    Orphans adoptOrphans();

    Optional<DeploymentRecord> find(DeploymentId id);

    /** At most {@code limit} deployments, newest queued first. */
    List<DeploymentRecord> recent(int limit);

    /** Adds one line to a deployment's log. */
    void appendLog(DeploymentId id, String line);

    /**
     * Adds lines to a deployment's log in order, in one write where the store can. The robot passes a step's
     * output as {@link LogLines} (one text and its line ends): a store may keep or copy its text whole rather
     * than line by line; read as a list, it gives each line as a {@code String}.
     */
    default void appendLog(DeploymentId id, List<String> lines) {
        lines.forEach(line -> appendLog(id, line));
    }

    /** The log from line {@code fromLine} on (or from the oldest line kept). */
    LogChunk readLog(DeploymentId id, long fromLine);

    /**
     * The newest deployment of a repository's environment that succeeded (and, given a sha, deployed
     * that commit): what is deployed there now, or what a rollback may go back to.
     */
    Optional<DeploymentRecord> lastSucceeded(RepositoryName repository, EnvironmentName environment,
                                             Optional<CommitSha> sha);

    /** The lock of a repository's environment as stored; it may have expired (see {@link EnvironmentLock#holdsAt}). */
    Optional<EnvironmentLock> lockOf(RepositoryName repository, EnvironmentName environment);

    /** Every lock stored, expired ones included. */
    List<EnvironmentLock> locks();

    /**
     * Takes a lock in one step: stored when its environment has no lock, or one that no longer holds
     * at {@code wanted.since()}, or (a steal) whatever lock it has when {@code steal}. Returns the
     * lock that holds afterwards: {@code wanted}, or the one in its way.
     */
    EnvironmentLock lock(EnvironmentLock wanted, boolean steal);

    /**
     * Removes a lock if it is still {@code expected} (same holder, taken at the same instant): true
     * when it did. A lock someone stole or took again meanwhile stays.
     */
    boolean unlock(EnvironmentLock expected);

    /** The lock that lets one deployment of {@code lane} (repository + environment) run at a time. */
    Lock laneLock(String lane);

    /**
     * Stores a new gated Actions deployment (at version 1) and remembers its delivery, in one
     * transaction: true when stored, false when one with its {@link GatedRun#key()} is stored already
     * (a redelivery, or GitHub asking again), which is left as it is.
     */
    boolean insertGated(GatedRun run, DeliveryId delivery);

    /** The gated run stored under {@code key} ({@link GatedRun#key()}), with its stored version. */
    Optional<GatedRun> gated(String key);

    /** Gated runs, those still waiting (or decided and not yet sent) first, then the newest; at most {@code limit}. */
    List<GatedRun> gatedRuns(int limit);

    /**
     * Replaces a gated run if it is still stored at {@code next.version()} (compare-and-set); then
     * stores {@code next} at the following version and answers it. Empty when another writer (another
     * thread or node) changed it first: the caller reads it again and decides anew.
     */
    Optional<GatedRun> replaceGated(GatedRun next);
}
