package io.github.autodeploy.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.github.autodeploy.core.AutodeployException;
import io.github.autodeploy.core.control.EnvironmentLock;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.core.store.GatedRun;
import io.github.autodeploy.core.store.LogChunk;
import java.lang.management.ManagementFactory;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.store.Orphans;
import io.github.autodeploy.core.store.WaitingMerge;
import io.github.autodeploy.core.time.TimeSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DeploymentStore} in a SQLite file (one process) or a PostgreSQL database (several nodes):
 * deployments with their history, steps and posted-status count, their logs (the newest {@code
 * logLimitBytes} of each), delivery ids for duplicate detection, merges waiting for CI, gated
 * Actions deployments (changed only by compare-and-set on their version), and lane locks that hold
 * across nodes on PostgreSQL. The schema is created or migrated on start.
 *
 * <p>Ownership: each instance is an owner of its own ({@link #owner()}: the node id and a random
 * suffix, so a restarted process is a new owner). What it inserts or parks it owns, with a lease of
 * {@code leaseTimeout} that {@link #renewLeases()} extends; a deployment is owned until settled
 * (finished with every status posted). {@link #adoptOrphans()} takes over unsettled rows of other
 * owners: on PostgreSQL ({@link #shared()}) only once their lease ran out, on SQLite at once, since
 * one process uses the file and whatever an earlier run left is its own. On PostgreSQL two nodes
 * taking over at the same moment never get the same row: the claim is one {@code UPDATE ... WHERE
 * id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING ...}, chosen over a plain {@code UPDATE ...
 * RETURNING} because a taker that skips locked rows never waits, so it can neither deadlock with an
 * owner renewing the same rows nor stall behind another taker; a row it skips is being written by
 * someone else at that moment (another taker, or its owner) and is looked at again on the next call.
 * Leases compare the clocks of the nodes: keep them in sync well within the lease timeout.
 *
 * <p>Thread-safe; close it to release its connection pool.
 */
public final class JdbcDeploymentStore implements DeploymentStore, AutoCloseable {
    /** What the lane holder column takes; the owner columns take this and a 13-character suffix. */
    private static final int MAX_NODE_ID = 200;
    private static final Logger LOG = LoggerFactory.getLogger(JdbcDeploymentStore.class);
    private final Db db;
    private final Optional<HikariDataSource> ownPool;
    private final TimeSource clock;
    private final long logLimitBytes;
    private final Duration retention;
    private final long logBudgetBytes;
    private final Duration dedupeWindow;
    private final String nodeId;
    private final Duration leaseTimeout;
    private final String owner;
    private final Map<String, LaneLock> laneLocks = new ConcurrentHashMap<>();
    /** SQLite: posted-status marks not yet committed, the highest count per deployment. */
    private final Map<DeploymentId, Integer> unwrittenMarks = new ConcurrentHashMap<>();
    /** Whether a write of {@link #unwrittenMarks} is queued and has not started. */
    private final AtomicBoolean marksQueued = new AtomicBoolean();
    /** The SQLite file this store opened; empty for PostgreSQL or an in-memory SQLite database. */
    private final Optional<SqliteFile> sqliteFile;

    private JdbcDeploymentStore(Builder b, Db db, Optional<HikariDataSource> ownPool) {
        this.db = db;
        this.ownPool = ownPool;
        this.clock = b.clock;
        this.logLimitBytes = b.logLimitBytes;
        this.retention = b.retention;
        this.logBudgetBytes = b.logBudgetBytes;
        this.dedupeWindow = b.dedupeWindow;
        this.nodeId = b.nodeId;
        this.leaseTimeout = b.leaseTimeout;
        this.owner = b.nodeId + "#" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        this.sqliteFile = db.dialect() == Dialect.SQLITE ? db.withConnection("find the SQLite file", SqliteFile::of)
                : Optional.empty();
        sqliteFile.ifPresent(f -> db.writes().ifPresent(w -> w.watchFile(f.path().toString(), f::isTheOneOpened)));
    }

    /** A store at {@code url} ({@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://HOST/DB?user=..&password=..}) with the defaults. */
    public static JdbcDeploymentStore open(String url) {
        return builder().url(url).build();
    }

    /** A store in the host application's database (SQLite or PostgreSQL), with the defaults. */
    public static JdbcDeploymentStore open(DataSource dataSource) {
        return builder().dataSource(dataSource).build();
    }

    /** What all logs together may hold unless told otherwise: 1 GiB. */
    public static final long DEFAULT_LOG_BUDGET_BYTES = 1L << 30;

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean recordDelivery(DeliveryId id) {
        return db.durably("record delivery " + id, c -> Sql.update(c,
                "INSERT INTO autodeploy_deliveries (id, seen_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                id.value(), Times.toNanos(clock.now())) == 1);
    }

    /** The deployment and its delivery id in one transaction, synced to disk on SQLite before it returns. */
    @Override
    public boolean insert(DeploymentRecord record, DeliveryId delivery) {
        Rows.Statement seen = new Rows.Statement(
                "INSERT INTO autodeploy_deliveries (id, seen_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                delivery.value(), Times.toNanos(clock.now()));
        Rows.Statement row = Rows.insertOf(record, owner, leaseUntil());
        String what = "store deployment " + record.deployment().id() + " of delivery " + delivery;
        if (db.dialect() == Dialect.POSTGRESQL) {
            // One round trip, one statement: the deployment is inserted only when the delivery's row was.
            return db.withConnection(what, c -> Rows.insertWithDelivery(record, owner, leaseUntil(), delivery.value(),
                    Times.toNanos(clock.now())).run(c) == 1);
        }
        return db.durably(what, c -> seen.run(c) == 1 && row.run(c) == 1);
    }

    @Override
    public void forgetDelivery(DeliveryId id) {
        db.write("forget delivery " + id, c -> Sql.update(c, "DELETE FROM autodeploy_deliveries WHERE id = ?", id.value()));
    }

    @Override
    public boolean insert(DeploymentRecord record) {
        Rows.Statement row = Rows.insertOf(record, owner, leaseUntil());
        return db.durably("store deployment " + record.deployment().id(), c -> row.run(c) == 1);
    }

    /**
     * Replaces the record; the deployment keeps its owner, except one that had none (unowned, or
     * settled until this new status), which this store then owns. Its owner's lease is renewed.
     */
    @Override
    public void update(DeploymentRecord record) {
        Rows.Statement row = Rows.updateOf(record, owner, leaseUntil());
        db.write("update deployment " + record.deployment().id(), row::run);
    }

    @Override
    public Optional<DeploymentRecord> find(DeploymentId id) {
        return db.withConnection("read deployment " + id, c -> Rows.find(c, id));
    }

    @Override
    public List<DeploymentRecord> recent(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit " + limit + " must not be negative");
        }
        return db.withConnection("list deployments", c -> Rows.recent(c, limit));
    }

    @Override
    public void appendLog(DeploymentId id, String line) {
        Objects.requireNonNull(line, "line");
        if (db.dialect() == Dialect.POSTGRESQL) {
            appendOnPostgres(id, List.of(line));
            return;
        }
        List<String> one = List.of(line);
        db.inTransaction("append to the log of deployment " + id, c -> {
            Logs.appendAllThenTrim(c, id, one, logLimitBytes);
            return null;
        });
    }

    /**
     * Adds the lines in one transaction, trimming the log to its byte limit as appending them one by
     * one would (the newest lines within the limit, the newest line always); on PostgreSQL in one
     * statement, and a second transaction to trim only when the log outgrew its limit.
     */
    @Override
    public void appendLog(DeploymentId id, List<String> lines) {
        List<String> copy = List.copyOf(lines);
        if (copy.isEmpty()) {
            return;
        }
        if (db.dialect() == Dialect.POSTGRESQL) {
            appendOnPostgres(id, copy);
            return;
        }
        // One update of the deployment's row reserves the lines' numbers, then one insert each and one trim.
        db.inTransaction("append to the log of deployment " + id, c -> {
            Logs.appendAllThenTrim(c, id, copy, logLimitBytes);
            return null;
        });
    }

    private void appendOnPostgres(DeploymentId id, List<String> lines) {
        String what = "append to the log of deployment " + id;
        if (db.withConnection(what, c -> Logs.appendAll(c, id, lines, logLimitBytes))) {
            db.inTransaction("trim the log of deployment " + id, c -> {
                Logs.trimToLimit(c, id, logLimitBytes);
                return null;
            });
        }
    }

    @Override
    public LogChunk readLog(DeploymentId id, long fromLine) {
        return db.readTransaction("read the log of deployment " + id, c -> Logs.read(c, id, fromLine));
    }

    /**
     * The lock of {@code lane}: on PostgreSQL it excludes every node using the same database (an
     * advisory lock on a connection held while the lane is locked, released by the server when that
     * connection dies); on SQLite, which one process uses, it excludes the threads of this process.
     */
    @Override
    public Lock laneLock(String lane) {
        Objects.requireNonNull(lane, "lane");
        return laneLocks.computeIfAbsent(lane, l -> new LaneLock(db, l, owner, clock, leaseTimeout));
    }

    @Override
    public boolean durable() {
        return true;
    }

    /** True on PostgreSQL, which several nodes use at once; false on SQLite, which one process uses. */
    @Override
    public boolean shared() {
        return db.dialect() == Dialect.POSTGRESQL;
    }

    @Override
    public Duration leaseTimeout() {
        return leaseTimeout;
    }

    /**
     * Takes a connection, asks the driver whether it is valid ({@code Connection.isValid}, within
     * {@code timeout}, at least a second) and reads the deployments table, so a database file that is
     * no longer one fails; a SQLite file must still be the one the store opened (deleted or replaced,
     * the process would write into a file nobody can read after a restart), and its last write must not
     * have failed for want of disk (full, I/O error, read-only). Taking a connection from
     * the pool may add the pool's connect timeout (a few seconds) when the database is gone.
     */
    @Override
    public boolean ping(Duration timeout) {
        try {
            return db.withConnection("ping", c -> {
                if (!c.isValid((int) Math.max(1, timeout.toSeconds()))) {
                    return false;
                }
                try (java.sql.Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT COUNT(*) FROM autodeploy_deployments WHERE id = -1")) {
                    r.next();
                }
                return sqliteFile.map(f -> f.isTheOneOpened()).orElse(true)
                        && db.writes().map(GroupCommit::writable).orElse(true);
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The SQLite file a store opened, to tell whether it is still there and the same file. */
    private record SqliteFile(java.nio.file.Path path, Object key) {
        static Optional<SqliteFile> of(java.sql.Connection c) throws java.sql.SQLException {
            try (java.sql.Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA database_list")) {
                while (r.next()) {
                    String file = r.getString("file");
                    if ("main".equals(r.getString("name")) && file != null && !file.isEmpty()) {
                        java.nio.file.Path path = java.nio.file.Path.of(file);
                        return Optional.ofNullable(key(path)).map(k -> new SqliteFile(path, k));
                    }
                }
            }
            return Optional.empty();
        }

        private static Object key(java.nio.file.Path path) {
            try {
                java.nio.file.attribute.BasicFileAttributes a = java.nio.file.Files.readAttributes(path,
                        java.nio.file.attribute.BasicFileAttributes.class);
                return a.fileKey() != null ? a.fileKey() : a.creationTime();
            } catch (java.io.IOException e) {
                return null;
            }
        }

        boolean isTheOneOpened() {
            return key.equals(key(path));
        }
    }

    @Override
    public boolean deliverySeen(DeliveryId id) {
        return db.withConnection("check delivery " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM autodeploy_deliveries WHERE id = ?")) {
                s.setString(1, id.value());
                try (ResultSet r = s.executeQuery()) {
                    return r.next();
                }
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Marks are written behind and together. On SQLite a mark joins the next write batch and this
     * returns at once (with no batch running it commits here), sparing a busy writer a transaction
     * per posted status and the outbox a wait behind the accept path's synced commits. On PostgreSQL
     * the caller that finds no write of marks running writes every mark not yet written, in one
     * statement, and again while others add more; the others return at once. What a crash loses is
     * only the latest marks, so a successor posts those statuses again, as after a crash between a
     * post and its mark. A mark the store refuses is kept and written with the next one or on
     * {@link #close()} (on PostgreSQL the caller writing it gets the failure too); {@link
     * #postedCount} counts the marks not yet written.
     */
    @Override
    public void markPosted(DeploymentId id, int count) {
        unwrittenMarks.merge(id, count, Math::max);
        Optional<GroupCommit> writes = db.writes();
        if (writes.isPresent()) {
            if (marksQueued.compareAndSet(false, true)) {
                // What the write wrote, for its outcome to take out of unwrittenMarks once committed.
                AtomicReference<Map<DeploymentId, Integer>> written = new AtomicReference<>(Map.of());
                writes.get().submit(c -> {
                    written.set(writeMarks(c));
                    return null;
                }, failure -> marksWritten(written.get(), failure));
            }
            return;
        }
        while (!unwrittenMarks.isEmpty() && marksQueued.compareAndSet(false, true)) {
            try {
                Map<DeploymentId, Integer> marks = db.write("record posted statuses of deployment " + id, this::writeMarks);
                marks.forEach(unwrittenMarks::remove); // only those not raised meanwhile
            } catch (RuntimeException e) {
                marksQueued.set(false);
                throw e;
            }
            marksQueued.set(false); // then look again: a mark added while this one wrote found the write running
        }
    }

    /** Writes every mark not yet written (on PostgreSQL in one statement); returns what it wrote. */
    private Map<DeploymentId, Integer> writeMarks(Connection c) throws SQLException {
        if (db.writes().isPresent()) {
            marksQueued.set(false); // a mark coming from now on queues another write
        }
        Map<DeploymentId, Integer> marks = Map.copyOf(unwrittenMarks);
        if (db.dialect() == Dialect.POSTGRESQL && marks.size() > 1) {
            Long[] ids = new Long[marks.size()];
            Integer[] counts = new Integer[marks.size()];
            int i = 0;
            for (Map.Entry<DeploymentId, Integer> m : marks.entrySet()) {
                ids[i] = m.getKey().value();
                counts[i++] = m.getValue();
            }
            // One message, one implicit transaction: the rows are locked in id order first, the order
            // Leases.renew locks an owner's rows in, so the two multi-row writes never deadlock.
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM autodeploy_deployments WHERE id = ANY (?::bigint[]) "
                    + "ORDER BY id FOR UPDATE;\n"
                    + "UPDATE autodeploy_deployments SET statuses_posted = m.posted, "
                    + "settled = CASE WHEN " + Rows.FINISHED + " AND m.posted >= history_size THEN 1 ELSE 0 END "
                    + "FROM unnest(?::bigint[], ?::integer[]) AS m (deployment, posted) "
                    + "WHERE id = m.deployment AND statuses_posted < m.posted")) {
                java.sql.Array idArray = c.createArrayOf("bigint", ids);
                s.setArray(1, idArray);
                s.setArray(2, idArray);
                s.setArray(3, c.createArrayOf("integer", counts));
                s.execute();
            }
        } else {
            for (Map.Entry<DeploymentId, Integer> m : marks.entrySet()) {
                markPosted(c, m.getKey(), m.getValue());
            }
        }
        return marks;
    }

    /** SQLite: the outcome of a queued write of marks. */
    private void marksWritten(Map<DeploymentId, Integer> marks, Optional<Exception> failure) {
        if (failure.isPresent()) {
            marksQueued.set(false); // its batch may have failed before it ran; the next mark queues a write again
            LOG.warn("store could not record {} posted status mark(s); keeping them for the next write: {}",
                    unwrittenMarks.size(), failure.get().getMessage());
            return;
        }
        marks.forEach(unwrittenMarks::remove); // only those not raised meanwhile
    }

    private static int markPosted(java.sql.Connection c, DeploymentId id, int count) throws java.sql.SQLException {
        return Sql.update(c, "UPDATE autodeploy_deployments SET statuses_posted = ?, "
                + "settled = CASE WHEN " + Rows.FINISHED + " AND ? >= history_size THEN 1 ELSE 0 END "
                + "WHERE id = ? AND statuses_posted < ?", count, count, id.value(), count);
    }

    @Override
    public int postedCount(DeploymentId id) {
        int unwritten = unwrittenMarks.getOrDefault(id, 0);
        return Math.max(unwritten, storedPostedCount(id));
    }

    private int storedPostedCount(DeploymentId id) {
        return db.withConnection("read posted statuses of deployment " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT statuses_posted FROM autodeploy_deployments WHERE id = ?")) {
                s.setLong(1, id.value());
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getInt(1) : 0;
                }
            }
        });
    }

    @Override
    public Optional<DeploymentId> newestStarted(RepositoryName repository, EnvironmentName environment) {
        return db.withConnection("find the newest started deployment of " + repository + " " + environment, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT MAX(id) FROM autodeploy_deployments "
                    + "WHERE repository = ? AND environment = ? AND started_at IS NOT NULL")) {
                Sql.bind(s, repository.fullName(), environment.value());
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    long id = r.getLong(1);
                    return r.wasNull() ? Optional.<DeploymentId>empty() : Optional.of(DeploymentId.of(id));
                }
            }
        });
    }

    @Override
    public void release(DeploymentId id) {
        db.write("release deployment " + id, c -> Sql.update(c, "UPDATE autodeploy_deployments "
                + "SET owner = '', lease_until = 0 WHERE id = ? AND owner = ?", id.value(), owner));
    }

    @Override
    public Optional<DeploymentId> runningElsewhere(RepositoryName repository, EnvironmentName environment) {
        return db.withConnection("look for a run of " + repository + " " + environment + " on another node", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT MIN(id) FROM autodeploy_deployments WHERE repository = ? "
                    + "AND environment = ? AND state = 'IN_PROGRESS' AND owner <> ? AND owner <> '' AND lease_until > ?")) {
                Sql.bind(s, repository.fullName(), environment.value(), owner, Times.toNanos(clock.now()));
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    long id = r.getLong(1);
                    return r.wasNull() ? Optional.<DeploymentId>empty() : Optional.of(DeploymentId.of(id));
                }
            }
        });
    }

    @Override
    public boolean claim(DeploymentId id) {
        return db.write("claim deployment " + id, c -> Sql.update(c, "UPDATE autodeploy_deployments "
                + "SET owner = ?, lease_until = ? WHERE id = ? AND state = 'QUEUED' AND started_at IS NULL",
                owner, leaseUntil(), id.value()) == 1);
    }

    @Override
    public Optional<DeploymentId> olderQueued(RepositoryName repository, EnvironmentName environment, DeploymentId than) {
        return db.withConnection("find an older queued deployment of " + repository + " " + environment, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT MIN(id) FROM autodeploy_deployments "
                    + "WHERE repository = ? AND environment = ? AND state = 'QUEUED' AND started_at IS NULL AND id < ?")) {
                Sql.bind(s, repository.fullName(), environment.value(), than.value());
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    long id = r.getLong(1);
                    return r.wasNull() ? Optional.<DeploymentId>empty() : Optional.of(DeploymentId.of(id));
                }
            }
        });
    }

    @Override
    public Optional<DeploymentRecord> lastSucceeded(RepositoryName repository, EnvironmentName environment,
                                                    Optional<CommitSha> sha) {
        return db.withConnection("find the last successful deployment of " + repository + " " + environment,
                c -> Rows.lastSucceeded(c, repository, environment, sha));
    }

    @Override
    public Optional<EnvironmentLock> lockOf(RepositoryName repository, EnvironmentName environment) {
        return db.withConnection("read the lock of " + repository + " " + environment, c -> Locks.of(c, repository, environment));
    }

    @Override
    public List<EnvironmentLock> locks() {
        return db.withConnection("list environment locks", Locks::all);
    }

    @Override
    public EnvironmentLock lock(EnvironmentLock wanted, boolean steal) {
        return db.durably("lock " + wanted.repository() + " " + wanted.environment(), c -> Locks.lock(c, wanted, steal));
    }

    @Override
    public boolean unlock(EnvironmentLock expected) {
        return db.durably("unlock " + expected.repository() + " " + expected.environment(), c -> Locks.unlock(c, expected));
    }

    /** The run at version 1 and its delivery id in one transaction, synced to disk on SQLite before it returns. */
    @Override
    public boolean insertGated(GatedRun run, DeliveryId delivery) {
        Objects.requireNonNull(run, "run");
        return db.durably("store gated run " + run.key() + " of delivery " + delivery, c -> {
            Sql.update(c, "INSERT INTO autodeploy_deliveries (id, seen_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                    delivery.value(), Times.toNanos(clock.now()));
            return Gated.insert(c, run);
        });
    }

    @Override
    public Optional<GatedRun> gated(String key) {
        Objects.requireNonNull(key, "key");
        return db.withConnection("read gated run " + key, c -> Gated.find(c, key));
    }

    /** Waiting or not yet sent ones first, then by request time, newest first (ties by key, descending). */
    @Override
    public List<GatedRun> gatedRuns(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit " + limit + " must not be negative");
        }
        return db.withConnection("list gated runs", c -> Gated.list(c, limit));
    }

    /**
     * One {@code UPDATE ... WHERE run_key = ? AND version = ?}: of writers (threads or nodes) that read
     * the same version exactly one changes the row. Synced to disk on SQLite before it returns, so a
     * decision taken is never forgotten.
     */
    @Override
    public Optional<GatedRun> replaceGated(GatedRun next) {
        Objects.requireNonNull(next, "next");
        return db.durably("replace gated run " + next.key() + " at version " + next.version(), c -> Gated.replace(c, next));
    }

    @Override
    public void park(WaitingMerge merge) {
        db.durably("keep waiting merge " + merge.requestId(), c -> {
            Waiting.park(c, merge, owner, leaseUntil());
            return null;
        });
    }

    @Override
    public void unpark(String requestId) {
        Objects.requireNonNull(requestId, "requestId");
        db.write("forget waiting merge " + requestId,
                c -> Sql.update(c, "DELETE FROM autodeploy_waiting WHERE request_id = ?", requestId));
    }

    @Override
    public List<WaitingMerge> waiting() {
        return db.withConnection("list waiting merges", Waiting::all);
    }

    @Override
    public void renewLeases() {
        db.inTransaction("renew the leases of " + owner, c -> Leases.renew(c, db.dialect(), owner, leaseUntil()));
    }

    /**
     * Takes over unsettled deployments and waiting merges that another owner holds: on PostgreSQL
     * those whose lease ran out, on SQLite (one process at a time) all of them, since whoever wrote
     * them is an earlier run of this process.
     */
    @Override
    public Orphans adoptOrphans() {
        long now = Times.toNanos(clock.now());
        return db.inTransaction("take over what others left",
                c -> Leases.adopt(c, db.dialect(), owner, now, now + leaseTimeout.toNanos(), shared()));
    }

    /** This store instance's name in the owner columns: the node id and a random suffix chosen at build. */
    public String owner() {
        return owner;
    }

    private long leaseUntil() {
        return Times.toNanos(clock.now()) + leaseTimeout.toNanos();
    }

    /**
     * Deletes deployments (and their logs) that finished, or were queued if they never finished,
     * longer than the retention ago; delivery ids seen longer than the dedupe window ago; and merges
     * whose deadline to wait for CI passed longer than the retention ago (a robot gives up on a merge
     * at its deadline and forgets it, so these are left by one that never came back); and gated
     * Actions deployments decided longer than the retention ago (waiting ones stay, however old).
     */
    public PruneResult prune() {
        long now = Times.toNanos(clock.now());
        long deploymentsBefore = now - retention.toNanos();
        long deliveriesBefore = now - dedupeWindow.toNanos();
        return db.inTransaction("prune old deployments, deliveries, waiting merges and gated runs", c -> {
            // The newest started deployment of each lane stays, however old: it is what keeps a replayed
            // or late older deployment from rolling the lane back after a long quiet spell.
            String old = "COALESCE(finished_at, queued_at) < ? AND id NOT IN (SELECT MAX(id) FROM autodeploy_deployments "
                    + "WHERE started_at IS NOT NULL GROUP BY repository, environment)";
            Sql.update(c, "DELETE FROM autodeploy_log_lines WHERE deployment_id IN (SELECT id FROM autodeploy_deployments "
                    + "WHERE " + old + ")", deploymentsBefore);
            int deployments = Sql.update(c, "DELETE FROM autodeploy_deployments WHERE " + old, deploymentsBefore);
            int deliveries = Sql.update(c, "DELETE FROM autodeploy_deliveries WHERE seen_at < ?", deliveriesBefore);
            int waiting = Sql.update(c, "DELETE FROM autodeploy_waiting WHERE deadline < ?", deploymentsBefore);
            int logs = Logs.keepWithin(c, logBudgetBytes);
            int gated = Gated.prune(c, deploymentsBefore);
            return new PruneResult(deployments, deliveries, waiting, logs, gated);
        });
    }

    /** Which database this store uses, with any password masked: for messages and logs. */
    public String describe() {
        return db.source();
    }

    /** Closes the pool this store opened; a host's {@code DataSource} is left to the host. */
    @Override
    public void close() {
        if (!unwrittenMarks.isEmpty()) {
            try {
                db.write("record posted statuses", c -> writeMarks(c).size());
                unwrittenMarks.clear();
            } catch (RuntimeException e) {
                LOG.warn("store could not record {} posted status mark(s) before closing; a successor posts those "
                        + "statuses again: {}", unwrittenMarks.size(), e.getMessage());
            }
        }
        ownPool.ifPresent(HikariDataSource::close);
    }

    /** Builds a {@link JdbcDeploymentStore}; {@link #build()} connects and migrates. Not thread-safe. */
    public static final class Builder {
        private Optional<String> url = Optional.empty();
        private Optional<DataSource> dataSource = Optional.empty();
        private String user = "";
        private String password = "";
        private TimeSource clock = TimeSource.system();
        private long logLimitBytes = 1_048_576;
        private Duration retention = Duration.ofDays(90);
        private long logBudgetBytes = DEFAULT_LOG_BUDGET_BYTES;
        private Duration dedupeWindow = Duration.ofDays(7);
        private Duration leaseTimeout = Duration.ofSeconds(30);
        private int poolSize = 10;
        private boolean syncEveryAccept = true;
        private Duration connectTimeout = Duration.ofSeconds(3);
        private String nodeId = ManagementFactory.getRuntimeMXBean().getName();

        private Builder() {
        }

        /** {@code jdbc:sqlite:FILE} (created with its folder on first start) or {@code jdbc:postgresql://HOST:PORT/DATABASE}. */
        public Builder url(String url) {
            this.url = Optional.of(Objects.requireNonNull(url, "url").strip());
            return this;
        }

        /** The host application's database instead of a URL; the store neither pools nor closes it. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Optional.of(Objects.requireNonNull(dataSource, "dataSource"));
            return this;
        }

        /** PostgreSQL's user, when the URL does not name it. */
        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /** PostgreSQL's password, when the URL does not hold it. */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Where the store reads the time for delivery and lock stamps and pruning; the system's by default. */
        public Builder timeSource(TimeSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Log kept per deployment, in bytes (the newest lines); {@code engine.log_limit_bytes}. */
        public Builder logLimitBytes(long logLimitBytes) {
            this.logLimitBytes = logLimitBytes;
            return this;
        }

        /**
         * What all logs together may hold, in bytes; {@link #prune()} drops the oldest finished
         * deployments' logs past it. {@code store.log_budget_bytes}, default 1 GiB.
         */
        public Builder logBudgetBytes(long logBudgetBytes) {
            this.logBudgetBytes = logBudgetBytes;
            return this;
        }

        /** How long {@link #prune()} keeps a deployment; {@code store.retention}, default 90 days. */
        public Builder retention(Duration retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /** How long {@link #prune()} keeps a delivery id; {@code store.dedupe_window}, default 7 days. */
        public Builder dedupeWindow(Duration dedupeWindow) {
            this.dedupeWindow = Objects.requireNonNull(dedupeWindow, "dedupeWindow");
            return this;
        }

        /** How soon another node takes over what a node that died owned; {@code store.lease_timeout}, default 30 s. */
        public Builder leaseTimeout(Duration leaseTimeout) {
            this.leaseTimeout = Objects.requireNonNull(leaseTimeout, "leaseTimeout");
            return this;
        }

        /** Connections the store's own pool opens at most (default 10); each held lane lock keeps one on PostgreSQL. */
        public Builder poolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        /**
         * On SQLite, whether an accepted delivery (and any other write the engine needs kept) is synced
         * to disk before it is answered (true, the default: it survives a power cut) or only written to
         * the file ({@code synchronous=NORMAL}: it survives the process being killed, not a power cut or
         * an OS crash, and a slow disk no longer paces the accept path). PostgreSQL ignores it: there
         * the server's {@code synchronous_commit} decides.
         */
        public Builder syncEveryAccept(boolean syncEveryAccept) {
            this.syncEveryAccept = syncEveryAccept;
            return this;
        }

        /** How long to wait for a connection, at start and later (default 3 s: a webhook waits on it). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * Names this node as a lane's holder in {@code autodeploy_lane_locks} and begins its owner id
         * (default pid@host; at most 200 characters).
         */
        public Builder nodeId(String nodeId) {
            this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
            return this;
        }

        /**
         * Connects, creates or migrates the schema, and returns the store.
         *
         * @throws AutodeployException when the settings are wrong, the database cannot be reached
         *                             (naming the URL, password masked), or its schema is newer than this version
         */
        public JdbcDeploymentStore build() {
            if (url.isPresent() == dataSource.isPresent()) {
                throw new AutodeployException("give the store either a url (store.url) or a DataSource, not "
                        + (url.isPresent() ? "both" : "neither"));
            }
            if (logLimitBytes < 1 || logBudgetBytes < logLimitBytes || poolSize < 1 || retention.isNegative() || retention.isZero()
                    || dedupeWindow.isNegative() || dedupeWindow.isZero() || leaseTimeout.isNegative() || leaseTimeout.isZero()
                    || nodeId.isBlank() || nodeId.length() > MAX_NODE_ID) {
                throw new AutodeployException("store settings must be positive (and the log budget at least one log's limit): log limit " + logLimitBytes + " bytes, log budget " + logBudgetBytes + " bytes, pool "
                        + poolSize + ", retention " + retention + ", dedupe window " + dedupeWindow + ", lease timeout "
                        + leaseTimeout + ", node id \"" + nodeId + "\" (1 to " + MAX_NODE_ID + " characters)");
            }
            if (url.isPresent()) {
                String u = url.get();
                Dialect dialect = Dialect.ofUrl(u);
                String shown = Urls.mask(u);
                String user = this.user;
                String password = this.password;
                if (dialect != Dialect.SQLITE) {
                    java.util.Optional<io.github.autodeploy.core.config.StoreUrls.Credentials> info =
                            io.github.autodeploy.core.config.StoreUrls.splitUserInfo(u);
                    if (info.isPresent()) {
                        u = info.get().url();
                        user = user.isEmpty() ? info.get().user() : user;
                        password = password.isEmpty() ? info.get().password() : password;
                    }
                }
                HikariDataSource pool = Pools.open(u, shown, dialect, user, password, poolSize, connectTimeout);
                try {
                    return start(new Db(pool, dialect, shown, syncEveryAccept), Optional.of(pool));
                } catch (RuntimeException e) {
                    pool.close();
                    throw e;
                }
            }
            DataSource ds = dataSource.get();
            String source = "the host application's DataSource";
            Dialect dialect;
            try (Connection c = ds.getConnection()) {
                dialect = Dialect.ofProductName(c.getMetaData().getDatabaseProductName(), source);
            } catch (SQLException e) {
                throw new AutodeployException("cannot reach the store through " + source + ": " + e.getMessage(), e);
            }
            return start(new Db(ds, dialect, source, syncEveryAccept), Optional.empty());
        }

        private JdbcDeploymentStore start(Db db, Optional<HikariDataSource> pool) {
            Migrations.migrate(db.dataSource(), db.source());
            return new JdbcDeploymentStore(this, db, pool);
        }
    }
}
