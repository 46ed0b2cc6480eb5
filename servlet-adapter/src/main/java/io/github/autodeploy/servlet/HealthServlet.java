package io.github.autodeploy.servlet;

import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.core.engine.Health;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

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
            write(response, 405, "{\"error\":\"method_not_allowed\"}");
            return;
        }
        String path = request.getRequestURI();
        if (path.endsWith("/readyz")) {
            Health h = robot.health();
            // Written by hand: fixed keys, numbers and words only, and the first probe need not wait for a JSON mapper.
            StringBuilder body = new StringBuilder(128).append("{\"ready\":").append(h.ready())
                    .append(",\"store\":\"").append(h.storeReachable() ? "reachable" : "unreachable")
                    .append("\",\"recovery\":\"").append(h.recovered() ? "done" : "running")
                    .append("\",\"draining\":").append(h.draining())
                    .append(",\"queued\":").append(h.queued());
            h.githubRateLimitRemaining().ifPresent(r -> body.append(",\"github_rate_limit_remaining\":").append(r));
            write(response, h.ready() ? 200 : 503, body.append('}').toString());
        } else {
            write(response, 200, "{\"status\":\"up\"}");
        }
    }

    private static void write(HttpServletResponse response, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
