package io.github.autodeploy.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.github.autodeploy.core.AutodeployException;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.core.store.LogChunk;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import io.github.autodeploy.core.time.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import javax.sql.DataSource;

/**
 * A {@link DeploymentStore} in a SQLite file (one process) or a PostgreSQL database (several nodes):
 * deployments with their history and steps, their logs (the newest {@code logLimitBytes} of each),
 * delivery ids for duplicate detection, and lane locks that hold across nodes on PostgreSQL. The
 * schema is created or migrated on start. Thread-safe; close it to release its connection pool.
 */
public final class JdbcDeploymentStore implements DeploymentStore, AutoCloseable {
    private final Db db;
    private final Optional<HikariDataSource> ownPool;
    private final TimeSource clock;
    private final long logLimitBytes;
    private final Duration retention;
    private final Duration dedupeWindow;
    private final String nodeId;
    private final Map<String, LaneLock> laneLocks = new ConcurrentHashMap<>();

    private JdbcDeploymentStore(Builder b, Db db, Optional<HikariDataSource> ownPool) {
        this.db = db;
        this.ownPool = ownPool;
        this.clock = b.clock;
        this.logLimitBytes = b.logLimitBytes;
        this.retention = b.retention;
        this.dedupeWindow = b.dedupeWindow;
        this.nodeId = b.nodeId;
    }

    /** A store at {@code url} ({@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://HOST/DB?user=..&password=..}) with the defaults. */
    public static JdbcDeploymentStore open(String url) {
        return builder().url(url).build();
    }

    /** A store in the host application's database (SQLite or PostgreSQL), with the defaults. */
    public static JdbcDeploymentStore open(DataSource dataSource) {
        return builder().dataSource(dataSource).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean recordDelivery(DeliveryId id) {
        return db.withConnection("record delivery " + id, c -> Sql.update(c,
                "INSERT INTO autodeploy_deliveries (id, seen_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                id.value(), Times.toNanos(clock.now())) == 1);
    }

    @Override
    public void forgetDelivery(DeliveryId id) {
        db.withConnection("forget delivery " + id, c -> Sql.update(c, "DELETE FROM autodeploy_deliveries WHERE id = ?", id.value()));
    }

    @Override
    public boolean insert(DeploymentRecord record) {
        return db.withConnection("store deployment " + record.deployment().id(), c -> Rows.insert(c, record));
    }

    @Override
    public void update(DeploymentRecord record) {
        db.withConnection("update deployment " + record.deployment().id(), c -> Rows.update(c, record));
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
        db.inTransaction("append to the log of deployment " + id, c -> {
            Logs.append(c, id, line, logLimitBytes);
            return null;
        });
    }

    @Override
    public LogChunk readLog(DeploymentId id, long fromLine) {
        return db.inTransaction("read the log of deployment " + id, c -> Logs.read(c, id, fromLine));
    }

    /**
     * The lock of {@code lane}: on PostgreSQL it excludes every node using the same database (an
     * advisory lock on a connection held while the lane is locked, released by the server when that
     * connection dies); on SQLite, which one process uses, it excludes the threads of this process.
     */
    @Override
    public Lock laneLock(String lane) {
        Objects.requireNonNull(lane, "lane");
        return laneLocks.computeIfAbsent(lane, l -> new LaneLock(db, l, nodeId, clock));
    }

    // Placeholders until the V2 schema lands (owner, leases, posted statuses, waiting merges).
    @Override
    public boolean deliverySeen(DeliveryId id) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void markPosted(DeploymentId id, int count) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public int postedCount(DeploymentId id) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Optional<DeploymentId> newestStarted(io.github.autodeploy.core.model.RepositoryName repository,
                                                io.github.autodeploy.core.model.EnvironmentName environment) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void park(io.github.autodeploy.core.store.WaitingMerge merge) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void unpark(String requestId) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<io.github.autodeploy.core.store.WaitingMerge> waiting() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void renewLeases() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public io.github.autodeploy.core.store.Orphans adoptOrphans() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Deletes deployments (and their logs) that finished, or were queued if they never finished,
     * longer than the retention ago, and delivery ids seen longer than the dedupe window ago.
     */
    public PruneResult prune() {
        long now = Times.toNanos(clock.now());
        long deploymentsBefore = now - retention.toNanos();
        long deliveriesBefore = now - dedupeWindow.toNanos();
        return db.inTransaction("prune old deployments and deliveries", c -> {
            Sql.update(c, "DELETE FROM autodeploy_log_lines WHERE deployment_id IN (SELECT id FROM autodeploy_deployments "
                    + "WHERE COALESCE(finished_at, queued_at) < ?)", deploymentsBefore);
            int deployments = Sql.update(c, "DELETE FROM autodeploy_deployments WHERE COALESCE(finished_at, queued_at) < ?",
                    deploymentsBefore);
            int deliveries = Sql.update(c, "DELETE FROM autodeploy_deliveries WHERE seen_at < ?", deliveriesBefore);
            return new PruneResult(deployments, deliveries);
        });
    }

    /** Which database this store uses, with any password masked: for messages and logs. */
    public String describe() {
        return db.source();
    }

    /** Closes the pool this store opened; a host's {@code DataSource} is left to the host. */
    @Override
    public void close() {
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
        private Duration dedupeWindow = Duration.ofDays(7);
        private Duration leaseTimeout = Duration.ofSeconds(30);
        private int poolSize = 10;
        private Duration connectTimeout = Duration.ofSeconds(10);
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

        /** How long to wait for a connection, at start and later (default 10 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** Names this node as a lane's holder in {@code autodeploy_lane_locks} (default pid@host). */
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
            if (logLimitBytes < 1 || poolSize < 1 || retention.isNegative() || retention.isZero()
                    || dedupeWindow.isNegative() || dedupeWindow.isZero() || nodeId.isBlank()) {
                throw new AutodeployException("store settings must be positive: log limit " + logLimitBytes + " bytes, pool "
                        + poolSize + ", retention " + retention + ", dedupe window " + dedupeWindow + ", node id \"" + nodeId + "\"");
            }
            if (url.isPresent()) {
                String u = url.get();
                Dialect dialect = Dialect.ofUrl(u);
                HikariDataSource pool = Pools.open(u, dialect, user, password, poolSize, connectTimeout);
                try {
                    return start(new Db(pool, dialect, Urls.mask(u)), Optional.of(pool));
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
            return start(new Db(ds, dialect, source), Optional.empty());
        }

        private JdbcDeploymentStore start(Db db, Optional<HikariDataSource> pool) {
            Migrations.migrate(db.dataSource(), db.source());
            return new JdbcDeploymentStore(this, db, pool);
        }
    }
}
