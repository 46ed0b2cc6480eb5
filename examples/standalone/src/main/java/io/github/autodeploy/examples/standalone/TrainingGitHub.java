package io.github.autodeploy.examples.standalone;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The GitHub API a training run's robot talks to, on 127.0.0.1, so that its start loads the GitHub client as a
 * served robot with a token does: every read is an empty list, every posted status is created; it counts the
 * reads and the {@code success} statuses. Plain sockets, one request per connection. Thread-safe.
 */
final class TrainingGitHub implements AutoCloseable {
    private final ServerSocket socket;
    private final CountDownLatch read = new CountDownLatch(1);
    private final CountDownLatch succeeded = new CountDownLatch(1);

    private TrainingGitHub(ServerSocket socket) {
        this.socket = socket;
    }

    /** Starts it on a free port, answering on a daemon thread. */
    static TrainingGitHub start() throws IOException {
        TrainingGitHub github = new TrainingGitHub(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Thread t = new Thread(github::serve, "autodeploy-training-github");
        t.setDaemon(true);
        t.start();
        return github;
    }

    /** Its address, for {@code github.api_url}. */
    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** Whether the robot read from it (the unfinished deployments it looks for at start) within {@code wait}. */
    boolean awaitRead(Duration wait) throws InterruptedException {
        return read.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether a {@code success} status was posted within {@code wait}. */
    boolean awaitSuccess(Duration wait) throws InterruptedException {
        return succeeded.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                s.setSoTimeout(10_000);
                answer(s.getInputStream(), s.getOutputStream());
            } catch (IOException e) {
                // closed, or a request cut short: the next one is answered
            }
        }
    }

    private void answer(InputStream in, OutputStream out) throws IOException {
        String head = head(in);
        String requestLine = head.lines().findFirst().orElse("");
        int length = head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .mapToInt(l -> Integer.parseInt(l.substring(l.indexOf(':') + 1).strip())).findFirst().orElse(0);
        String body = new String(in.readNBytes(Math.min(length, 1 << 20)), StandardCharsets.UTF_8);
        String status;
        String json;
        if (requestLine.startsWith("GET ")) {
            status = "200 OK";
            json = "[]";
        } else if (requestLine.startsWith("POST ") && requestLine.contains("/statuses ")) {
            status = "201 Created";
            json = "{\"id\":1,\"state\":\"queued\"}";
        } else {
            status = "404 Not Found";
            json = "{\"message\":\"Not Found\"}";
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        if (requestLine.startsWith("GET ")) {
            read.countDown();
        } else if (status.startsWith("201") && body.replace(" ", "").contains("\"state\":\"success\"")) {
            succeeded.countDown();
        }
    }

    /** The request's line and headers, up to the empty line (at most 64 KB). */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        int matched = 0;
        while (matched < 4 && b.size() < 65_536 && (c = in.read()) >= 0) {
            b.write(c);
            matched = c == '\r' ? (matched == 2 ? 3 : 1) : c == '\n' && (matched == 1 || matched == 3) ? matched + 1 : 0;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
