package io.github.autodeploy.servlet;

import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.core.engine.Receipt;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.InvalidValueException;
import io.github.autodeploy.github.WebhookParseException;
import io.github.autodeploy.github.WebhookParser;
import io.github.autodeploy.github.WebhookVerifier;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GitHub webhook endpoint: POST only; reads the body up to a limit (default 5 MiB) without
 * buffering more, and without holding a container thread while the body arrives when the container
 * allows async processing (mount it with async supported, as {@code <async-supported>true</async-supported>}
 * in {@code web.xml}; otherwise it reads blocking), verifies the signature, parses the event, hands it to the robot and answers at once
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
    /** How long one body may take to arrive: GitHub sends it at once and gives up on an answer after 10 seconds. */
    static final Duration BODY_TIMEOUT = Duration.ofSeconds(20);
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
                reject(response, 405, "method_not_allowed", "GitHub webhooks are POSTed; this endpoint takes nothing else");
                return;
            }
            long max = endpoint.maxBodyBytes();
            if (request.getContentLengthLong() > max) {
                reject(response, 413, "too_large", "the body is larger than " + max + " bytes");
                return;
            }
            if (request.isAsyncSupported()) {
                readWithoutBlocking(request, response, max);
                return;
            }
            byte[] body = readAtMost(request.getInputStream(), max);
            if (body == null) {
                reject(response, 413, "too_large", "the body is larger than " + max + " bytes");
                return;
            }
            answer(request, response, body);
        } catch (IOException e) {
            unreadable(response, e);
        }
    }

    /**
     * Reads the body as it arrives, holding no container thread while the client is slow (Servlet
     * async I/O), so many slow or stalled senders cannot keep GitHub's deliveries waiting; a body that
     * has not arrived within {@link #BODY_TIMEOUT} is answered 408.
     */
    private void readWithoutBlocking(HttpServletRequest request, HttpServletResponse response, long max) throws IOException {
        AsyncContext async = request.startAsync();
        async.setTimeout(BODY_TIMEOUT.toMillis());
        AtomicBoolean answered = new AtomicBoolean();
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) throws IOException {
                if (answered.compareAndSet(false, true)) {
                    LOG.debug("webhook body did not arrive within {}", BODY_TIMEOUT);
                    if (!response.isCommitted()) {
                        response.setHeader("Connection", "close");
                        reject(response, 408, "timeout", "the body did not arrive within " + BODY_TIMEOUT.toSeconds() + " seconds");
                    }
                }
                async.complete();
            }

            @Override
            public void onError(AsyncEvent event) {
                answered.set(true);
                LOG.debug("webhook request failed while it was read: {}", String.valueOf(event.getThrowable()));
            }

            @Override
            public void onComplete(AsyncEvent event) {
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        ServletInputStream in = request.getInputStream();
        long expected = request.getContentLengthLong();
        int limit = (int) Math.min(max, Integer.MAX_VALUE - 9);
        in.setReadListener(new ReadListener() {
            // Read straight into one array of the announced length (no copy when the body is as long as
            // announced); grown, up to the limit, only for a body of unknown or wrong length.
            private byte[] body = new byte[(int) Math.min(expected > 0 ? expected : 8192, limit)];
            private int size;

            @Override
            public synchronized void onDataAvailable() throws IOException {
                while (in.isReady() && !answered.get()) {
                    if (size == body.length) {
                        if (size >= limit) {
                            // Full to the limit: one byte more is over it.
                            if (in.read() < 0) {
                                return;
                            }
                            finish(() -> {
                                response.setHeader("Connection", "close");
                                reject(response, 413, "too_large", "the body is larger than " + max + " bytes");
                            });
                            return;
                        }
                        body = java.util.Arrays.copyOf(body, (int) Math.min(limit, Math.max(8192L, 2L * size)));
                    }
                    int n = in.read(body, size, body.length - size);
                    if (n < 0) {
                        return;
                    }
                    size += n;
                }
            }

            @Override
            public synchronized void onAllDataRead() throws IOException {
                byte[] whole = size == body.length ? body : java.util.Arrays.copyOf(body, size);
                finish(() -> answer(request, response, whole));
            }

            @Override
            public void onError(Throwable t) {
                try {
                    finish(() -> unreadable(response, t));
                } catch (IOException e) {
                    LOG.debug("could not answer an unreadable webhook request: {}", e.toString());
                }
            }

            private void finish(Answer answer) throws IOException {
                if (!answered.compareAndSet(false, true)) {
                    return;
                }
                try {
                    answer.write();
                } finally {
                    async.complete();
                }
            }
        });
    }

    /** Writes one answer; may throw when the client went away. */
    private interface Answer {
        void write() throws IOException;
    }

    private void unreadable(HttpServletResponse response, Throwable e) throws IOException {
        // The client went away or sent a broken body: nothing useful can be answered.
        LOG.debug("webhook request could not be read: {}", e.toString());
        if (!response.isCommitted()) {
            reject(response, 400, "bad_request", "the request body could not be read");
        }
    }

    private void answer(HttpServletRequest request, HttpServletResponse response, byte[] body) throws IOException {
        try {
            post(request, response, body);
        } catch (RuntimeException e) {
            LOG.error("webhook delivery failed inside the robot", e);
            if (!response.isCommitted()) {
                reject(response, 500, "error", "the robot failed to take the delivery; GitHub can redeliver it");
            }
        }
    }

    private void post(HttpServletRequest request, HttpServletResponse response, byte[] body) throws IOException {
        if (!endpoint.verifier().verify(body, Optional.ofNullable(request.getHeader("X-Hub-Signature-256")),
                Optional.ofNullable(request.getHeader("X-Hub-Signature")))) {
            reject(response, 401, "bad_signature",
                    "missing or wrong X-Hub-Signature-256; set the webhook's secret to the robot's github.webhook_secret");
            return;
        }
        String event = request.getHeader("X-GitHub-Event");
        if (event == null || event.isBlank()) {
            reject(response, 400, "bad_request", "the X-GitHub-Event header is missing");
            return;
        }
        DeliveryId delivery;
        try {
            delivery = DeliveryId.of(Optional.ofNullable(request.getHeader("X-GitHub-Delivery")).orElse(""));
        } catch (InvalidValueException e) {
            reject(response, 400, "bad_request", "the X-GitHub-Delivery header is missing or not a delivery id");
            return;
        }
        WebhookEvent parsed;
        try {
            parsed = endpoint.parser().parse(event, request.getContentType(), body);
        } catch (WebhookParseException e) {
            boolean media = e.kind() == WebhookParseException.Kind.UNSUPPORTED_CONTENT_TYPE;
            reject(response, media ? 415 : 400, media ? "unsupported_media_type" : "bad_request", e.getMessage());
            return;
        }
        Receipt receipt = endpoint.robot().handle(delivery, parsed);
        switch (receipt.kind()) {
            case ACCEPTED -> Answers.write(response, 202, "accepted", receipt.reason());
            case OVERLOADED -> {
                response.setHeader("Retry-After", "30");
                Answers.write(response, 503, "overloaded", receipt.reason());
            }
            case UNAVAILABLE -> {
                response.setHeader("Retry-After", "10");
                Answers.write(response, 503, "unavailable", receipt.reason());
            }
            default -> Answers.write(response, 200, receipt.kind().name().toLowerCase(java.util.Locale.ROOT), receipt.reason());
        }
    }

    /**
     * Answers a delivery the robot never saw (not POST, too large, unsigned, unreadable) and counts it
     * in the metrics as event {@code unknown}: nothing about it is verified, so its event header may
     * be anything.
     */
    private void reject(HttpServletResponse response, int status, String result, String reason) throws IOException {
        try {
            endpoint.robot().metrics().webhookDelivery("unknown", result);
        } catch (RuntimeException e) {
            LOG.debug("metrics failed: {}", e.toString());
        }
        Answers.write(response, status, result, reason);
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
