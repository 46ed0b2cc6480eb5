package io.github.autodeploy.examples.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * GitHub's REST API as the robot uses it, with state, answering in GitHub's shapes: commit statuses
 * ({@code ci/build}, green unless a test makes a commit pending), no check runs, deployments created
 * with ids from 9001 and listed back by sha and environment, deployment statuses kept per deployment
 * in the order they arrive; for a GitHub App, installation tokens ({@code ghs_installation_ID}) and the
 * protection-rule reviews and status reports it takes (204), each kept with its Authorization header.
 * Thread-safe: robots in several processes call it at once.
 */
final class FakeGitHub extends Dispatcher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REPO = Pattern.compile("^/repos/([^/]+/[^/]+)(/.*)$");
    private static final Pattern COMMIT = Pattern.compile("^/commits/([0-9a-f]{40})/(statuses|check-runs)$");
    private static final Pattern DEPLOYMENT_STATUSES = Pattern.compile("^/deployments/(\\d+)/statuses$");
    private static final Pattern ACCESS_TOKENS = Pattern.compile("^/app/installations/(\\d+)/access_tokens$");
    private static final Pattern PROTECTION_RULE = Pattern.compile("^/actions/runs/(\\d+)/deployment_protection_rule$");

    /** A request for an installation token, with the App's JWT it came with. */
    record TokenRequest(long installation, String authorization) {
    }

    /** A protection-rule review ({@code state} present) or status report ({@code state} empty) as GitHub took it. */
    record RuleCall(String repo, long runId, String environment, String state, String comment, String authorization) {
        boolean review() {
            return !state.isEmpty();
        }
    }

    private final List<TokenRequest> tokenRequests = new CopyOnWriteArrayList<>();
    private final List<RuleCall> ruleCalls = new CopyOnWriteArrayList<>();

    /** Every installation token asked for, oldest first. */
    List<TokenRequest> tokenRequests() {
        return List.copyOf(tokenRequests);
    }

    /** Every review and report of run {@code runId}, oldest first. */
    List<RuleCall> ruleCalls(long runId) {
        return ruleCalls.stream().filter(c -> c.runId() == runId).toList();
    }

    List<RuleCall> reviews(long runId) {
        return ruleCalls(runId).stream().filter(RuleCall::review).toList();
    }

    List<RuleCall> reports(long runId) {
        return ruleCalls(runId).stream().filter(c -> !c.review()).toList();
    }

    /** A deployment status as GitHub received it, with when it arrived. */
    record Status(String state, String description, String logUrl, Instant at) {
    }

    private final Map<Long, List<Status>> statuses = new ConcurrentHashMap<>();
    private final Map<String, String> ci = new ConcurrentHashMap<>();
    private final List<ObjectNode> created = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(9000);

    /** Makes {@code sha}'s {@code ci/build} status {@code state} ({@code pending}, {@code success}...). */
    void ci(String sha, String state) {
        ci.put(sha, state);
    }

    /** The statuses posted for deployment {@code id}, oldest first. */
    List<Status> statuses(long id) {
        return List.copyOf(statuses.getOrDefault(id, List.of()));
    }

    List<String> states(long id) {
        return statuses(id).stream().map(Status::state).toList();
    }

    /** Deployments created through the API, as GitHub answered them. */
    List<ObjectNode> created() {
        return List.copyOf(created);
    }

    @Override
    public MockResponse dispatch(RecordedRequest r) {
        Matcher tokens = ACCESS_TOKENS.matcher(r.getUrl().encodedPath());
        if (r.getMethod().equals("POST") && tokens.matches()) {
            long installation = Long.parseLong(tokens.group(1));
            tokenRequests.add(new TokenRequest(installation, String.valueOf(r.getHeaders().get("Authorization"))));
            return json(201, JSON.createObjectNode().put("token", "ghs_installation_" + installation)
                    .put("expires_at", Instant.now().plusSeconds(3600).toString()));
        }
        Matcher repo = REPO.matcher(r.getUrl().encodedPath());
        if (!repo.matches()) {
            return json(404, notFound());
        }
        String rest = repo.group(2);
        String method = r.getMethod();
        Matcher rule = PROTECTION_RULE.matcher(rest);
        if (method.equals("POST") && rule.matches()) {
            JsonNode b = body(r);
            ruleCalls.add(new RuleCall(repo.group(1), Long.parseLong(rule.group(1)), b.path("environment_name").asText(""),
                    b.path("state").asText(""), b.path("comment").asText(""), String.valueOf(r.getHeaders().get("Authorization"))));
            return new MockResponse.Builder().code(204).build();
        }
        Matcher commit = COMMIT.matcher(rest);
        Matcher deploymentStatuses = DEPLOYMENT_STATUSES.matcher(rest);
        if (method.equals("GET") && commit.matches() && commit.group(2).equals("statuses")) {
            return json(200, commitStatuses(repo.group(1), commit.group(1)));
        }
        if (method.equals("GET") && commit.matches()) {
            ObjectNode none = JSON.createObjectNode().put("total_count", 0);
            none.putArray("check_runs");
            return json(200, none);
        }
        if (method.equals("POST") && deploymentStatuses.matches()) {
            return json(201, postStatus(repo.group(1), Long.parseLong(deploymentStatuses.group(1)), body(r)));
        }
        if (method.equals("GET") && deploymentStatuses.matches()) {
            ArrayNode newestFirst = JSON.createArrayNode();
            List<Status> all = statuses(Long.parseLong(deploymentStatuses.group(1)));
            for (int i = all.size() - 1; i >= 0; i--) {
                newestFirst.add(status(repo.group(1), Long.parseLong(deploymentStatuses.group(1)), i + 1, all.get(i)));
            }
            return json(200, newestFirst);
        }
        if (method.equals("POST") && rest.equals("/deployments")) {
            return json(201, create(repo.group(1), body(r)));
        }
        if (method.equals("GET") && rest.equals("/deployments")) {
            String sha = r.getUrl().queryParameter("sha");
            String environment = r.getUrl().queryParameter("environment");
            ArrayNode found = JSON.createArrayNode();
            for (ObjectNode d : created) {
                if (d.path("url").asText().contains("/repos/" + repo.group(1) + "/")
                        && (sha == null || sha.equals(d.path("sha").asText()))
                        && (environment == null || environment.equals(d.path("environment").asText()))) {
                    found.add(d);
                }
            }
            return json(200, found);
        }
        return json(404, notFound());
    }

    private ArrayNode commitStatuses(String repo, String sha) {
        String state = ci.getOrDefault(sha, "success");
        String at = Instant.now().toString();
        ArrayNode a = JSON.createArrayNode();
        a.addObject().put("url", "https://api.github.com/repos/" + repo + "/statuses/" + sha).put("id", 1)
                .put("node_id", "MDY6U3RhdHVzMQ==").put("state", state)
                .put("description", state.equals("success") ? "Build has completed successfully" : "Build is running")
                .put("target_url", "https://ci.example.com/1000/output").put("context", "ci/build")
                .put("created_at", at).put("updated_at", at);
        return a;
    }

    private synchronized ObjectNode create(String repo, JsonNode request) {
        long id = ids.incrementAndGet();
        ObjectNode d = JSON.createObjectNode();
        d.put("url", "https://api.github.com/repos/" + repo + "/deployments/" + id).put("id", id)
                .put("node_id", "MDEwOkRlcGxveW1lbnQx").put("sha", request.path("ref").asText())
                .put("ref", request.path("ref").asText()).put("task", request.path("task").asText("deploy"));
        d.set("payload", request.path("payload"));
        d.put("original_environment", request.path("environment").asText("production"))
                .put("environment", request.path("environment").asText("production"))
                .put("description", request.path("description").asText(""));
        d.putObject("creator").put("login", "autodeploy-bot").put("id", 2).put("type", "Bot");
        String at = Instant.now().toString();
        d.put("created_at", at).put("updated_at", at)
                .put("statuses_url", "https://api.github.com/repos/" + repo + "/deployments/" + id + "/statuses")
                .put("repository_url", "https://api.github.com/repos/" + repo);
        d.set("request", request);
        created.add(d);
        ObjectNode answer = d.deepCopy();
        answer.remove("request");
        return answer;
    }

    private ObjectNode postStatus(String repo, long id, JsonNode request) {
        Status s = new Status(request.path("state").asText(), request.path("description").asText(""),
                request.path("log_url").asText(""), Instant.now());
        List<Status> list = statuses.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
        int number;
        synchronized (list) {
            list.add(s);
            number = list.size();
        }
        return status(repo, id, number, s);
    }

    private static ObjectNode status(String repo, long id, int number, Status s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("url", "https://api.github.com/repos/" + repo + "/deployments/" + id + "/statuses/" + number)
                .put("id", id * 1000 + number).put("node_id", "MDE2OkRlcGxveW1lbnRTdGF0dXMx").put("state", s.state())
                .put("description", s.description()).put("environment", "production")
                .put("target_url", s.logUrl()).put("log_url", s.logUrl())
                .put("created_at", s.at().toString()).put("updated_at", s.at().toString())
                .put("deployment_url", "https://api.github.com/repos/" + repo + "/deployments/" + id)
                .put("repository_url", "https://api.github.com/repos/" + repo);
        o.putObject("creator").put("login", "autodeploy-bot").put("id", 2).put("type", "Bot");
        return o;
    }

    private static ObjectNode notFound() {
        return JSON.createObjectNode().put("message", "Not Found")
                .put("documentation_url", "https://docs.github.com/rest");
    }

    private static JsonNode body(RecordedRequest r) {
        try {
            return JSON.readTree(r.getBody() == null ? "{}" : r.getBody().utf8());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MockResponse json(int code, JsonNode body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json; charset=utf-8")
                .body(body.toString()).build();
    }

    /** Every deployment status, per deployment id. */
    Map<Long, List<Status>> allStatuses() {
        Map<Long, List<Status>> copy = new java.util.TreeMap<>();
        statuses.forEach((id, list) -> copy.put(id, List.copyOf(list)));
        return copy;
    }
}
