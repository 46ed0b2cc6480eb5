package io.github.autodeploy.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Serves a metrics scrape (Prometheus text, say) to holders of the pages credential (bearer or
 * basic, as {@code /deployments/api}); anyone else gets 401. The text comes from {@code scrape} on
 * each GET, so this adapter needs no metrics library. Thread-safe when {@code scrape} is.
 */
public final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient PageAccess access;
    private final String contentType;
    private final transient Supplier<String> scrape;

    /** @param contentType the scrape's media type, e.g. {@code text/plain; version=0.0.4; charset=utf-8} */
    public MetricsServlet(PageAccess access, String contentType, Supplier<String> scrape) {
        this.access = Objects.requireNonNull(access, "access");
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.scrape = Objects.requireNonNull(scrape, "scrape");
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        if (!access.allows(req.getHeader("Authorization"))) {
            resp.setHeader("WWW-Authenticate", access.offersBasic() ? "Basic realm=\"Autodeploy\", charset=\"UTF-8\"" : "Bearer");
            byte[] body = "{\"error\":\"unauthorized\",\"reason\":\"metrics need the robot's pages credential\"}"
                    .getBytes(StandardCharsets.UTF_8);
            resp.setStatus(401);
            resp.setContentType("application/json");
            resp.setContentLength(body.length);
            resp.getOutputStream().write(body);
            return;
        }
        byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(200);
        resp.setContentType(contentType);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
