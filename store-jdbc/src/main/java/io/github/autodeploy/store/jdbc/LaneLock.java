package io.github.autodeploy.store.jdbc;

import io.github.autodeploy.core.AutodeployException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import io.github.autodeploy.core.time.TimeSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock of one lane. Inside the process a {@link ReentrantLock} orders the threads; on PostgreSQL
 * the first hold also takes a session advisory lock on a connection kept for as long as the lane is
 * held, so that nodes exclude each other and a dead node's lock goes with its connection. SQLite
 * serves one process, so the process lock is the whole lock there. Each holder is written to
 * {@code autodeploy_lane_locks} for people to see. Thread-safe; reentrant; no conditions.
 */
final class LaneLock implements Lock {
    private static final Logger LOG = LoggerFactory.getLogger(LaneLock.class);
    private static final long SLICE_MILLIS = 1000;
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final ReentrantLock local = new ReentrantLock();
    private final Db db;
    private final String lane;
    private final long key;
    private final String holder;
    private final TimeSource clock;
    /** How long a holder that renews no lease may keep the lane before it is taken for dead. */
    private final java.time.Duration leaseTimeout;
    private Connection held; // guarded by local

    LaneLock(Db db, String lane, String holder, TimeSource clock, java.time.Duration leaseTimeout) {
        this.db = db;
        this.lane = lane;
        this.key = key(lane);
        this.holder = holder;
        this.clock = clock;
        this.leaseTimeout = leaseTimeout;
    }

