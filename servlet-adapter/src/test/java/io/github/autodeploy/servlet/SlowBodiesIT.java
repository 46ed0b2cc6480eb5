package io.github.autodeploy.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Slow senders against a real Tomcat with few request threads: bodies that trickle in must not keep
 * GitHub's signed deliveries waiting. Loopback only; every loop is bounded.
 */
class SlowBodiesIT {
    private static final int THREADS = 4;
    private static final int SLOW_SENDERS = 50;

    @Test
    void signedPingsAreAnsweredWhileManyBodiesTrickleIn() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try (TestRobot robot = new TestRobot(1, 1);
             EmbeddedTomcat tomcat = new EmbeddedTomcat(Map.of("/hooks/github", robot.servlet(64 * 1024)), THREADS)) {
            URI url = URI.create(tomcat.base + "/hooks/github");
            for (int i = 0; i < SLOW_SENDERS; i++) {
                slow.add(startSlowBody(url));
            }
            // Each sender has its headers and a first byte in; a second byte for each keeps them all mid-body.
            for (Socket s : slow) {
                s.getOutputStream().write('{');
                s.getOutputStream().flush();
            }
            byte[] ping = Deliveries.sample("ping", Map.of());
            for (int i = 0; i < 10; i++) {
                // GitHub waits 10 seconds for an answer, then counts the delivery failed.
                HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(ping))
                        .header("Content-Type", "application/json").header("X-GitHub-Event", "ping")
                        .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                        .header("X-Hub-Signature-256", Deliveries.sign(TestRobot.SECRET, ping)).build();
                HttpResponse<String> answer = Deliveries.send(request);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(answer.body()).contains("\"result\":\"pong\"");
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    /** Sends the headers of a 1,000-byte body and its first byte, then nothing more for now. */
    private static Socket startSlowBody(URI url) throws IOException {
        Socket s = new Socket(url.getHost(), url.getPort());
        OutputStream out = s.getOutputStream();
        out.write(("POST " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                + "\r\nContent-Type: application/json\r\nX-GitHub-Event: ping\r\nX-GitHub-Delivery: " + UUID.randomUUID()
                + "\r\nContent-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }
}
