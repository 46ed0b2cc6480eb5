package io.github.autodeploy.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes of one process to a SQLite file, one batch at a time, each batch one transaction.
 *
 * <p>SQLite takes one writer at a time; left to itself, a second writer sleeps in its busy handler
 * (1, 2, 5, 10 ms and longer) and every transaction pays its own sync to disk. Here a writer puts its
 * work in a queue and takes the commit lock; whoever holds the lock runs everything queued so far
 * (at most {@value #MAX_BATCH}) in one transaction, each work inside its own savepoint, and commits
 * once, while the others wait parked for their result. A caller returns only after the transaction
 * holding its work committed, so nothing is answered before it is stored; a batch holding a durable
 * work commits with {@code synchronous=FULL}, which syncs every work in it. A work that throws is rolled back to its
 * savepoint and its caller gets the exception, as if it had run alone; a batch whose transaction
 * fails (its commit, or a savepoint that cannot be rolled back to) fails every caller in it, none of
 * whose writes stay. The outcome equals the works run one after another in queue order. A work must
 * use only the connection it is given: a store write from inside one is refused.
 *
 * <p>Thread-safe.
 */
final class GroupCommit {
    /** The most works in one transaction, so a long queue still commits (and answers) in steps. */
    static final int MAX_BATCH = 256;
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private final DataSource dataSource;
    private final boolean syncDurable;
    private final ReentrantLock committing = new ReentrantLock();
    private final ConcurrentLinkedQueue<Pending<?>> queue = new ConcurrentLinkedQueue<>();
    /** The writer's statements, compiled once per connection; used under {@link #committing}. */
    private final WriterStatements statements = new WriterStatements();

    /** Whether the database is still the file the store opened; each batch asks before it writes. */
    private volatile BooleanSupplier stillTheFile = () -> true;
    private volatile String fileName = "";

    /** Set while the last batch failed because SQLite could not write its file (disk full, I/O error, read-only). */
    private volatile boolean cannotWrite;

    GroupCommit(DataSource dataSource) {
        this(dataSource, true);
    }

    /** {@code syncDurable} false: a durable work is committed as any other ({@code synchronous=NORMAL}). */
    GroupCommit(DataSource dataSource, boolean syncDurable) {
        this.dataSource = dataSource;
        this.syncDurable = syncDurable;
    }

    /**
     * From now on a batch fails, writing nothing, while {@code stillThere} says the file {@code name}
     * was deleted or replaced: the process would go on writing into a file nobody finds again.
     */
    void watchFile(String name, BooleanSupplier stillThere) {
        this.fileName = name;
        this.stillTheFile = stillThere;
    }

    /**
     * Runs {@code work} in the next batch and returns its result once that batch committed. The
     * caller either leads (takes the commit lock and commits batches until its own work is done) or
     * waits parked until a leader settled its work; a leader that leaves wakes the first caller waiting
     * in the queue to lead next. Waiting callers never need the lock to learn their result, so a
     * batch's callers return at once instead of passing the lock from one to the next.
     */
    <T> T run(boolean durable, Db.Work<T> work) throws SQLException {
        if (committing.isHeldByCurrentThread()) {
            throw new IllegalStateException("a store write cannot run inside another store write");
        }
        Pending<T> pending = new Pending<>(durable && syncDurable, work, Thread.currentThread());
        queue.add(pending);
        boolean interrupted = false;
        while (!pending.done) {
            if (committing.tryLock()) {
                try {
                    while (!pending.done) {
                        commitBatch();
                    }
                } finally {
                    committing.unlock();
                    handOn(); // even if this leader is leaving by an Error
                }
            } else {
                LockSupport.park(this);
                interrupted |= Thread.interrupted(); // a write once queued is seen through; the flag is kept
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return pending.result();
    }

    /**
     * Queues {@code work} for the next batch and returns without waiting for it: for a write whose
     * loss in a crash costs only repeating something (the mark of a posted status), never for one a
     * caller answers on. {@code settled} hears the outcome on the committing thread, once: empty when
     * the batch holding the work committed, else the failure (the work's writes did not stay). It must
     * be quick and must not write to the store. With no batch running the caller commits it at once;
     * otherwise it joins the next batch, which is what spares a busy writer a transaction of its own.
     */
    void submit(Db.Work<?> work, Consumer<Optional<Exception>> settled) {
        if (committing.isHeldByCurrentThread()) {
            throw new IllegalStateException("a store write cannot run inside another store write");
        }
        queue.add(new Pending<>(false, work, null, settled));
        handOn();
    }

    /**
     * After a leader let go of the commit lock: wakes the first caller waiting in the queue to lead
     * next; when only submitted works (whose callers do not wait) are left, commits them here, since
     * no one else would. A leader that comes meanwhile takes them in its own batch.
     */
    private void handOn() {
        while (!queue.isEmpty()) {
            for (Pending<?> p : queue) {
                if (p.caller != null) {
                    LockSupport.unpark(p.caller);
                    return;
                }
            }
            if (!committing.tryLock()) {
                return; // its leader commits what is queued, and hands on in turn
            }
            try {
                commitBatch();
            } finally {
                committing.unlock();
            }
        }
    }

    /**
     * False while the last batch failed because the file could not be written (a full disk, an I/O
     * error, a read-only file); the next batch that commits makes it true again.
     */
    boolean writable() {
        return !cannotWrite;
    }

    private static boolean isFileTrouble(Exception e) {
        if (e instanceof org.sqlite.SQLiteException se) {
            int primary = se.getResultCode().code & 0xff;
            return primary == org.sqlite.SQLiteErrorCode.SQLITE_FULL.code || primary == org.sqlite.SQLiteErrorCode.SQLITE_IOERR.code
                    || primary == org.sqlite.SQLiteErrorCode.SQLITE_READONLY.code
                    || primary == org.sqlite.SQLiteErrorCode.SQLITE_CANTOPEN.code;
        }
        return false;
    }

    /** How many works wait for a batch; for tests and metrics. */
    int queued() {
        return queue.size();
    }

    private void commitBatch() {
        List<Pending<?>> batch = new ArrayList<>();
        boolean durable = false;
        for (Pending<?> p; batch.size() < MAX_BATCH && (p = queue.poll()) != null; ) {
            batch.add(p);
            durable |= p.durable;
        }
        if (batch.isEmpty()) {
            return;
        }
        if (!stillTheFile.getAsBoolean()) {
            failUnsettled(batch, new SQLException("the store file " + fileName + " was deleted or replaced while the robot "
                    + "ran; nothing is written until it is back (restore it, or restart the robot on a new one)"));
            return;
        }
        try (Connection pooled = dataSource.getConnection()) {
            Connection c = statements.view(pooled);
            c.setAutoCommit(true);
            if (durable) {
                synchronous(c, "FULL"); // a pragma cannot change inside a transaction
            }
            try {
                runInOneTransaction(c, batch);
                // A work that committed proves the file takes writes; one failing for want of disk, with
                // none committed, proves it does not; anything else leaves the question as it was.
                if (batch.stream().anyMatch(p -> p.failure == null)) {
                    cannotWrite = false;
                } else if (batch.stream().anyMatch(p -> isFileTrouble(p.failure))) {
                    cannotWrite = true;
                }
            } finally {
                c.setAutoCommit(true);
                if (durable) {
                    synchronous(c, "NORMAL");
                }
            }
        } catch (SQLException | RuntimeException e) {
            cannotWrite |= isFileTrouble(e);
            failUnsettled(batch, e);
        } finally {
            statements.batchEnded();
            failUnsettled(batch, new IllegalStateException("the store's write batch stopped before this write was done"));
        }
    }

    private static void runInOneTransaction(Connection c, List<Pending<?>> batch) throws SQLException {
        c.setAutoCommit(false);
        if (batch.size() == 1) {
            runAlone(c, batch.get(0));
            return;
        }
        try {
            for (Pending<?> p : batch) {
                execute(c, "SAVEPOINT autodeploy_write");
                try {
                    p.ran(p.work.apply(c));
                    execute(c, "RELEASE autodeploy_write");
                } catch (SQLException | RuntimeException e) {
                    // Undo this work alone; if that fails the transaction is lost and the batch fails.
                    execute(c, "ROLLBACK TO autodeploy_write");
                    execute(c, "RELEASE autodeploy_write");
                    p.failed(e);
                }
            }
            c.commit();
        } catch (Throwable e) { // an Error too: nothing of the batch may stay when it is given up
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        for (Pending<?> p : batch) {
            p.committed();
        }
    }

    /** A batch of one needs no savepoint: its transaction is its own, rolled back whole when it throws. */
    private static void runAlone(Connection c, Pending<?> p) throws SQLException {
        Object result;
        try {
            result = p.work.apply(c);
            c.commit();
        } catch (Throwable e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            if (e instanceof SQLException || e instanceof RuntimeException) {
                p.failed((Exception) e); // the work's own failure, or its commit's: nothing of it stays
                return;
            }
            throw e;
        }
        p.ran(result);
        p.committed();
    }

    /** Every work in {@code batch} not yet settled fails with {@code cause}: its writes were rolled back. */
    private static void failUnsettled(List<Pending<?>> batch, Exception cause) {
        for (Pending<?> p : batch) {
            if (!p.done) {
                p.failed(cause);
            }
        }
    }

    /** Runs a statement without parameters; prepared, so that the writer's connection keeps it compiled. */
    private static void execute(Connection c, String sql) throws SQLException {
        try (java.sql.PreparedStatement s = c.prepareStatement(sql)) {
            s.execute();
        }
    }

    private static void synchronous(Connection c, String level) throws SQLException {
        execute(c, "PRAGMA synchronous = " + level);
    }

    /**
     * One caller's work; written by the committing thread and published to its caller by {@link #done}.
     * A submitted work has no waiting caller (null) and tells its outcome to {@code settled} instead.
     */
    private static final class Pending<T> {
        private static final Consumer<Optional<Exception>> WAITED = outcome -> { };
        final boolean durable;
        final Db.Work<T> work;
        final Thread caller;
        final Consumer<Optional<Exception>> settled;
        private T value;
        private boolean ran;
        private Exception failure;
        volatile boolean done;

        Pending(boolean durable, Db.Work<T> work, Thread caller) {
            this(durable, work, caller, WAITED);
        }

        Pending(boolean durable, Db.Work<T> work, Thread caller,
                Consumer<Optional<Exception>> settled) {
            this.durable = durable;
            this.work = work;
            this.caller = caller;
            this.settled = settled;
        }

        void ran(Object result) {
            @SuppressWarnings("unchecked")
            T t = (T) result;
            value = t;
            ran = true;
        }

        /** The work ran and its transaction committed; a work that threw keeps its failure. */
        void committed() {
            if (failure == null && ran) {
                settle();
            }
        }

        void failed(Exception e) {
            failure = e;
            settle();
        }

        private void settle() {
            done = true;
            if (caller == null) {
                try {
                    settled.accept(Optional.ofNullable(failure));
                } catch (RuntimeException e) {
                    // A listener's trouble must not fail the batch's other works, which are committed.
                    LOG.warn("a store write's listener failed", e);
                }
            } else if (caller != Thread.currentThread()) {
                LockSupport.unpark(caller);
            }
        }

        T result() throws SQLException {
            if (failure instanceof SQLException e) {
                throw e;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            return value;
        }
    }
}
