package io.github.autodeploy.servlet;

import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.core.engine.Receipt;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.InvalidValueException;
import io.github.autodeploy.github.WebhookParseException;
import io.github.autodeploy.github.WebhookParser;
import io.github.autodeploy.github.WebhookVerifier;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GitHub webhook endpoint: POST only; reads the body up to a limit (default 5 MiB) without
 * buffering more, verifies the signature, parses the event, hands it to the robot and answers at once
 * with short JSON: 202 accepted; 200 for a ping, an ignored event or a duplicate; 400, 401, 405, 413,
 * 415 for what a client got wrong; 503 with {@code Retry-After} when the queue is full. Never a stack
 * trace. Mount it by code with {@link #WebhookServlet(Autodeploy, WebhookVerifier, WebhookParser,
 * long)}, or by {@code web.xml} with the no-argument constructor and an {@link Endpoint} stored in the
 * servlet context under {@link #CONTEXT_ATTRIBUTE}. Thread-safe.
 */
public final class WebhookServlet extends HttpServlet {
    /** The servlet-context attribute a {@code web.xml} deployment stores the {@link Endpoint} under. */
    public static final String CONTEXT_ATTRIBUTE = "io.github.autodeploy.servlet.Endpoint";
    public static final long DEFAULT_MAX_BODY = 5L * 1024 * 1024;
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookServlet.class);
    private transient Endpoint endpoint;

    /** What the servlet needs: the robot, the verifier and parser for its deliveries, and the body limit. */
    public record Endpoint(Autodeploy robot, WebhookVerifier verifier, WebhookParser parser, long maxBodyBytes) {
    }

    /** For {@code web.xml}: the endpoint is taken from the servlet context in {@link #init()}. */
    public WebhookServlet() {
    }

    public WebhookServlet(Autodeploy robot, WebhookVerifier verifier, WebhookParser parser) {
        this(robot, verifier, parser, DEFAULT_MAX_BODY);
    }

    public WebhookServlet(Autodeploy robot, WebhookVerifier verifier, WebhookParser parser, long maxBodyBytes) {
        this.endpoint = new Endpoint(robot, verifier, parser, maxBodyBytes);
    }

    @Override
    public void init() throws ServletException {
        if (endpoint == null) {
            Object e = getServletContext().getAttribute(CONTEXT_ATTRIBUTE);
            if (!(e instanceof Endpoint)) {
                throw new ServletException("WebhookServlet needs a WebhookServlet.Endpoint in the servlet context attribute "
                        + CONTEXT_ATTRIBUTE + "; set it from a ServletContextListener, or construct the servlet in code");
            }
            endpoint = (Endpoint) e;
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            if (!"POST".equals(request.getMethod())) {
                response.setHeader("Allow", "POST");
                Answers.write(response, 405, "method_not_allowed", "GitHub webhooks are POSTed; this endpoint takes nothing else");
                return;
            }
            post(request, response);
        } catch (IOException e) {
            // The client went away or sent a broken body: nothing useful can be answered.
            LOG.debug("webhook request could not be read: {}", e.toString());
            if (!response.isCommitted()) {
                Answers.write(response, 400, "bad_request", "the request body could not be read");
            }
        } catch (RuntimeException e) {
            LOG.error("webhook delivery failed inside the robot", e);
            if (!response.isCommitted()) {
                Answers.write(response, 500, "error", "the robot failed to take the delivery; GitHub can redeliver it");
            }
        }
    }

    private void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long max = endpoint.maxBodyBytes();
        if (request.getContentLengthLong() > max) {
            Answers.write(response, 413, "too_large", "the body is larger than " + max + " bytes");
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), max);
        if (body == null) {
            Answers.write(response, 413, "too_large", "the body is larger than " + max + " bytes");
            return;
        }
        if (!endpoint.verifier().verify(body, Optional.ofNullable(request.getHeader("X-Hub-Signature-256")),
                Optional.ofNullable(request.getHeader("X-Hub-Signature")))) {
            Answers.write(response, 401, "bad_signature",
                    "missing or wrong X-Hub-Signature-256; set the webhook's secret to the robot's github.webhook_secret");
            return;
        }
        String event = request.getHeader("X-GitHub-Event");
        if (event == null || event.isBlank()) {
            Answers.write(response, 400, "bad_request", "the X-GitHub-Event header is missing");
            return;
        }
        DeliveryId delivery;
        try {
            delivery = DeliveryId.of(Optional.ofNullable(request.getHeader("X-GitHub-Delivery")).orElse(""));
        } catch (InvalidValueException e) {
            Answers.write(response, 400, "bad_request", "the X-GitHub-Delivery header is missing or not a delivery id");
            return;
        }
        WebhookEvent parsed;
        try {
            parsed = endpoint.parser().parse(event, request.getContentType(), body);
        } catch (WebhookParseException e) {
            boolean media = e.kind() == WebhookParseException.Kind.UNSUPPORTED_CONTENT_TYPE;
            Answers.write(response, media ? 415 : 400, media ? "unsupported_media_type" : "bad_request", e.getMessage());
            return;
        }
        Receipt receipt = endpoint.robot().handle(delivery, parsed);
        switch (receipt.kind()) {
            case ACCEPTED -> Answers.write(response, 202, "accepted", receipt.reason());
            case OVERLOADED -> {
                response.setHeader("Retry-After", "30");
                Answers.write(response, 503, "overloaded", receipt.reason());
            }
            default -> Answers.write(response, 200, receipt.kind().name().toLowerCase(java.util.Locale.ROOT), receipt.reason());
        }
    }

    /**
     * The body, or null when it is longer than {@code max}; never holds more than {@code max + 1} bytes.
     * A limit past what one array can hold reads up to that size.
     */
    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        int limit = (int) Math.min(max, Integer.MAX_VALUE - 9);
        byte[] body = in.readNBytes(limit + 1);
        return body.length > limit ? null : body;
    }
}
