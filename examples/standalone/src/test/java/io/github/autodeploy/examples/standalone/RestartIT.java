package io.github.autodeploy.examples.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.autodeploy.github.sample.SampleWebhooks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone jar on its default store (SQLite beside the config) killed with {@code kill -9}
 * while a deployment runs, another waits behind it and a merge waits for CI, then started again on
 * the same folder: nothing it accepted is lost, nothing it finished runs again.
 */
class RestartIT {
    private static final String SECRET = "restart-webhook-secret";
    private static final String PAGES_TOKEN = "restart-pages-token-5d1c";
    private static final String MERGE_SHA = "c0ffee0000000000000000000000000000000014";
    private static final String INTERRUPTED = "interrupted: the robot running it stopped before it ended; deploy again to retry";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @StartStop
    private final MockWebServer githubServer = new MockWebServer();
    private final FakeGitHub github = new FakeGitHub();
    private final List<ServerProcess> servers = new ArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void stopEverything() throws Exception {
        for (ServerProcess s : servers) {
            s.close();
        }
        Path pid = dir.resolve("work/blocked.pid");
        if (Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private Path config() throws Exception {
        Files.createDirectories(dir.resolve("work"));
        // Deployment 2 blocks (its pid noted first); every other one notes its id in ran.txt.
        return Files.writeString(dir.resolve("autodeploy.yml"), """
                github:
                  api_url: %s
                  token: ghp_restart_token_0123
                  webhook_secret: %s
                pages:
                  token: %s
                repos:
                  example/app:
                    folder: %s
                    required_contexts: [ci/build]
                    ci_poll_interval: 10m
                    commands:
                      - [sh, -c, 'echo "deploying $AUTODEPLOY_DEPLOYMENT_ID at $AUTODEPLOY_SHA"; if [ "$AUTODEPLOY_DEPLOYMENT_ID" = 2 ]; then echo $$ > blocked.tmp; mv blocked.tmp blocked.pid; exec sleep 300; fi; echo "$AUTODEPLOY_DEPLOYMENT_ID" >> ran.txt']
                """.formatted(githubServer.url("/").toString().replaceAll("/$", ""), SECRET, PAGES_TOKEN, dir.resolve("work")));
    }

    private ServerProcess serve(String name, Path config) throws Exception {
        ServerProcess s = ServerProcess.start(name, config, Map.of());
        servers.add(s);
        return s;
    }

    private static byte[] deployment(long id) {
        ObjectNode p = SampleWebhooks.payload("deployment", Map.of("id", Long.toString(id), "user", "octocat"));
        return SampleWebhooks.bytes(p);
    }

    @Test
    void afterAKillNineTheNextStartFinishesWhatWasAcceptedAndRunsNothingTwice() throws Exception {
        githubServer.setDispatcher(github);
        github.ci(MERGE_SHA, "pending");
        Path config = config();
        Map<String, byte[]> deliveries = new LinkedHashMap<>();
        Map<String, String> events = new LinkedHashMap<>();

        ServerProcess first = serve("first", config);
        deliveries.put("restart-1", deployment(1));
        events.put("restart-1", "deployment");
        assertThat(Signed.post(first.hook(), SECRET, "deployment", "restart-1", deliveries.get("restart-1")).statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> github.states(1).contains("success"));

        deliveries.put("restart-2", deployment(2));
        events.put("restart-2", "deployment");
        assertThat(Signed.post(first.hook(), SECRET, "deployment", "restart-2", deliveries.get("restart-2")).statusCode()).isEqualTo(202);
        Path pidFile = dir.resolve("work/blocked.pid");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pidFile));
        long blocked = Long.parseLong(Files.readString(pidFile).strip());
        // Its first line reaches the store (and so the pages) while it runs.
        await().atMost(Duration.ofSeconds(30)).until(() -> log(first, 2).contains("deploying 2 at " + SampleWebhooks.SHA));

        deliveries.put("restart-3", deployment(3));
        events.put("restart-3", "deployment");
        assertThat(Signed.post(first.hook(), SECRET, "deployment", "restart-3", deliveries.get("restart-3")).statusCode()).isEqualTo(202);
        deliveries.put("restart-merge", SampleWebhooks.body("pull_request", Map.of("sha", MERGE_SHA, "user", "hubot")));
        events.put("restart-merge", "pull_request");
        var merge = Signed.post(first.hook(), SECRET, "pull_request", "restart-merge", deliveries.get("restart-merge"));
        assertThat(merge.statusCode()).as(merge.body()).isEqualTo(202);
        assertThat(merge.body()).contains("once CI allows");

        first.kill();
        assertThat(running(blocked)).as("the killed robot's step outlives it, in a session of its own").isTrue();
        List<String> finishedBefore = github.states(1);
        assertThat(github.created()).isEmpty();

        ServerProcess second = serve("second", config);
        await().atMost(Duration.ofSeconds(30)).until(() -> !running(blocked));
        await().atMost(Duration.ofSeconds(30)).until(() -> github.states(2).contains("error"));
        assertThat(withoutRepeats(github.states(2))).containsExactly("queued", "in_progress", "error");
        assertThat(github.statuses(2).get(github.statuses(2).size() - 1).description()).isEqualTo(INTERRUPTED);
        await().atMost(Duration.ofSeconds(30)).until(() -> github.states(3).contains("success"));
        assertThat(withoutRepeats(github.states(3))).containsExactly("queued", "in_progress", "success");
        assertThat(Files.readAllLines(dir.resolve("work/ran.txt"))).containsExactly("1", "3");
        assertThat(github.states(1)).isEqualTo(finishedBefore).containsExactly("queued", "in_progress", "success");

        // The pages of the new run show the whole history, with the killed run's logs.
        JsonNode list = pagesJson(second, "/deployments/api");
        assertThat(stateOf(list, 1)).isEqualTo("success");
        assertThat(stateOf(list, 2)).isEqualTo("error");
        assertThat(stateOf(list, 3)).isEqualTo("success");
        JsonNode one = detail(second, 1);
        assertThat(one.path("log").path("lines").toString()).contains("deploying 1 at " + SampleWebhooks.SHA);
        assertThat(one.path("steps").get(0).path("outcome").asText()).isEqualTo("succeeded");
        JsonNode two = detail(second, 2);
        assertThat(two.path("log").path("lines").toString()).contains("deploying 2 at " + SampleWebhooks.SHA);
        JsonNode twoHistory = two.path("history");
        assertThat(twoHistory.get(twoHistory.size() - 1).path("description").asText()).isEqualTo(INTERRUPTED);
        assertThat(log(second, 3)).contains("deploying 3 at " + SampleWebhooks.SHA);

        // Every earlier delivery, redelivered as it was or with a new delivery id, is a duplicate.
        for (Map.Entry<String, byte[]> d : deliveries.entrySet()) {
            var again = Signed.post(second.hook(), SECRET, events.get(d.getKey()), d.getKey(), d.getValue());
            assertThat(again.statusCode()).as("redelivery of %s: %s", d.getKey(), again.body()).isEqualTo(200);
            assertThat(again.body()).contains("\"result\":\"duplicate\"");
        }
        for (long id = 1; id <= 3; id++) {
            var replay = Signed.post(second.hook(), SECRET, "deployment", "restart-new-" + id, deployment(id));
            assertThat(replay.statusCode()).as("deployment %d under a new delivery id: %s", id, replay.body()).isEqualTo(200);
            assertThat(replay.body()).contains("\"result\":\"duplicate\"");
        }

        // The merge still waits for CI, and is deployed once its status turns green.
        assertThat(github.created()).isEmpty();
        github.ci(MERGE_SHA, "success");
        var green = Signed.post(second.hook(), SECRET, "status",
                SampleWebhooks.body("status", Map.of("sha", MERGE_SHA, "state", "success", "context", "ci/build")));
        assertThat(green.statusCode()).as(green.body()).isBetween(200, 202);
        await().atMost(Duration.ofSeconds(30)).until(() -> github.created().size() == 1);
        JsonNode created = github.created().get(0);
        assertThat(created.path("sha").asText()).isEqualTo(MERGE_SHA);
        assertThat(created.path("request").path("payload").path("autodeploy").path("requester").asText()).isEqualTo("hubot");
        assertThat(Files.readAllLines(dir.resolve("work/ran.txt"))).containsExactly("1", "3");
    }

