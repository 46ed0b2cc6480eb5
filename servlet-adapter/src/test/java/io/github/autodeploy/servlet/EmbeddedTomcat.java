package io.github.autodeploy.servlet;

import jakarta.servlet.http.HttpServlet;
import java.io.File;
import java.nio.file.Files;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/** A real Tomcat 11 on a free port of 127.0.0.1, serving the given servlets by path. */
final class EmbeddedTomcat implements AutoCloseable {
    private final Tomcat tomcat = new Tomcat();
    final String base;

    EmbeddedTomcat(Map<String, HttpServlet> servlets) throws Exception {
        this(servlets, 200);
    }

    /** With at most {@code maxThreads} request threads (Tomcat's default is 200). */
    EmbeddedTomcat(Map<String, HttpServlet> servlets, int maxThreads) throws Exception {
        File dir = Files.createTempDirectory("autodeploy-tomcat").toFile();
        tomcat.setBaseDir(dir.getAbsolutePath());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxThreads", Integer.toString(maxThreads));
        tomcat.setConnector(connector);
        Context ctx = tomcat.addContext("", dir.getAbsolutePath());
        int i = 0;
        for (Map.Entry<String, HttpServlet> e : servlets.entrySet()) {
            String name = "s" + i++;
            Tomcat.addServlet(ctx, name, e.getValue()).setAsyncSupported(true);
            ctx.addServletMappingDecoded(e.getKey(), name);
        }
        tomcat.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @Override
    public void close() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }
}
