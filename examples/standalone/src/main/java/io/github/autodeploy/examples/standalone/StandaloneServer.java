package io.github.autodeploy.examples.standalone;

import io.github.autodeploy.config.LoadedConfig;
import io.github.autodeploy.assembly.RobotAssembly;
import io.github.autodeploy.config.ServerSettings;
import io.github.autodeploy.servlet.DeploymentPagesServlet;
import io.github.autodeploy.servlet.PageAccess;
import io.github.autodeploy.servlet.WebhookServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.catalina.startup.Tomcat;

/**
 * A wired robot served by an embedded Tomcat 11: the webhook at {@code /hooks/github}, the pages under
 * {@code /deployments}. {@link #close()} stops Tomcat, then drains the robot. Thread-safe once started.
 */
public final class StandaloneServer implements AutoCloseable {
    private final Tomcat tomcat;
    private final Connector connector;
    private RobotAssembly.Assembled wired;

    private final String host;

    /** Binds the port (so that port 0 is settled), without serving yet. */
    private StandaloneServer(String host, int port) throws IOException, LifecycleException {
        this.host = host;
        File base = Files.createTempDirectory("autodeploy-tomcat").toFile();
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.getAbsolutePath());
        connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", host);
        connector.setXpoweredBy(false);
        tomcat.setConnector(connector);
        // Tomcat's own error pages (a header too large, an unknown path) show neither a stack trace nor its version.
        ErrorReportValve quiet = new ErrorReportValve();
        quiet.setShowReport(false);
        quiet.setShowServerInfo(false);
        tomcat.getHost().getPipeline().addValve(quiet);
        tomcat.init();
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
        add(ctx, "root", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                resp.setStatus(302);
                resp.setHeader("Location", req.getContextPath() + "/deployments");
            }
        }, "");
        wired.robot().start();
        tomcat.start();
    }

    /** Starts serving an already wired robot; port 0 takes any free port. Its links are what its configuration says. */
    public static StandaloneServer start(RobotAssembly.Assembled wired, String host, int port) throws IOException, LifecycleException {
        StandaloneServer server = new StandaloneServer(host, port);
        server.serve(wired);
        return server;
    }

    /**
     * Wires and starts the robot of {@code config} on {@code host} and {@code port} (0 takes any free port).
     * Unless the file sets {@code public_url}, the links it posts and prints start with the address it
     * really listens on, port included.
     */
    public static StandaloneServer start(LoadedConfig config, String host, int port) throws IOException, LifecycleException {
        StandaloneServer server = new StandaloneServer(host, port);
        try {
            server.serve(RobotAssembly.assemble(config.reachedAt(server.baseUrl())));
        } catch (RuntimeException | LifecycleException e) {
            server.tomcat.destroy();
            throw e;
        }
        return server;
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

    private static void add(Context ctx, String name, HttpServlet servlet, String mapping) {
        // Async lets the webhook read slow bodies without holding a request thread.
        Tomcat.addServlet(ctx, name, servlet).setAsyncSupported(true);
        ctx.addServletMappingDecoded(mapping, name);
    }

    @Override
    public void close() throws LifecycleException {
        try {
            tomcat.stop();
            tomcat.destroy();
        } finally {
            wired.close();
        }
    }
}
