package io.github.autodeploy.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Raw HTTP requests (any method, headers and body) against the running webhook servlet: the answer is
 * never a 5xx, and nothing is deployed without a valid signature. The seed corpus holds signed and
 * unsigned deliveries of the fixture payloads.
 */
class WebhookServletFuzzIT {
    private static final String[] METHODS = {"POST", "POST", "POST", "GET", "PUT", "HEAD", "OPTIONS", "DELETE", "TRACE"};
    private static final String[] EVENTS = {"ping", "deployment", "push", "pull_request", "status", "check_run", "issues", ""};
    private static final String[] TYPES = {"application/json", "application/x-www-form-urlencoded", "text/plain", ""};
    private static TestRobot robot;
    private static EmbeddedTomcat tomcat;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        robot = new TestRobot(2, 50);
        tomcat = new EmbeddedTomcat(Map.of("/hooks/github", robot.servlet(64 * 1024)));
        port = URI.create(tomcat.base).getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        robot.close();
        tomcat.close();
    }

    @FuzzTest(maxDuration = "60s")
    void neverA5xxAndNothingRunsUnsigned(FuzzedDataProvider data) throws IOException {
        // The test itself talks to the server it started; Jazzer's SSRF detector must allow loopback only.
        try (SilentCloseable loopback = BugDetectors.allowNetworkConnections(
                (host, p) -> host.equals("127.0.0.1") || host.equals("localhost"))) {
            exercise(data);
        }
    }

    private void exercise(FuzzedDataProvider data) throws IOException {
        String method = data.consumeBoolean() ? data.pickValue(METHODS) : token(data.consumeString(10));
        String event = data.consumeBoolean() ? data.pickValue(EVENTS) : header(data.consumeString(30));
        String type = data.consumeBoolean() ? data.pickValue(TYPES) : header(data.consumeString(40));
        int signing = data.consumeInt(0, 2);
        String delivery = header(data.consumeString(40));
        byte[] body = data.consumeRemainingAsBytes();
        String signature = switch (signing) {
            case 0 -> Deliveries.sign(TestRobot.SECRET, body);
            case 1 -> Deliveries.sign("not the secret", body);
            default -> null;
        };
        int before = robot.robot.recent(10_000).size();

        int status = send(method, event, type, signature, delivery, body);

        assertThat(status).as("status of %s %s", method, event).isLessThan(500);
        if (signing != 0) {
            assertThat(robot.robot.recent(10_000)).hasSize(before);
        }
    }

    private static String token(String s) {
        String t = s.replaceAll("[^A-Za-z]", "");
        return t.isEmpty() ? "POST" : t;
    }

    private static String header(String s) {
        return s.replaceAll("[\\r\\n\\x00-\\x1f\\x7f]", "").replaceAll("[^\\x20-\\x7e]", "?");
    }

    /**
     * Sends one request on its own connection and returns the answer's status code. An answer that
     * never came (the server closed or reset the connection without a status line) fails the test: it
     * is as wrong as a 5xx.
     */
    private static int send(String method, String event, String type, String signature, String delivery, byte[] body)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder(method).append(" /hooks/github HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n")
                    .append("Connection: close\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n");
            if (!event.isEmpty()) {
                head.append("X-GitHub-Event: ").append(event).append("\r\n");
            }
            if (!type.isEmpty()) {
                head.append("Content-Type: ").append(type).append("\r\n");
            }
            if (signature != null) {
                head.append("X-Hub-Signature-256: ").append(signature).append("\r\n");
            }
            if (!delivery.isEmpty()) {
                head.append("X-GitHub-Delivery: ").append(delivery).append("\r\n");
            }
            head.append("\r\n");
            IOException unsent = null;
            try {
                OutputStream out = socket.getOutputStream();
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (SocketException e) {
                // The server may answer (413) and stop reading before the body is all sent; read its answer.
                unsent = e;
            }
            String status = statusLine(socket.getInputStream());
            String[] parts = status.split(" ");
            if (parts.length < 2 || !parts[1].matches("\\d{3}")) {
                throw new AssertionError("no answer to " + method + " " + event + " (" + body.length
                        + " bytes): the server closed the connection after \"" + status + "\"", unsent);
            }
            return Integer.parseInt(parts[1]);
        }
    }

    /** The first line the server sent, without its line end; what came before a reset or the end if none. */
    private static String statusLine(InputStream in) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                line.write(c);
            }
        } catch (IOException e) {
            // a reset or a timeout: what was read so far tells whether an answer came
        }
        return line.toString(StandardCharsets.ISO_8859_1).strip();
    }
}
