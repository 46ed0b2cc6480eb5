package io.github.autodeploy.assembly;

import io.github.autodeploy.config.LoadedConfig;
import io.github.autodeploy.core.config.RobotConfig;
import io.github.autodeploy.core.config.StoreUrls;
import io.github.autodeploy.core.local.InMemoryDeploymentStore;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.store.jdbc.JdbcDeploymentStore;
import io.github.autodeploy.store.jdbc.PruneResult;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store of an assembled robot, opened from {@code store.url}: the in-memory store, or a JDBC
 * store (SQLite or PostgreSQL) pruned at start and then hourly on a daemon thread. {@link #close()}
 * stops the pruning and closes the store; the robot must be closed first. Thread-safe.
 */
public final class RobotStore implements AutoCloseable {
    static final Duration PRUNE_EVERY = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(RobotStore.class);

    private final DeploymentStore store;
    private final String description;
    private final Optional<JdbcDeploymentStore> jdbc;
    private final Optional<ScheduledExecutorService> pruner;
    private final Secrets secrets;

    private RobotStore(DeploymentStore store, String description, Optional<JdbcDeploymentStore> jdbc, Secrets secrets) {
        this.store = store;
        this.description = description;
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.pruner = jdbc.map(j -> Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "autodeploy-store-prune");
            t.setDaemon(true);
            return t;
        }));
        pruner.ifPresent(p -> p.scheduleWithFixedDelay(this::prune, 0, PRUNE_EVERY.toMillis(), TimeUnit.MILLISECONDS));
    }

    /**
     * Opens the store {@code config} names (see {@link LoadedConfig#storeUrl()}): connects, creates or
     * migrates the schema, and starts pruning.
     *
     * @param secrets what never appears in a message, the store's passwords among them (a message names
     *                the URL masked, and is redacted with these for what a driver may say)
     * @throws StoreUnavailableException when the database cannot be opened, naming {@code store.url}
     */
    /** Connections beyond one per worker: webhooks, pages, log batches, status marks, lease upkeep. */
    static final int SPARE_CONNECTIONS = 8;

    static RobotStore open(LoadedConfig config, Secrets secrets) {
        RobotConfig c = config.robot();
        String url = config.storeUrl();
        if (url.equals(StoreUrls.MEMORY)) {
            return new RobotStore(InMemoryDeploymentStore.create(c.engine().historyLimit(), c.engine().logLimitBytes()),
                    StoreUrls.MEMORY, Optional.empty(), secrets);
        }
        String shown = StoreUrls.mask(url);
        RobotConfig.Store s = c.store();
        JdbcDeploymentStore.Builder b = JdbcDeploymentStore.builder().url(url).logLimitBytes(c.engine().logLimitBytes())
                .retention(s.retention()).dedupeWindow(s.dedupeWindow()).leaseTimeout(s.leaseTimeout()).logBudgetBytes(s.logBudgetBytes())
                .syncEveryAccept(s.syncEveryAccept())
                // On PostgreSQL each running lane holds a connection for its lock; the rest serve
                // webhooks, pages, logs and upkeep.
                .poolSize(c.engine().workers() + SPARE_CONNECTIONS);
        s.user().ifPresent(b::user);
        s.password().ifPresent(b::password);
        JdbcDeploymentStore jdbc;
        try {
            jdbc = b.build();
        } catch (RuntimeException e) {
            String reason = reason(e);
            String line = reason.contains("store.url") ? reason : "cannot open the store of store.url (" + shown + "): " + reason;
            // Not chained: a driver's message deep in the causes could hold the URL as written.
            throw new StoreUnavailableException(oneLine(secrets.redact(line)));
        }
        return new RobotStore(jdbc, shown, Optional.of(jdbc), secrets);
    }

    /**
     * Opens the durable store in a host application's {@code dataSource} with {@code config}'s store
     * settings ({@code store.url}, user and password are not read): creates or migrates the schema and
     * starts pruning. {@link #close()} leaves the host's pool open.
     *
     * @throws StoreUnavailableException when the database cannot be reached through it or its schema is newer
     */
    static RobotStore open(DataSource dataSource, LoadedConfig config, Secrets secrets) {
        RobotConfig c = config.robot();
        RobotConfig.Store s = c.store();
        String shown = "the host application's DataSource";
        JdbcDeploymentStore jdbc;
        try {
            jdbc = JdbcDeploymentStore.builder().dataSource(dataSource).logLimitBytes(c.engine().logLimitBytes())
                    .retention(s.retention()).dedupeWindow(s.dedupeWindow()).leaseTimeout(s.leaseTimeout())
                    .logBudgetBytes(s.logBudgetBytes()).build();
        } catch (RuntimeException e) {
            throw new StoreUnavailableException(oneLine(secrets.redact("cannot open the store in " + shown + ": " + reason(e))));
        }
        return new RobotStore(jdbc, shown, Optional.of(jdbc), secrets);
    }

    /** The store the robot uses. */
    public DeploymentStore store() {
        return store;
    }

    /** {@code memory}, or the store's URL with any password masked: for messages and the summary. */
    public String describe() {
        return description;
    }

    private void prune() {
        try {
            PruneResult removed = jdbc.orElseThrow().prune();
            if (removed.deployments() > 0 || removed.deliveries() > 0 || removed.waiting() > 0 || removed.logsDropped() > 0
                    || removed.gatedRuns() > 0) {
                LOG.info("pruned the store: {} deployment(s) older than store.retention, {} delivery id(s) older than "
                        + "store.dedupe_window, {} merge(s) that waited for CI long ago, {} old log(s) beyond "
                        + "store.log_budget_bytes, {} gated Actions run(s) decided before store.retention",
                        removed.deployments(), removed.deliveries(), removed.waiting(), removed.logsDropped(),
                        removed.gatedRuns());
            }
        } catch (RuntimeException e) {
            LOG.warn("pruning the store at {} failed, trying again in {}: {}", description, PRUNE_EVERY,
                    secrets.redact(String.valueOf(e.getMessage())));
        }
    }

    /** Stops pruning and closes the store (its connection pool). */
    @Override
    public void close() {
        pruner.ifPresent(ScheduledExecutorService::shutdownNow);
        jdbc.ifPresent(JdbcDeploymentStore::close);
    }

    /** The store's own message (it names the URL with the password masked), or the deepest cause's. */
    private static String reason(RuntimeException e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
