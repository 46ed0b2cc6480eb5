package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.core.store.LogChunk;
import io.github.autodeploy.core.store.Orphans;
import io.github.autodeploy.core.store.WaitingMerge;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;

/**
 * A store whose every call throws while {@link #broken}, as a database that went away, and whose
 * {@link #update} first runs {@link #beforeUpdate} (a test may stall one deployment's writes there).
 */
final class BrokenStore implements DeploymentStore {
    private final DeploymentStore delegate;
    volatile boolean broken;
    /** While set, the locks the store hands out throw when taken, as a database lock would with the database gone. */
    volatile boolean locksBroken;
    volatile Consumer<DeploymentRecord> beforeUpdate = r -> { };
    /** Runs after each insert went through (a test may begin to close the robot there). */
    volatile Consumer<DeploymentRecord> afterInsert = r -> { };
    /** While set, the store says it is durable (so the robot resumes from it at start). */
    volatile boolean durable;
    /** How many times the robot asked whether a delivery id was seen. */
    final java.util.concurrent.atomic.AtomicInteger deliveryLookups = new java.util.concurrent.atomic.AtomicInteger();
    /** What the next {@link #adoptOrphans()} hands over (then nothing), as a durable store would after a crash. */
    volatile Orphans orphans = Orphans.none();

    BrokenStore(DeploymentStore delegate) {
        this.delegate = delegate;
    }

    private void check() {
        if (broken) {
            throw new IllegalStateException("database is down");
        }
    }

    @Override
    public boolean ping(java.time.Duration timeout) {
        return !broken && delegate.ping(timeout);
    }

    @Override
    public boolean deliverySeen(DeliveryId id) {
        deliveryLookups.incrementAndGet();
        check();
        return delegate.deliverySeen(id);
    }

    @Override
    public void markPosted(DeploymentId id, int count) {
        check();
        delegate.markPosted(id, count);
    }

    @Override
    public int postedCount(DeploymentId id) {
        check();
        return delegate.postedCount(id);
    }

    @Override
    public Optional<DeploymentRecord> lastSucceeded(RepositoryName repository, EnvironmentName environment,
                                                    Optional<io.github.autodeploy.core.model.CommitSha> sha) {
        check();
        return delegate.lastSucceeded(repository, environment, sha);
    }

    @Override
    public Optional<io.github.autodeploy.core.control.EnvironmentLock> lockOf(RepositoryName repository,
                                                                             EnvironmentName environment) {
        check();
        return delegate.lockOf(repository, environment);
    }

    @Override
    public java.util.List<io.github.autodeploy.core.control.EnvironmentLock> locks() {
        check();
        return delegate.locks();
    }

    @Override
    public io.github.autodeploy.core.control.EnvironmentLock lock(io.github.autodeploy.core.control.EnvironmentLock wanted,
                                                                  boolean steal) {
        check();
        return delegate.lock(wanted, steal);
    }

    @Override
    public boolean unlock(io.github.autodeploy.core.control.EnvironmentLock expected) {
        check();
        return delegate.unlock(expected);
    }

    @Override
    public boolean insertGated(io.github.autodeploy.core.store.GatedRun run, DeliveryId delivery) {
        check();
        return delegate.insertGated(run, delivery);
    }

    @Override
    public Optional<io.github.autodeploy.core.store.GatedRun> gated(String key) {
        check();
        return delegate.gated(key);
    }

    @Override
    public java.util.List<io.github.autodeploy.core.store.GatedRun> gatedRuns(int limit) {
        check();
        return delegate.gatedRuns(limit);
    }

    @Override
    public Optional<io.github.autodeploy.core.store.GatedRun> replaceGated(io.github.autodeploy.core.store.GatedRun next) {
        check();
        return delegate.replaceGated(next);
    }

    @Override
    public Optional<DeploymentId> newestStarted(RepositoryName repository, EnvironmentName environment) {
        check();
        return delegate.newestStarted(repository, environment);
    }

    @Override
    public Optional<DeploymentId> runningElsewhere(RepositoryName repository, EnvironmentName environment) {
        check();
        return delegate.runningElsewhere(repository, environment);
    }

    @Override
    public boolean claim(DeploymentId id) {
        check();
        return delegate.claim(id);
    }

    @Override
    public Optional<DeploymentId> olderQueued(RepositoryName repository, EnvironmentName environment, DeploymentId than) {
        check();
        return delegate.olderQueued(repository, environment, than);
    }

    @Override
    public void park(WaitingMerge merge) {
        check();
        delegate.park(merge);
    }

    @Override
    public void unpark(String requestId) {
        check();
        delegate.unpark(requestId);
    }

    @Override
    public List<WaitingMerge> waiting() {
        check();
        return delegate.waiting();
    }

    @Override
    public void release(DeploymentId id) {
        check();
        delegate.release(id);
    }

    @Override
    public void renewLeases() {
        check();
        delegate.renewLeases();
    }

    @Override
    public Orphans adoptOrphans() {
        check();
        Orphans left = orphans;
        orphans = Orphans.none();
        return left.isEmpty() ? delegate.adoptOrphans() : left;
    }

    @Override
    public boolean durable() {
        return durable;
    }

    @Override
    public boolean recordDelivery(DeliveryId id) {
        check();
        return delegate.recordDelivery(id);
    }

    @Override
    public void forgetDelivery(DeliveryId id) {
        check();
        delegate.forgetDelivery(id);
    }

    @Override
    public boolean insert(DeploymentRecord record) {
        check();
        boolean inserted = delegate.insert(record);
        afterInsert.accept(record);
        return inserted;
    }

    /** The delegate's one write (no lookup of the delivery counted), then {@code afterInsert} as {@link #insert(DeploymentRecord)}. */
    @Override
    public boolean insert(DeploymentRecord record, DeliveryId delivery) {
        check();
        boolean inserted = delegate.insert(record, delivery);
        afterInsert.accept(record);
        return inserted;
    }

    @Override
    public void update(DeploymentRecord record) {
        check();
        beforeUpdate.accept(record);
        delegate.update(record);
    }

    @Override
    public Optional<DeploymentRecord> find(DeploymentId id) {
        check();
        return delegate.find(id);
    }

    @Override
    public List<DeploymentRecord> recent(int limit) {
        check();
        return delegate.recent(limit);
    }

    @Override
    public void appendLog(DeploymentId id, String line) {
        check();
        delegate.appendLog(id, line);
    }

    @Override
    public LogChunk readLog(DeploymentId id, long fromLine) {
        check();
        return delegate.readLog(id, fromLine);
    }

    @Override
    public Lock laneLock(String lane) {
        check();
        Lock real = delegate.laneLock(lane);
        return new Lock() {
            @Override
            public void lock() {
                if (locksBroken) {
                    throw new IllegalStateException("database is down");
                }
                real.lock();
            }

            @Override
            public void lockInterruptibly() throws InterruptedException {
                lock();
            }

            @Override
            public boolean tryLock() {
                return real.tryLock();
            }

            @Override
            public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
                return real.tryLock(time, unit);
            }

            @Override
            public void unlock() {
                real.unlock();
            }

            @Override
            public Condition newCondition() {
                return real.newCondition();
            }
        };
    }
}
