package io.github.autodeploy.examples.standalone;

import io.github.autodeploy.config.LoadedConfig;
import io.github.autodeploy.assembly.RobotAssembly;
import io.github.autodeploy.assembly.RobotStore;
import io.github.autodeploy.config.ServerSettings;
import io.github.autodeploy.core.config.RobotConfig;
import io.github.autodeploy.core.port.RobotMetrics;
import io.github.autodeploy.github.WebhookParser;
import io.github.autodeploy.micrometer.MicrometerRobotMetrics;
import io.github.autodeploy.servlet.DeploymentPagesServlet;
import io.github.autodeploy.servlet.HealthServlet;
import io.github.autodeploy.servlet.MetricsServlet;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.ServletException;
import io.github.autodeploy.servlet.PageAccess;
import io.github.autodeploy.servlet.WebhookServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.modeler.Registry;

/**
 * A wired robot served by an embedded Tomcat 11: the webhook at {@code /hooks/github}, the pages under
 * {@code /deployments}, liveness and readiness at {@code /healthz} and {@code /readyz} (no credential),
 * and, when a metrics port is given, Prometheus text at {@code /metrics} on that port only (behind the
 * pages credential). {@link #close()} drains the robot, then stops Tomcat. Thread-safe once started.
 */
public final class StandaloneServer implements AutoCloseable {
    private final Tomcat tomcat;
    private final Connector connector;
    private final Optional<Connector> metricsConnector;
    private final Optional<PrometheusMeterRegistry> registry;
    /** Tomcat's utility work: the connectors' async timeouts (every second) and their monitors; ends at close. */
    private final java.util.concurrent.ScheduledThreadPoolExecutor utility;
    private RobotAssembly.Assembled wired;

    private final String host;

