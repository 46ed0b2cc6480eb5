package io.github.autodeploy.servlet;

import io.github.autodeploy.github.sample.SampleWebhooks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs and sends webhook deliveries as GitHub does. */
final class Deliveries {
    /** The repository {@link TestRobot} configures. */
    static final String REPO = "Codertocat/Hello-World";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Deliveries() {
    }

    static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sample payload of {@code event} for {@link #REPO}, unless {@code values} name another repository. */
    static byte[] sample(String event, Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.putIfAbsent("repo", REPO);
        return SampleWebhooks.body(event, all);
    }

    static HttpResponse<String> post(String url, String event, String contentType, byte[] body, String signature, String delivery)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (event != null) {
            b.header("X-GitHub-Event", event);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (signature != null) {
            b.header("X-Hub-Signature-256", signature);
        }
        if (delivery != null) {
            b.header("X-GitHub-Delivery", delivery);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> signed(String url, String event, byte[] body) throws Exception {
        return post(url, event, "application/json", body, sign(TestRobot.SECRET, body), UUID.randomUUID().toString());
    }

    /** A page or API request: {@code method} with {@code body} (none for GET) and, when not null, those headers. */
    static HttpResponse<String> request(String url, String method, String authorization, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(java.net.URI.create(url))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b.build());
    }

    static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
