package io.github.autodeploy.benchmarks.load;

import io.github.autodeploy.assembly.RobotAssembly;
import io.github.autodeploy.config.LoadedConfig;
import io.github.autodeploy.servlet.WebhookServlet;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import io.github.autodeploy.core.config.RobotConfig;
import io.github.autodeploy.core.local.InMemoryDeploymentStore;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.store.jdbc.JdbcDeploymentStore;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * The real robot as the standalone server runs it: a configuration file loaded and assembled by
 * {@link RobotAssembly} (GitHub client, local runner, the store of {@code store.url}), its
 * {@link WebhookServlet} in an embedded Tomcat 11 on 127.0.0.1. One rule for {@link Webhooks#REPO}:
 * production, no CI wait, supersede (the default), one command {@code true}. A filter in front of the
 * servlet records how long Tomcat took from the request to the end of the answer, without the client's
 * and the network's share. Thread-safe once started.
 */
public final class LoadedRobot implements AutoCloseable {
    /** The webhook secret of the configuration. */
    public static final String SECRET = "bench-webhook-secret";
    private final Tomcat tomcat;
    private final RobotAssembly.Assembled wired;
    private final URI hook;
    private final Recorder served;
    private final Optional<DeploymentStore> profiled;

    private LoadedRobot(Tomcat tomcat, RobotAssembly.Assembled wired, URI hook, Recorder served,
                        Optional<DeploymentStore> profiled) {
        this.tomcat = tomcat;
        this.wired = wired;
        this.hook = hook;
        this.served = served;
        this.profiled = profiled;
    }

    /**
     * Starts a robot in {@code folder} (its config file, state and command folder go there) keeping its
     * deployments in {@code storeUrl} ({@code memory}, {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql:...})
     * and posting statuses to {@code githubApi}.
     */
    public static LoadedRobot start(Path folder, String storeUrl, String githubApi, int queueCapacity)
            throws IOException, LifecycleException {
        return start(folder, storeUrl, githubApi, queueCapacity, Optional.empty());
    }

    /**
     * As {@link #start(Path, String, String, int)}, the store's calls counted in {@code profile} when given:
     * the robot then uses a second store opened on the same URL as the assembly opens it, wrapped.
     */
    public static LoadedRobot start(Path folder, String storeUrl, String githubApi, int queueCapacity,
                                    Optional<StoreProfile> profile) throws IOException, LifecycleException {
        Path config = folder.resolve("autodeploy.yml");
        Files.writeString(config, """
                github:
                  api_url: %s
                  token: ghp_benchmark_token_not_real
                  webhook_secret: %s
                pages:
                  open: true
                store:
                  url: "%s"
                engine:
                  queue_capacity: %d
                repos:
                  %s:
                    folder: "%s"
                    required_contexts: []
                    commands:
                      - ["true"]
                """.formatted(githubApi, SECRET, storeUrl.replace("\"", "\\\""), queueCapacity, Webhooks.REPO,
                folder.toAbsolutePath().toString().replace("\"", "\\\"")));
        LoadedConfig loaded = RobotAssembly.load(config, Map.of());

        File base = Files.createDirectories(folder.resolve("tomcat")).toFile();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.getAbsolutePath());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        tomcat.init();
        String url = "http://127.0.0.1:" + connector.getLocalPort();
        Optional<DeploymentStore> profiled = profile.map(p -> open(loaded, storeUrl));
        RobotAssembly.Assembled wired = RobotAssembly.assemble(loaded.reachedAt(url),
                b -> profiled.ifPresent(store -> b.store(profile.orElseThrow().wrap(store))));
        Recorder served = new Recorder(3);
        try {
            Context ctx = tomcat.addContext("", base.getAbsolutePath());
            WebhookServlet servlet = new WebhookServlet(wired.robot(), wired.verifier(), wired.parser(),
                    loaded.server().maxBodyBytes());
            Tomcat.addServlet(ctx, "webhook", servlet).setAsyncSupported(true);
            ctx.addServletMappingDecoded("/hooks/github", "webhook");
            FilterDef timing = new FilterDef();
            timing.setFilterName("timing");
            timing.setFilter(new Timing(served));
            timing.setAsyncSupported("true");
            ctx.addFilterDef(timing);
            FilterMap map = new FilterMap();
            map.setFilterName("timing");
            map.addURLPattern("/hooks/github");
            ctx.addFilterMap(map);
            wired.robot().start();
            tomcat.start();
        } catch (RuntimeException | LifecycleException e) {
            tomcat.destroy();
            wired.close();
            throw e;
        }
        return new LoadedRobot(tomcat, wired, URI.create(url + "/hooks/github"), served, profiled);
    }

    /** The store {@code store.url} names, opened with the settings the assembly's {@code RobotStore} uses. */
    private static DeploymentStore open(LoadedConfig loaded, String storeUrl) {
        RobotConfig c = loaded.robot();
        if (storeUrl.equals("memory")) {
            return InMemoryDeploymentStore.create(c.engine().historyLimit(), c.engine().logLimitBytes());
        }
        return JdbcDeploymentStore.builder().url(storeUrl).logLimitBytes(c.engine().logLimitBytes())
                .retention(c.store().retention()).dedupeWindow(c.store().dedupeWindow())
                .leaseTimeout(c.store().leaseTimeout()).build();
    }

    /** Microseconds inside Tomcat per answered webhook since the last call (the first: since the start). */
    public Histogram servedSinceLastCall() {
        return served.getIntervalHistogram();
    }

    /** The webhook endpoint. */
    public URI hook() {
        return hook;
    }

    /** {@code memory}, or the store's URL with any password masked. */
    public String store() {
        return wired.store().describe();
    }

    /** Stops Tomcat, then the robot (draining its lane) and its store. */
    @Override
    public void close() throws LifecycleException {
        try {
            tomcat.stop();
            tomcat.destroy();
        } finally {
            wired.close();
            profiled.filter(JdbcDeploymentStore.class::isInstance).map(JdbcDeploymentStore.class::cast)
                    .ifPresent(JdbcDeploymentStore::close);
        }
    }

    /**
     * Records the time from a request entering the filter to the end of its answer: its async completion
     * (the listener is added as the servlet starts async, so a completion on another thread is never missed)
     * or, without async, the filter's return.
     */
    private record Timing(Recorder served) implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            long start = System.nanoTime();
            boolean[] async = {false};
            HttpServletRequest timed = new HttpServletRequestWrapper((HttpServletRequest) request) {
                @Override
                public AsyncContext startAsync() {
                    AsyncContext context = super.startAsync();
                    async[0] = true;
                    context.addListener(new AsyncListener() {
                        @Override
                        public void onComplete(AsyncEvent event) {
                            served.recordValue((System.nanoTime() - start) / 1000);
                        }

                        @Override
                        public void onTimeout(AsyncEvent event) {
                        }

                        @Override
                        public void onError(AsyncEvent event) {
                        }

                        @Override
                        public void onStartAsync(AsyncEvent event) {
                        }
                    });
                    return context;
                }
            };
            chain.doFilter(timed, response);
            if (!async[0]) {
                served.recordValue((System.nanoTime() - start) / 1000);
            }
        }
    }
}
