package io.github.autodeploy.examples.standalone;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.autodeploy.core.time.TimeSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds a realistic GitHub webhook payload (the fields GitHub sends and the robot reads), signs it as
 * GitHub does, and posts it, so the robot can be tried without GitHub.
 */
final class Sender {
    static final String EVENTS = "ping, deployment, push, pull_request, status";
    private static final ObjectMapper JSON = new ObjectMapper();
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

    static ObjectNode payload(String event, Map<String, String> o) {
        String repo = o.getOrDefault("repo", "example/app");
        String sha = o.getOrDefault("sha", randomSha());
        String ref = o.getOrDefault("ref", "main");
        String user = o.getOrDefault("user", "octocat");
        ObjectNode root = JSON.createObjectNode();
        ObjectNode repository = JSON.createObjectNode();
        repository.put("name", repo.substring(repo.indexOf('/') + 1)).put("full_name", repo).put("default_branch", "main")
                .putObject("owner").put("login", repo.substring(0, repo.indexOf('/')));
        ObjectNode sender = JSON.createObjectNode().put("login", user).put("type", "User");
        switch (event) {
            case "ping" -> {
                root.put("zen", "Design for failure.").put("hook_id", 1);
                root.putObject("hook").put("type", "Repository").putArray("events").add("deployment").add("pull_request");
            }
            case "deployment" -> {
                root.put("action", "created");
                ObjectNode d = root.putObject("deployment");
                d.put("id", Long.parseLong(o.getOrDefault("id", Long.toString(1 + (RANDOM.nextLong() & 0xffffffL)))));
                d.put("sha", sha).put("ref", ref).put("task", "deploy").put("environment", o.getOrDefault("environment", "production"))
                        .put("description", "sent by autodeploy send").put("created_at", TimeSource.system().now().toString());
                d.putObject("payload");
                d.putObject("creator").put("login", user);
            }
            case "push" -> {
                root.put("ref", "refs/heads/" + ref).put("before", randomSha()).put("after", sha)
                        .put("created", false).put("deleted", false).put("forced", false);
                root.putObject("pusher").put("name", user);
            }
            case "pull_request" -> {
                root.put("action", "closed").put("number", 1);
                ObjectNode pr = root.putObject("pull_request");
                pr.put("number", 1).put("title", "Try Autodeploy").put("merged", true).put("merge_commit_sha", sha);
                pr.putObject("user").put("login", user);
                pr.putObject("merged_by").put("login", user);
                pr.putObject("base").put("ref", ref);
                ObjectNode head = pr.putObject("head");
                head.put("ref", "feature").put("sha", randomSha());
                head.set("repo", repository);
            }
            case "status" -> root.put("sha", sha).put("context", o.getOrDefault("context", "ci/build"))
                    .put("state", o.getOrDefault("state", "success")).put("updated_at", TimeSource.system().now().toString());
            default -> throw new IllegalArgumentException("cannot build a " + event + " event; use one of " + EVENTS);
        }
        root.set("repository", repository);
        root.set("sender", sender);
        return root;
    }

    static Answer send(String url, String event, String secret, ObjectNode payload) throws Exception {
        byte[] body = JSON.writeValueAsBytes(payload);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String delivery = UUID.randomUUID().toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("User-Agent", "GitHub-Hookshot/autodeploy-send")
                .header("X-GitHub-Event", event).header("X-GitHub-Delivery", delivery)
                .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), delivery);
    }
}