    /** Binds the port (so that port 0 is settled), without serving yet. */
    private StandaloneServer(String host, int port, OptionalInt metricsPort) throws IOException, LifecycleException {
        this.host = host;
        File base = Files.createTempDirectory("autodeploy-tomcat").toFile();
        // No JMX beans for Tomcat's parts: nothing here reads them, and registering them is a good part of the start.
        Registry.disableRegistry();
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.getAbsolutePath());
        // Tomcat's utility pool keeps at least two threads for the server's life. Its periodic work here is the
        // connectors' (async timeouts): that runs on one thread of this server's, and the engine's background
        // processing (sessions, reloading, resource caches: none of which this server has) and the server's periodic
        // lifecycle event (no listener) are off, so Tomcat's pool is never asked for a thread.
        utility = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                new org.apache.tomcat.util.threads.TaskThreadFactory("Catalina-utility-", true, Thread.MIN_PRIORITY));
        utility.setRemoveOnCancelPolicy(true);
        utility.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        ((org.apache.catalina.core.StandardServer) tomcat.getServer()).setPeriodicEventDelay(0);
        tomcat.getEngine().setBackgroundProcessorDelay(-1);
        connector = connector(utility);
        // Idle, a robot needs few threads: request threads are made as requests come (up to Tomcat's maximum of
        // 200) and end after a minute without work, rather than ten kept waiting.
        connector.setProperty("minSpareThreads", "0");
        connector.setThrowOnFailure(true); // a port in use stops the start, rather than a server that serves nothing
        connector.setPort(port);
        connector.setProperty("address", host);
        connector.setXpoweredBy(false);
        tomcat.setConnector(connector);
        if (metricsPort.isPresent()) {
            Connector m = connector(utility);
            m.setThrowOnFailure(true);
            m.setPort(metricsPort.getAsInt());
            m.setProperty("minSpareThreads", "0");
            m.setProperty("address", host);
            m.setXpoweredBy(false);
            tomcat.getService().addConnector(m);
            metricsConnector = Optional.of(m);
            registry = Optional.of(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        } else {
            metricsConnector = Optional.empty();
            registry = Optional.empty();
        }
        // Tomcat's own error pages (a header too large, an unknown path) show neither a stack trace nor its version.
        ErrorReportValve quiet = new ErrorReportValve();
        quiet.setShowReport(false);
        quiet.setShowServerInfo(false);
        tomcat.getHost().getPipeline().addValve(quiet);
        try {
            tomcat.init();
        } catch (LifecycleException | RuntimeException e) {
            utility.shutdownNow();
            throw e;
        }
    }

    /** An HTTP/1.1 NIO connector whose utility work runs on {@code utility} rather than Tomcat's own pool. */
    private static Connector connector(java.util.concurrent.ScheduledThreadPoolExecutor utility) {
        java.util.concurrent.ScheduledExecutorService wrapped = new org.apache.tomcat.util.threads.ScheduledThreadPoolExecutor(utility);
        return new Connector(new org.apache.coyote.http11.Http11NioProtocol() {
            @Override
            public void setUtilityExecutor(java.util.concurrent.ScheduledExecutorService ignored) {
                // the connector hands over the server's pool at each start; this server's own thread serves instead
                super.setUtilityExecutor(wrapped);
            }
        });
    }

    private void serve(RobotAssembly.Assembled wired) throws LifecycleException {
        this.wired = wired;
        File base = new File(tomcat.getServer().getCatalinaBase().getAbsolutePath());
        Context ctx = tomcat.addContext("", base.getAbsolutePath());
        ServerSettings s = wired.config().server();
        add(ctx, "webhook", new WebhookServlet(wired.robot(), wired.verifier(), wired.parser(), s.maxBodyBytes()), "/hooks/github");
        PageAccess access = s.pagesOpen() ? PageAccess.open() : PageAccess.users(s.credentials());
        add(ctx, "pages", new DeploymentPagesServlet(wired.robot(), access, wired.secrets(),
                RobotAssembly.webUrl(wired.config().robot().githubApiUrl())), "/deployments/*");
        HealthServlet health = new HealthServlet(wired.robot());
        add(ctx, "health", health, "/healthz");
        ctx.addServletMappingDecoded("/readyz", "health");
        registry.ifPresent(r -> {
            MetricsServlet metrics = new MetricsServlet(access, "text/plain; version=0.0.4; charset=utf-8", r::scrape);
            int metricsPort = metricsConnector.orElseThrow().getLocalPort();
            add(ctx, "metrics", new HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
                    // Served on the metrics port only, so the webhook's port can face the internet without it.
                    if (req.getLocalPort() != metricsPort) {
                        resp.sendError(404);
                        return;
                    }
                    metrics.service(req, resp);
                }
            }, "/metrics");
        });
        metricsConnector.ifPresent(m -> ctx.getPipeline().addValve(new org.apache.catalina.valves.ValveBase() {
            @Override
            public void invoke(org.apache.catalina.connector.Request req, org.apache.catalina.connector.Response resp)
                    throws IOException, ServletException {
                // The metrics port serves /metrics and nothing else: the webhook and the pages stay on their own port.
                if (req.getLocalPort() == m.getLocalPort() && !"/metrics".equals(req.getRequestURI())) {
                    resp.sendError(404);
                    return;
                }
                getNext().invoke(req, resp);
            }
        }));
        add(ctx, "root", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                resp.setStatus(302);
                resp.setHeader("Location", req.getContextPath() + "/deployments/environments");
            }
        }, "");
        wired.robot().start();
        try {
            tomcat.start();
        } catch (LifecycleException | RuntimeException e) {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (LifecycleException | RuntimeException ignored) {
                // the start failed; what matters is the robot, closed below
            }
            wired.close();
            throw e;
        }
    }

    /** Starts serving an already wired robot; port 0 takes any free port. Its links are what its configuration says. */
    public static StandaloneServer start(RobotAssembly.Assembled wired, String host, int port) throws IOException, LifecycleException {
        StandaloneServer server = new StandaloneServer(host, port, OptionalInt.empty());
        server.serve(wired);
        return server;
    }

    /**
     * Wires and starts the robot of {@code config} on {@code host} and {@code port} (0 takes any free port).
     * Unless the file sets {@code public_url}, the links it posts and prints start with the address it
     * really listens on, port included.
     */
    public static StandaloneServer start(LoadedConfig config, String host, int port) throws IOException, LifecycleException {
        return start(config, host, port, OptionalInt.empty());
    }

    /**
     * As {@link #start(LoadedConfig, String, int)}, and with {@code metricsPort} (0 takes any free
     * port) serves the robot's metrics at {@code /metrics} there, in Prometheus text, to holders of
     * the pages credential.
     */
    public static StandaloneServer start(LoadedConfig config, String host, int port, OptionalInt metricsPort)
            throws IOException, LifecycleException {
        // The store (SQLite's native library, the pool, the schema's migrations) does not depend on the address
        // the server binds: it opens on a thread of its own while Tomcat is set up on this one.
        CompletableFuture<RobotStore> store = new CompletableFuture<>();
        Thread opening = new Thread(() -> {
            try {
                store.complete(RobotAssembly.openStore(config));
            } catch (RuntimeException | Error e) {
                store.completeExceptionally(e);
            }
        }, "autodeploy-store-open");
        opening.setDaemon(true);
        opening.start();
        StandaloneServer server;
        try {
            server = new StandaloneServer(host, port, metricsPort);
        } catch (IOException | LifecycleException | RuntimeException e) {
            store.thenAccept(RobotStore::close);
            throw e;
        }
        try {
            RobotMetrics metrics = server.registry.<RobotMetrics>map(MicrometerRobotMetrics::new).orElse(RobotMetrics.none());
            server.serve(RobotAssembly.assemble(config.reachedAt(server.baseUrl()), opened(store), metrics, b -> { }));
        } catch (RuntimeException | LifecycleException e) {
            try {
                server.tomcat.destroy();
            } finally {
                server.utility.shutdownNow();
            }
            throw e;
        }
        return server;
    }

    /**
     * Sets up, on a thread of its own, what serving needs and reading the configuration does not: Jackson's
     * databind (some four hundred classes; the webhook parser and the GitHub client use it once the robot is
     * assembled), while the caller reads the configuration and binds the port on the other core. It only
     * loads classes: whatever fails here fails again where it is used, and is reported there.
     */
    static void prepareInBackground() {
        Thread t = new Thread(() -> {
            try {
                WebhookParser.create(RobotConfig.DEFAULT_GITHUB_API_URL);
            } catch (RuntimeException | LinkageError e) {
                // reported by the robot's own use of the parser
            }
        }, "autodeploy-prepare");
        t.setDaemon(true);
        t.start();
    }

    /** The store once opened; what opening it threw (a {@code StoreUnavailableException}, say), as it was thrown. */
    private static RobotStore opened(CompletableFuture<RobotStore> store) {
        try {
            return store.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** {@code http://HOST:PORT} as a browser on this machine reaches the server (a wildcard address as {@code localhost}). */
    public String baseUrl() {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
        return "http://" + shown + ":" + port();
    }

    /** The wired robot this server runs. */
    public RobotAssembly.Assembled wired() {
        return wired;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The port {@code /metrics} is served on; empty when metrics are off. */
    public OptionalInt metricsPort() {
        return metricsConnector.map(c -> OptionalInt.of(c.getLocalPort())).orElse(OptionalInt.empty());
    }

    private static void add(Context ctx, String name, HttpServlet servlet, String mapping) {
        // Async lets the webhook read slow bodies without holding a request thread.
        Tomcat.addServlet(ctx, name, servlet).setAsyncSupported(true);
        ctx.addServletMappingDecoded(mapping, name);
    }

    @Override
    public void close() throws LifecycleException {
        try {
            // The robot drains first, while Tomcat still answers: a webhook meanwhile gets 503 with
            // Retry-After (shutting down) and /readyz says draining, rather than a refused connection.
            wired.close();
        } finally {
            try {
                tomcat.stop();
                tomcat.destroy();
            } finally {
                utility.shutdownNow();
            }
        }
    }
}
