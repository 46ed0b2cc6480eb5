package io.github.autodeploy.github.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds the payload of every webhook event the robot handles, with the fields GitHub sends and the
 * robot reads, and signs a body as GitHub does. The same values always give the same payload.
 * Stateless and thread-safe.
 *
 * <p>Values (all optional): {@code repo} ({@value #REPO}), {@code sha} ({@value #SHA}), {@code ref}
 * (a branch, {@code main}), {@code user} ({@code octocat}), {@code environment} ({@code production}),
 * {@code id} (the deployment's, {@code 1}), {@code state} (a status's state or a check's conclusion,
 * {@code success}), {@code context} (a status's context or a check run's name, {@code ci/build}),
 * {@code action} (the event's default), {@code merged} ({@code true} for a closed pull request),
 * {@code number} ({@code 1}), {@code payload} (the deployment's JSON payload, {@code {}}),
 * {@code log_url} (a deployment status's), {@code default_branch} ({@code main}), {@code deleted}
 * ({@code false} for a push); for {@code deployment_protection_rule}: {@code api_url} (the GitHub API its
 * callback URL is on, {@code https://api.github.com}), {@code run} (the workflow run's id, {@code 1}),
 * {@code installation} (the GitHub App installation's id, {@code 1}) and {@code trigger} (the event
 * that started the run, {@code push}).
 */
public final class SampleWebhooks {
    /** The events this class builds. */
    public static final List<String> EVENTS = List.of("ping", "deployment", "deployment_status", "push", "pull_request",
            "status", "check_run", "check_suite", "workflow_run", "deployment_protection_rule");
    public static final String REPO = "example/app";
    public static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    /** The pull request's head and the push's parent; never deployed by a sample. */
    public static final String OTHER_SHA = "a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d";
    private static final String ZERO = "0".repeat(40);
    private static final String TIME = "2026-01-15T10:00:00Z";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SampleWebhooks() {
    }

    /** The payload of {@code event} as a tree, for a caller that changes it further. */
    public static ObjectNode payload(String event, Map<String, String> values) {
        Values v = new Values(values);
        String repo = v.get("repo", REPO);
        if (repo.indexOf('/') < 1) {
            throw new IllegalArgumentException("repo \"" + repo + "\" must be written owner/name");
        }
        ObjectNode root = JSON.createObjectNode();
        switch (event) {
            case "ping" -> {
                root.put("zen", "Design for failure.").put("hook_id", 1);
                root.putObject("hook").put("type", "Repository").put("active", true).putArray("events")
                        .add("deployment").add("pull_request").add("push").add("status");
            }
            case "deployment" -> {
                root.put("action", v.get("action", "created"));
                root.set("deployment", deployment(v));
            }
            case "deployment_status" -> {
                root.put("action", v.get("action", "created"));
                ObjectNode s = root.putObject("deployment_status");
                s.put("id", 1).put("state", v.get("state", "success")).put("description", "")
                        .put("environment", v.get("environment", "production")).put("created_at", TIME);
                if (values.containsKey("log_url")) {
                    s.put("log_url", values.get("log_url")).put("target_url", values.get("log_url"));
                }
                s.set("creator", user(v.get("user", "octocat")));
                root.set("deployment", deployment(v));
            }
            case "push" -> {
                boolean deleted = Boolean.parseBoolean(v.get("deleted", "false"));
                String ref = v.get("ref", "main");
                root.put("ref", ref.startsWith("refs/") ? ref : "refs/heads/" + ref).put("before", OTHER_SHA)
                        .put("after", deleted ? ZERO : v.get("sha", SHA))
                        .put("created", false).put("deleted", deleted).put("forced", false);
                root.putObject("pusher").put("name", v.get("user", "octocat"));
            }
            case "pull_request" -> {
                String action = v.get("action", "closed");
                boolean merged = action.equals("closed") && Boolean.parseBoolean(v.get("merged", "true"));
                int number = Integer.parseInt(v.get("number", "1"));
                root.put("action", action).put("number", number);
                ObjectNode pr = root.putObject("pull_request");
                pr.put("number", number).put("state", action.equals("closed") ? "closed" : "open")
                        .put("title", "Try Autodeploy").put("merged", merged);
                if (merged) {
                    pr.put("merge_commit_sha", v.get("sha", SHA));
                    pr.set("merged_by", user(v.get("user", "octocat")));
                } else {
                    pr.putNull("merge_commit_sha");
                    pr.putNull("merged_by");
                }
                pr.set("user", user(v.get("user", "octocat")));
                pr.putObject("base").put("ref", v.get("ref", "main")).put("sha", OTHER_SHA);
                ObjectNode head = pr.putObject("head");
                head.put("ref", "feature").put("sha", OTHER_SHA);
                head.set("repo", repository(repo, v));
            }
            case "status" -> root.put("id", 1).put("sha", v.get("sha", SHA)).put("name", repo)
                    .put("context", v.get("context", "ci/build")).put("state", v.get("state", "success"))
                    .put("description", "").put("created_at", TIME).put("updated_at", TIME);
            case "check_run" -> {
                root.put("action", v.get("action", "completed"));
                ObjectNode run = root.putObject("check_run");
                run.put("id", 1).put("name", v.get("context", "ci/build")).put("head_sha", v.get("sha", SHA))
                        .put("status", "completed").put("conclusion", v.get("state", "success")).put("completed_at", TIME);
            }
            case "check_suite" -> {
                root.put("action", v.get("action", "completed"));
                root.putObject("check_suite").put("id", 1).put("head_branch", v.get("ref", "main"))
                        .put("head_sha", v.get("sha", SHA)).put("status", "completed").put("conclusion", v.get("state", "success"));
            }
            case "workflow_run" -> {
                root.put("action", v.get("action", "completed"));
                root.putObject("workflow_run").put("id", 1).put("name", "CI").put("head_branch", v.get("ref", "main"))
                        .put("head_sha", v.get("sha", SHA)).put("status", "completed").put("conclusion", v.get("state", "success"));
            }
            case "deployment_protection_rule" -> {
                String api = v.get("api_url", "https://api.github.com").replaceAll("/+$", "");
                root.put("action", v.get("action", "requested")).put("environment", v.get("environment", "production"))
                        .put("event", v.get("trigger", "push"))
                        .put("deployment_callback_url", api + "/repos/" + repo + "/actions/runs/" + number(v, "run")
                                + "/deployment_protection_rule");
                root.set("deployment", deployment(v));
                root.putArray("pull_requests");
                root.putObject("installation").put("id", number(v, "installation"));
            }
            default -> throw new IllegalArgumentException("cannot build a " + event + " event; use one of " + String.join(", ", EVENTS));
        }
        root.set("repository", repository(repo, v));
        root.set("sender", user(v.get("user", "octocat")));
        return root;
    }

    /** The payload of {@code event} as the bytes GitHub would send. */
    public static byte[] body(String event, Map<String, String> values) {
        return bytes(payload(event, values));
    }

    /** A tree as the bytes GitHub would send. */
    public static byte[] bytes(ObjectNode payload) {
        try {
            return JSON.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
    }

    /** The {@code X-Hub-Signature-256} header GitHub sends with {@code body} for {@code secret}. */
    public static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    private static ObjectNode deployment(Values v) {
        ObjectNode d = JSON.createObjectNode();
        d.put("id", Long.parseLong(v.get("id", "1"))).put("sha", v.get("sha", SHA)).put("ref", v.get("ref", "main"))
                .put("task", "deploy").put("environment", v.get("environment", "production"))
                .put("description", "sample deployment").put("created_at", TIME);
        try {
            d.set("payload", JSON.readTree(v.get("payload", "{}")));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("payload is not JSON: " + e.getOriginalMessage(), e);
        }
        d.set("creator", user(v.get("user", "octocat")));
        return d;
    }

    /** The positive whole number at {@code key}, 1 when absent. */
    private static long number(Values v, String key) {
        String written = v.get(key, "1");
        try {
            long n = Long.parseLong(written);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(key + " \"" + written + "\" must be a positive whole number");
    }

    private static ObjectNode repository(String repo, Values v) {
        ObjectNode r = JSON.createObjectNode();
        r.put("id", 1).put("name", repo.substring(repo.indexOf('/') + 1)).put("full_name", repo).put("private", false)
                .put("default_branch", v.get("default_branch", "main"));
        r.set("owner", user(repo.substring(0, repo.indexOf('/'))));
        return r;
    }

    private static ObjectNode user(String login) {
        return JSON.createObjectNode().put("login", login).put("type", "User");
    }

    private record Values(Map<String, String> map) {
        String get(String key, String fallback) {
            return map.getOrDefault(key, fallback);
        }
    }
}
