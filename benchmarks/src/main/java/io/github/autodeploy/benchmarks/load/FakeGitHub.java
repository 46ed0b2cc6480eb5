package io.github.autodeploy.benchmarks.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A GitHub API on 127.0.0.1 that answers at once: a posted deployment status is created, every read
 * (the unfinished deployments the robot looks for at start, their statuses) is an empty list. It
 * counts the statuses posted. Thread-safe.
 */
public final class FakeGitHub implements AutoCloseable {
    private static final byte[] EMPTY_LIST = "[]".getBytes(StandardCharsets.UTF_8);
    private final HttpServer server;
    private final ExecutorService threads;
    private final AtomicLong statuses = new AtomicLong();

    private FakeGitHub(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Starts it on a free port. */
    public static FakeGitHub start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fake-github");
            t.setDaemon(true);
            return t;
        });
        FakeGitHub github = new FakeGitHub(server, threads);
        server.createContext("/", github::answer);
        server.setExecutor(threads);
        server.start();
        return github;
    }

    /** Its API address, for {@code github.api_url}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Deployment statuses posted so far. */
    public long statusesPosted() {
        return statuses.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            if (exchange.getRequestMethod().equals("POST") && exchange.getRequestURI().getPath().endsWith("/statuses")) {
                long id = statuses.incrementAndGet();
                byte[] body = ("{\"id\":" + id + ",\"state\":\"queued\"}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(201, body.length);
                exchange.getResponseBody().write(body);
            } else if (exchange.getRequestMethod().equals("GET")) {
                exchange.sendResponseHeaders(200, EMPTY_LIST.length);
                exchange.getResponseBody().write(EMPTY_LIST);
            } else {
                byte[] body = "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(404, body.length);
                exchange.getResponseBody().write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
