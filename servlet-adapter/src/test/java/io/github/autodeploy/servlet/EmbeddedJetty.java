package io.github.autodeploy.servlet;

import jakarta.servlet.http.HttpServlet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty 12 (its ee10 environment: Servlet 6.0) on a free port of 127.0.0.1, serving the given
 * servlets by path, the way {@link EmbeddedTomcat} does with Tomcat. Not thread-safe; one per test.
 */
final class EmbeddedJetty implements AutoCloseable {
    private final Server server = new Server();
    final String base;

    EmbeddedJetty(Map<String, HttpServlet> servlets) throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler();
        ctx.setContextPath("/");
        for (Map.Entry<String, HttpServlet> e : servlets.entrySet()) {
            ServletHolder holder = new ServletHolder(e.getValue());
            holder.setAsyncSupported(true);
            ctx.addServlet(holder, e.getKey());
        }
        server.setHandler(ctx);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
