package io.github.autodeploy.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.core.engine.Health;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Liveness and readiness for probes, unauthenticated since they tell no secret: a path ending in
 * {@code /healthz} answers 200 {@code {"status":"up"}} while the process serves; one ending in
 * {@code /readyz} answers 200 when {@link Autodeploy#health()} is ready and 503 when not, with short
 * JSON ({@code {"ready":false,"store":"unreachable","recovery":"done","draining":false,"queued":0}},
 * plus {@code github_rate_limit_remaining} once known). Map it to both paths, e.g. {@code /healthz}
 * and {@code /readyz}. GET and HEAD only. Thread-safe.
 */
public final class HealthServlet extends HttpServlet {
    /** The servlet-context attribute a {@code web.xml} deployment stores the {@link Autodeploy} under. */
    public static final String CONTEXT_ATTRIBUTE = "io.github.autodeploy.servlet.HealthServlet.robot";
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private transient Autodeploy robot;

    /** For {@code web.xml}: the robot is taken from the servlet context attribute {@link #CONTEXT_ATTRIBUTE} in {@link #init()}. */
    public HealthServlet() {
    }

    public HealthServlet(Autodeploy robot) {
        this.robot = java.util.Objects.requireNonNull(robot, "robot");
    }

    @Override
    public void init() throws ServletException {
        if (robot == null) {
            Object r = getServletContext().getAttribute(CONTEXT_ATTRIBUTE);
            if (!(r instanceof Autodeploy)) {
                throw new ServletException("HealthServlet needs the Autodeploy robot in the servlet context attribute "
                        + CONTEXT_ATTRIBUTE + "; set it from a ServletContextListener, or construct the servlet in code");
            }
            robot = (Autodeploy) r;
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            response.setHeader("Allow", "GET, HEAD");
            write(response, 405, JSON.createObjectNode().put("error", "method_not_allowed"));
            return;
        }
        String path = request.getRequestURI();
        if (path.endsWith("/readyz")) {
            Health h = robot.health();
            ObjectNode body = JSON.createObjectNode();
            body.put("ready", h.ready());
            body.put("store", h.storeReachable() ? "reachable" : "unreachable");
            body.put("recovery", h.recovered() ? "done" : "running");
            body.put("draining", h.draining());
            body.put("queued", h.queued());
            h.githubRateLimitRemaining().ifPresent(r -> body.put("github_rate_limit_remaining", r));
            write(response, h.ready() ? 200 : 503, body);
        } else {
            write(response, 200, JSON.createObjectNode().put("status", "up"));
        }
    }

    private static void write(HttpServletResponse response, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