    /** The advisory lock key: 64 bits of SHA-256 of the lane, so that distinct lanes practically never share one. */
    static long key(String lane) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("autodeploy lane " + lane).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public void lock() {
        local.lock();
        if (local.getHoldCount() == 1) {
            try {
                acquireUninterruptibly();
            } catch (RuntimeException e) {
                local.unlock();
                throw e;
            }
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        local.lockInterruptibly();
        if (local.getHoldCount() == 1) {
            try {
                acquire(Long.MAX_VALUE);
            } catch (InterruptedException | RuntimeException e) {
                local.unlock();
                throw e;
            }
        }
    }

    @Override
    public boolean tryLock() {
        if (!local.tryLock()) {
            return false;
        }
        return local.getHoldCount() > 1 || acquireOrUnlock(() -> acquire(clock.nanoTime()));
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        long deadline = clock.nanoTime() + unit.toNanos(time);
        if (!local.tryLock(time, unit)) {
            return false;
        }
        if (local.getHoldCount() > 1) {
            return true;
        }
        try {
            boolean ok = acquire(deadline);
            if (!ok) {
                local.unlock();
            }
            return ok;
        } catch (InterruptedException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    @Override
    public void unlock() {
        if (!local.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("lane " + lane + " is not locked by this thread");
        }
        try {
            if (local.getHoldCount() == 1) {
                release();
            }
        } finally {
            local.unlock();
        }
    }

    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("lane locks have no conditions");
    }

    private interface Attempt {
        boolean run() throws InterruptedException;
    }

    private boolean acquireOrUnlock(Attempt attempt) {
        try {
            if (attempt.run()) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            local.unlock();
            throw e;
        }
        local.unlock();
        return false;
    }

    private void acquireUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                acquire(Long.MAX_VALUE);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Takes the database side of the lock by {@code deadline} (the time source's nanoTime; MAX_VALUE: no limit). */
    private boolean acquire(long deadline) throws InterruptedException {
        if (db.dialect() == Dialect.SQLITE) {
            writeHolder();
            return true;
        }
        Connection c = null;
        try {
            c = db.dataSource().getConnection();
            c.setAutoCommit(true);
            if (!advisoryLock(c, deadline)) {
                c.close();
                return false;
            }
            try {
                writeHolder(c);
            } catch (SQLException e) {
                LOG.warn("took lane {} but could not record its holder: {}", lane, e.getMessage());
            }
            held = c;
            return true;
        } catch (SQLException e) {
            closeQuietly(c);
            throw db.failure("take the lock of lane " + lane, e);
        } catch (InterruptedException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private boolean advisoryLock(Connection c, long deadline) throws SQLException, InterruptedException {
        // Waiting in slices keeps an interrupt or a deadline within a second, and lets the server's
        // lock_timeout do the waiting instead of polling.
        long waitingSince = clock.nanoTime();
        long lastLook = waitingSince;
        while (true) {
            long now = clock.nanoTime();
            if (now - lastLook >= leaseTimeout.toNanos()) {
                lastLook = now;
                endDeadHolder(c, (now - waitingSince) / 1_000_000_000L);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for lane " + lane);
            }
            long left = deadline == Long.MAX_VALUE ? SLICE_MILLIS : TimeUnit.NANOSECONDS.toMillis(deadline - clock.nanoTime());
            if (left <= 0) {
                try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                    s.setLong(1, key);
                    try (ResultSet r = s.executeQuery()) {
                        return r.next() && r.getBoolean(1);
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("SET lock_timeout = " + Math.min(left, SLICE_MILLIS));
            }
            try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
                s.setLong(1, key);
                s.executeQuery().close();
                try (Statement reset = c.createStatement()) {
                    reset.execute("SET lock_timeout = 0");
                }
                return true;
            } catch (SQLException e) {
                if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    /**
     * After waiting a lease timeout for the lane: when the lane's recorded holder took it longer than
     * a lease timeout ago and renews no lease (a node that runs a deployment renews the lease of what
     * it runs), that node is gone, but its connection may not be (a host that lost power or the
     * network leaves it half open for hours): end that connection's session, which frees the lock.
     */
    private void endDeadHolder(Connection c, long waitedSeconds) {
        long now = Times.toNanos(clock.now());
        try (PreparedStatement s = c.prepareStatement("SELECT h.holder, l.pid FROM autodeploy_lane_locks h "
                + "JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
                + "AND ((l.classid::bigint << 32) | l.objid::bigint) = h.lock_key "
                + "WHERE h.lane = ? AND h.acquired_at < ? AND NOT EXISTS (SELECT 1 FROM autodeploy_deployments d "
                + "WHERE d.owner = h.holder AND d.lease_until > ?)")) {
            s.setString(1, lane);
            s.setLong(2, now - leaseTimeout.toNanos());
            s.setLong(3, now);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    LOG.info("lane {} still waits for its lock after {} s; its holder is alive", lane, waitedSeconds);
                    return;
                }
                String dead = r.getString(1);
                int pid = r.getInt(2);
                try (PreparedStatement end = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
                    end.setInt(1, pid);
                    end.executeQuery().close();
                }
                LOG.warn("lane {} was held by {}, which renews no lease: ended its database session {} to free the lane",
                        lane, dead, pid);
            }
        } catch (SQLException e) {
            LOG.warn("lane {} waits for its lock after {} s; could not check whether its holder is gone: {}", lane,
                    waitedSeconds, e.getMessage());
        }
    }

    private void release() {
        if (db.dialect() == Dialect.SQLITE) {
            try {
                db.write("forget the holder of lane " + lane, c -> {
                    deleteHolder(c);
                    return null;
                });
            } catch (AutodeployException e) {
                LOG.warn("{}", e.getMessage());
            }
            return;
        }
        Connection c = held;
        held = null;
        try (c) {
            deleteHolder(c);
            try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                s.setLong(1, key);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next() || !r.getBoolean(1)) {
                        LOG.warn("lane {} was no longer locked in the store when freed: its connection was lost while held", lane);
                    }
                }
            }
        } catch (SQLException e) {
            LOG.warn("could not free lane {} in the store at {} (the lock goes with its connection): {}",
                    lane, db.source(), e.getMessage());
        }
    }

    private void writeHolder() {
        try {
            db.write("record the holder of lane " + lane, c -> {
                writeHolder(c);
                return null;
            });
        } catch (AutodeployException e) {
            LOG.warn("{}", e.getMessage());
        }
    }

    private void writeHolder(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO autodeploy_lane_locks (lane, lock_key, holder, acquired_at) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (lane) DO UPDATE SET lock_key = excluded.lock_key, "
                + "holder = excluded.holder, acquired_at = excluded.acquired_at")) {
            s.setString(1, lane);
            s.setLong(2, key);
            s.setString(3, holder);
            s.setLong(4, Times.toNanos(clock.now()));
            s.executeUpdate();
        }
    }

    private void deleteHolder(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM autodeploy_lane_locks WHERE lane = ? AND holder = ?")) {
            s.setString(1, lane);
            s.setString(2, holder);
            s.executeUpdate();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing a lane lock connection failed", e);
            }
        }
    }
}
