package io.github.autodeploy.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lean constant-rate client against the JDK's own HTTP server: every delivery is sent once and its
 * answer counted, a connection the server closes is replaced, and a server that stalls is charged for the
 * wait of every delivery due meanwhile (latency from the due instant, not from the late send).
 */
class PacedLoadTest {
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private URI serve(int closeEvery, Duration firstStall, Set<String> deliveries) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        AtomicInteger n = new AtomicInteger();
        CountDownLatch never = new CountDownLatch(1);
        server.createContext("/hooks/github", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int i = n.incrementAndGet();
            if (i == 1 && !firstStall.isZero()) {
                try {
                    never.await(firstStall.toMillis(), TimeUnit.MILLISECONDS); // a server stalled for that long
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (body.length > 0) {
                deliveries.add(exchange.getRequestHeaders().getFirst("X-GitHub-Delivery"));
            }
            if (closeEvery > 0 && i % closeEvery == 0) {
                exchange.getResponseHeaders().add("Connection", "close");
            }
            byte[] answer = "{\"result\":\"queued\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(202, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/github");
    }

    @Test
    void everyDeliveryIsSentOnceAndEachAnswerCountedAlsoWhenTheServerClosesConnections() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        URI hook = serve(3, Duration.ZERO, seen);

        Load.Result r = new PacedLoad(hook).run("test", new Webhooks("s3cr3t", 1_000), 200, Duration.ofSeconds(1), 4);

        assertThat(r.total()).isEqualTo(200);
        assertThat(r.count("202")).as(r.answers().toString()).isEqualTo(200);
        assertThat(seen).hasSize(200);
        assertThat(r.latency().getTotalCount()).isEqualTo(200);
    }

    @Test
    void aStalledServerIsChargedForEveryDeliveryDueWhileItStalled() throws Exception {
        URI hook = serve(0, Duration.ofMillis(400), ConcurrentHashMap.newKeySet());

        // One connection, a delivery due every 10 ms: the first answer takes 400 ms, so the 40 or so due
        // meanwhile are sent late, and each is counted from when it was due.
        Load.Result r = new PacedLoad(hook).run("test", new Webhooks("s3cr3t", 1_000), 100, Duration.ofSeconds(1), 1);

        assertThat(r.count("202")).isEqualTo(100);
        assertThat(r.latency().getMaxValue()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toMicros(400));
        // A client timing from the late send would see the 2nd..40th answers in well under a millisecond;
        // counted from their due instants, a fifth of all deliveries waited 200 ms or more.
        assertThat(r.latency().getValueAtPercentile(80)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toMicros(150));
    }

    @Test
    void aServerThatIsNotThereIsCountedAsErrorsNotWaitedFor() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Load.Result r = new PacedLoad(URI.create("http://127.0.0.1:" + port + "/hooks/github"))
                .run("test", new Webhooks("s3cr3t", 1_000), 50, Duration.ofSeconds(1), 2);

        assertThat(r.total()).isEqualTo(50);
        assertThat(r.count("202")).isZero();
        assertThat(r.answers()).containsKey("error ConnectException");
    }
}
