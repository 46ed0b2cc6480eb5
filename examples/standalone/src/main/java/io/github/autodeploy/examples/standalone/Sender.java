package io.github.autodeploy.examples.standalone;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.autodeploy.github.sample.SampleWebhooks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Posts a realistic, signed GitHub webhook built by {@link SampleWebhooks} (the generator the project's
 * tests use too), so the robot can be tried without GitHub. Stateless and thread-safe.
 */
final class Sender {
    /** The events {@code send} can post, for the usage text. */
    static String events() {
        return String.join(", ", SampleWebhooks.EVENTS);
    }
    private static final SecureRandom RANDOM = new SecureRandom();

    private Sender() {
    }

    /** The answer's status code and body. */
    record Answer(int status, String body, String delivery) {
    }

    static String randomSha() {
        byte[] b = new byte[20];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * The payload {@code send} delivers: {@link SampleWebhooks}' with the command line's values, and a new
     * sha and deployment id unless they are given, so that each delivery deploys anew. The id grows
     * with time, as GitHub's do: a robot never starts a deployment older than one its lane already ran
     * (its store remembers that across restarts), so a random id could be turned away as superseded.
     */
    static ObjectNode payload(String event, Map<String, String> o) {
        Map<String, String> values = new HashMap<>(o);
        values.putIfAbsent("sha", randomSha());
        values.putIfAbsent("id", Long.toString(nextId()));
        if (event.equals("deployment_protection_rule")) {
            // A new workflow run each time: the robot gates a run once, and answers a run it gates already as a duplicate.
            values.putIfAbsent("run", Long.toString(nextId()));
            Optional.ofNullable(values.remove("api-url")).ifPresent(u -> values.put("api_url", u));
        }
        return SampleWebhooks.payload(event, values);
    }

    private static final java.util.concurrent.atomic.AtomicLong LAST_ID = new java.util.concurrent.atomic.AtomicLong();

    /** Milliseconds since 1970 (about 1.8e12 now), never the same twice in one process. */
    static long nextId() {
        long now = io.github.autodeploy.core.time.TimeSource.system().now().toEpochMilli();
        return LAST_ID.updateAndGet(last -> Math.max(last + 1, now));
    }

    static Answer send(String url, String event, String secret, ObjectNode payload) throws Exception {
        byte[] body = SampleWebhooks.bytes(payload);
        String delivery = UUID.randomUUID().toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("User-Agent", "GitHub-Hookshot/autodeploy-send")
                .header("X-GitHub-Event", event).header("X-GitHub-Delivery", delivery)
                .header("X-Hub-Signature-256", SampleWebhooks.signature(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), delivery);
    }
}
