package io.github.autodeploy.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.autodeploy.core.model.ContextReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

/**
 * A MockWebServer dispatcher that plays GitHub's deployments, statuses and checks endpoints with
 * state, in GitHub's answer shapes, so the core's port contracts can run against the real client.
 * Thread-safe.
 */
final class FakeGitHub extends Dispatcher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEPLOYMENTS = Pattern.compile("/repos/([^/]+)/([^/]+)/deployments");
    private static final Pattern STATUSES = Pattern.compile("/repos/([^/]+)/([^/]+)/deployments/(\\d+)/statuses");
    private static final Pattern COMMIT = Pattern.compile("/repos/([^/]+)/([^/]+)/commits/([0-9a-f]{40})/(statuses|check-runs)");
    private final AtomicLong ids = new AtomicLong(100);
    private final Map<Long, ObjectNode> deployments = new LinkedHashMap<>();
    private final Map<Long, List<ObjectNode>> statuses = new LinkedHashMap<>();
    private final Map<String, List<ContextReport>> reports = new LinkedHashMap<>();

    private int lostCreateAnswers;
    private int creates;

    /** The next {@code n} deployment creates succeed, but the connection is cut before GitHub answers. */
    synchronized void loseNextCreateAnswers(int n) {
        lostCreateAnswers += n;
    }

    /** Deployments created so far (by any POST that reached this GitHub). */
    synchronized int creates() {
        return creates;
    }

    synchronized void report(String sha, List<ContextReport> added) {
        reports.computeIfAbsent(sha, k -> new ArrayList<>()).addAll(added);
    }

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        try {
            Matcher m;
            if ((m = STATUSES.matcher(path)).matches()) {
                long id = Long.parseLong(m.group(3));
                if (!deployments.containsKey(id)) {
                    return json(404, "{\"message\":\"Not Found\"}");
                }
                if (request.getMethod().equals("POST")) {
                    ObjectNode s = (ObjectNode) JSON.readTree(request.getBody().utf8());
                    s.put("id", ids.incrementAndGet());
                    statuses.computeIfAbsent(id, k -> new ArrayList<>()).add(0, s);
                    return json(201, s.toString());
                }
                ArrayNode out = JSON.createArrayNode();
                statuses.getOrDefault(id, List.of()).stream().limit(perPage(request)).forEach(out::add);
                return json(200, out.toString());
            }
            if ((m = DEPLOYMENTS.matcher(path)).matches()) {
                if (request.getMethod().equals("POST")) {
                    JsonNode body = JSON.readTree(request.getBody().utf8());
                    long id = ids.incrementAndGet();
                    ObjectNode d = JSON.createObjectNode();
                    d.put("id", id);
                    d.put("sha", body.path("ref").asText());
                    d.put("ref", body.path("ref").asText());
                    d.put("task", body.path("task").asText("deploy"));
                    d.set("payload", body.path("payload"));
                    d.put("environment", body.path("environment").asText("production"));
                    d.put("description", body.path("description").asText(""));
                    d.putObject("creator").put("login", "autodeploy-bot");
                    deployments.put(id, d);
                    creates++;
                    if (lostCreateAnswers > 0) {
                        lostCreateAnswers--;
                        return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
                    }
                    return json(201, d.toString());
                }
                String env = request.getUrl().queryParameter("environment");
                String sha = request.getUrl().queryParameter("sha");
                ArrayNode out = JSON.createArrayNode();
                // Newest first, as GitHub lists them.
                List<ObjectNode> newestFirst = new ArrayList<>(deployments.values());
                java.util.Collections.reverse(newestFirst);
                newestFirst.stream().filter(d -> env == null || env.equals(d.path("environment").asText()))
                        .filter(d -> sha == null || sha.equals(d.path("sha").asText()))
                        .forEach(out::add);
                return json(200, out.toString());
            }
            if ((m = COMMIT.matcher(path)).matches()) {
                List<ContextReport> rs = reports.getOrDefault(m.group(3), List.of());
                boolean checks = m.group(4).equals("check-runs");
                ArrayNode items = JSON.createArrayNode();
                for (ContextReport r : rs) {
                    if ((r.source() == ContextReport.Source.CHECK_RUN) != checks) {
                        continue;
                    }
                    ObjectNode n = items.addObject();
                    if (checks) {
                        n.put("name", r.context());
                        boolean done = r.state() != io.github.autodeploy.core.model.ContextState.PENDING;
                        n.put("status", done ? "completed" : "in_progress");
                        if (done) {
                            n.put("conclusion", r.state().apiValue());
                        }
                        n.put("completed_at", r.updatedAt().toString());
                    } else {
                        n.put("context", r.context());
                        n.put("state", r.state().apiValue());
                        n.put("updated_at", r.updatedAt().toString());
                    }
                }
                if (checks) {
                    ObjectNode page = JSON.createObjectNode();
                    page.put("total_count", items.size());
                    page.set("check_runs", items);
                    return json(200, page.toString());
                }
                return json(200, items.toString());
            }
            return json(404, "{\"message\":\"Not Found\"}");
        } catch (IOException e) {
            return json(400, "{\"message\":\"Problems parsing JSON\"}");
        }
    }

    private static int perPage(RecordedRequest r) {
        String p = r.getUrl().queryParameter("per_page");
        return p == null ? 30 : Integer.parseInt(p);
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }
}
