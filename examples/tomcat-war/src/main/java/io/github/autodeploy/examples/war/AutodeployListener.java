package io.github.autodeploy.examples.war;

import io.github.autodeploy.assembly.RobotAssembly;
import io.github.autodeploy.assembly.StoreUnavailableException;
import io.github.autodeploy.config.LoadedConfig;
import io.github.autodeploy.config.ServerSettings;
import io.github.autodeploy.servlet.DeploymentPagesServlet;
import io.github.autodeploy.servlet.HealthServlet;
import io.github.autodeploy.servlet.PageAccess;
import io.github.autodeploy.servlet.WebhookServlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.nio.file.Path;

/**
 * Wires the robot when Tomcat starts the application and stops it when Tomcat stops it. The
 * configuration file is named by the environment variable {@code AUTODEPLOY_CONFIG} or, failing that,
 * the context parameter {@code autodeploy.config}. The servlets themselves are mapped in {@code
 * web.xml} and find their settings in the context attributes set here.
 */
public final class AutodeployListener implements ServletContextListener {
    private RobotAssembly.Assembled wired;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext ctx = event.getServletContext();
        String path = System.getenv("AUTODEPLOY_CONFIG");
        if (path == null || path.isBlank()) {
            path = ctx.getInitParameter("autodeploy.config");
        }
        if (path == null || path.isBlank()) {
            throw new IllegalStateException("set AUTODEPLOY_CONFIG, or the context parameter autodeploy.config, to the path of autodeploy.yml");
        }
        LoadedConfig config = RobotAssembly.load(Path.of(path), System.getenv());
        try {
            wired = RobotAssembly.assemble(config);
        } catch (StoreUnavailableException e) {
            // One line naming store.url (password masked) in the log; the application does not start.
            ctx.log("Autodeploy cannot start: " + e.getMessage());
            throw new IllegalStateException(e.getMessage());
        }
        wired.robot().start();
        ServerSettings s = config.server();
        ctx.setAttribute(WebhookServlet.CONTEXT_ATTRIBUTE,
                new WebhookServlet.Endpoint(wired.robot(), wired.verifier(), wired.parser(), s.maxBodyBytes()));
        PageAccess access = s.pagesOpen() ? PageAccess.open() : PageAccess.users(s.credentials());
        ctx.setAttribute(HealthServlet.CONTEXT_ATTRIBUTE, wired.robot());
        ctx.setAttribute(DeploymentPagesServlet.CONTEXT_ATTRIBUTE, new DeploymentPagesServlet.Settings(wired.robot(), access,
                wired.secrets(), RobotAssembly.webUrl(config.robot().githubApiUrl())));
        ctx.log("Autodeploy wired from " + path + ": " + config.robot().rules().size() + " rule(s)");
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (wired != null) {
            wired.close();
        }
    }
}
