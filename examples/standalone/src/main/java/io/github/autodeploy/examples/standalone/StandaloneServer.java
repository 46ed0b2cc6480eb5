package io.github.autodeploy.examples.standalone;

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
import org.apache.catalina.startup.Tomcat;

/**
 * A wired robot served by an embedded Tomcat 11: the webhook at {@code /hooks/github}, the pages under
 * {@code /deployments}. {@link #close()} stops Tomcat, then drains the robot.
 */
public final class StandaloneServer implements AutoCloseable {
    private final Tomcat tomcat;
    private final Connector connector;
    private final RobotAssembly.Assembled wired;

    private StandaloneServer(RobotAssembly.Assembled wired, String host, int port) throws IOException, LifecycleException {
        this.wired = wired;
        File base = Files.createTempDirectory("autodeploy-tomcat").toFile();
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.getAbsolutePath());
        connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", host);
        tomcat.setConnector(connector);
        Context ctx = tomcat.addContext("", base.getAbsolutePath());
        ServerSettings s = wired.config().server();
        add(ctx, "webhook", new WebhookServlet(wired.robot(), wired.verifier(), wired.parser(), s.maxBodyBytes()), "/hooks/github");
        PageAccess access = s.pagesOpen() ? PageAccess.open()
                : PageAccess.credentials(s.pagesToken(), s.pagesUser(), s.pagesPassword());
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
        tomcat.start();
    }

    /** Starts serving; port 0 takes any free port. */
    public static StandaloneServer start(RobotAssembly.Assembled wired, String host, int port) throws IOException, LifecycleException {
        wired.robot().start();
        return new StandaloneServer(wired, host, port);
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