    @Test
    void everyDeliveryAnsweredAcceptedAmongManyAtOnceIsStillThereAfterAKillNine() throws Exception {
        githubServer.setDispatcher(github);
        Path config = config();
        ServerProcess first = serve("first", config);
        // Eight senders at once, so that the store commits many deliveries together; killed mid-stream.
        Map<String, Long> accepted = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong(1000);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(8);
        for (int i = 0; i < 8; i++) {
            senders.submit(() -> {
                while (!stop.get()) {
                    long id = ids.incrementAndGet();
                    String delivery = "batch-" + id;
                    try {
                        if (Signed.post(first.hook(), SECRET, "deployment", delivery, deployment(id)).statusCode() == 202) {
                            accepted.put(delivery, id);
                        }
                    } catch (Exception e) {
                        return null; // the robot is gone: an answer that never came promised nothing
                    }
                }
                return null;
            });
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= 80);
        first.kill();
        stop.set(true);
        senders.shutdown();
        assertThat(senders.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        ServerProcess second = serve("second", config);
        for (Map.Entry<String, Long> d : accepted.entrySet()) {
            var again = Signed.post(second.hook(), SECRET, "deployment", d.getKey(), deployment(d.getValue()));
            assertThat(again.statusCode()).as("redelivery of %s, answered 202 before the kill: %s", d.getKey(), again.body())
                    .isEqualTo(200);
            assertThat(again.body()).contains("\"result\":\"duplicate\"");
        }
    }

    /** Whether {@code pid} runs (a zombie left for a reaper that never comes does not). */
    static boolean running(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The states in order, each run of the same state once (a status re-posted after a crash counts once). */
    static List<String> withoutRepeats(List<String> states) {
        List<String> out = new ArrayList<>();
        for (String s : states) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(s)) {
                out.add(s);
            }
        }
        return out;
    }

    private static JsonNode pagesJson(ServerProcess s, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(s.base() + path))
                .header("Authorization", "Bearer " + PAGES_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String stateOf(JsonNode list, long id) {
        for (JsonNode d : list) {
            if (d.path("id").asLong() == id) {
                return d.path("state").asText();
            }
        }
        return "absent";
    }

    /** The page of deployment {@code id} as JSON, through the link the list gives. */
    private static JsonNode detail(ServerProcess s, long id) throws Exception {
        for (JsonNode d : pagesJson(s, "/deployments/api")) {
            if (d.path("id").asLong() == id) {
                String url = d.path("url").asText();
                String path = url.startsWith("http") ? URI.create(url).getPath() : url;
                return pagesJson(s, path + "/api");
            }
        }
        throw new AssertionError("deployment " + id + " is not on the pages of " + s.base());
    }

    private static String log(ServerProcess s, long id) throws Exception {
        return detail(s, id).path("log").path("lines").toString();
    }
}
