package io.github.autodeploy.benchmarks.load;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * A GitHub API on 127.0.0.1 that answers at once: a posted deployment status is created, every read
 * (the unfinished deployments the robot looks for at start, their statuses) is an empty list. It
 * counts the statuses posted and keeps the last state posted per deployment. A Tomcat of its own (the JDK's HttpServer left some of OkHttp's
 * keep-alive requests unanswered under this load). {@code GET /_fake/states/ID} tells the last state posted for
 * deployment ID ({@code 404} when none), for a harness that runs it in another process ({@link #main}). Thread-safe.
 */
public final class FakeGitHub implements AutoCloseable {
    private final Tomcat tomcat;
    private final String url;
    private final AtomicLong statuses;
    private final Map<Long, String> states;

    private FakeGitHub(Tomcat tomcat, String url, AtomicLong statuses, Map<Long, String> states) {
        this.tomcat = tomcat;
        this.url = url;
        this.statuses = statuses;
        this.states = states;
    }

    /**
     * Runs one in a process of its own, for a harness whose load client must not share a JVM (its collections,
     * its JIT, its threads) with the robot's status traffic: prints {@code FAKE_GITHUB <url>} on a line of its
     * own, then serves until its standard input ends (the harness closes it, or dies).
     */
    public static void main(String[] args) throws Exception {
        TOMCAT_LOG.setLevel(java.util.logging.Level.SEVERE);
        FakeGitHub github = start();
        System.out.println(READY + github.url());
        System.out.flush();
        System.in.transferTo(java.io.OutputStream.nullOutputStream());
        github.close();
    }

    /** Tomcat's log, quiet in {@link #main} as in the harness's own JVM; held so that its level is not collected with it. */
    private static final java.util.logging.Logger TOMCAT_LOG = java.util.logging.Logger.getLogger("org.apache");

    /** What {@link #main} prints before the URL. */
    static final String READY = "FAKE_GITHUB ";

    /** Starts it on a free port. */
    public static FakeGitHub start() throws IOException, LifecycleException {
        File base = Files.createTempDirectory("autodeploy-fake-github").toFile();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.getAbsolutePath());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxThreads", "8");
        tomcat.setConnector(connector);
        AtomicLong statuses = new AtomicLong();
        Context ctx = tomcat.addContext("", base.getAbsolutePath());
        Map<Long, String> states = new ConcurrentHashMap<>();
        Tomcat.addServlet(ctx, "api", new Api(statuses, states));
        ctx.addServletMappingDecoded("/", "api");
        tomcat.start();
        return new FakeGitHub(tomcat, "http://127.0.0.1:" + connector.getLocalPort(), statuses, states);
    }

    /** Its API address, for {@code github.api_url}. */
    public String url() {
        return url;
    }

    /** Deployment statuses posted so far. */
    public long statusesPosted() {
        return statuses.get();
    }

    /** The state of the last status posted for deployment {@code id} ({@code success}, ...), if any. */
    public Optional<String> lastState(long id) {
        return Optional.ofNullable(states.get(id));
    }

    private static final class Api extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private static final Pattern DEPLOYMENT = Pattern.compile("/deployments/(\\d+)/statuses$");
        private static final Pattern STATE_QUERY = Pattern.compile("/_fake/states/(\\d{1,18})");
        private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([a-z_]+)\"");
        private final transient AtomicLong statuses;
        private final transient Map<Long, String> states;

        Api(AtomicLong statuses, Map<Long, String> states) {
            this.statuses = statuses;
            this.states = states;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Matcher asked = STATE_QUERY.matcher(request.getRequestURI());
            if (asked.matches()) {
                String state = states.get(Long.parseLong(asked.group(1)));
                write(response, state == null ? 404 : 200, state == null ? "{\"message\":\"Not Found\"}" : "{\"state\":\"" + state + "\"}");
                return;
            }
            write(response, 200, "[]");
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (request.getRequestURI().endsWith("/statuses")) {
                Matcher id = DEPLOYMENT.matcher(request.getRequestURI());
                Matcher state = STATE.matcher(body);
                if (id.find() && state.find()) {
                    states.put(Long.parseLong(id.group(1)), state.group(1));
                }
                write(response, 201, "{\"id\":" + statuses.incrementAndGet() + ",\"state\":\"queued\"}");
            } else {
                write(response, 404, "{\"message\":\"Not Found\"}");
            }
        }

        private static void write(HttpServletResponse response, int status, String json) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            response.setStatus(status);
            response.setContentType("application/json; charset=utf-8");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }

    @Override
    public void close() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }
}
