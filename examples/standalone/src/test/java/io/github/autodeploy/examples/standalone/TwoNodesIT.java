package io.github.autodeploy.examples.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.github.sample.SampleWebhooks;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two standalone processes on one PostgreSQL database, as two nodes behind a load balancer that
 * both get every delivery, and one fake GitHub. The commands append start and end lines (with a
 * timestamp in nanoseconds and the node's name) to one file per lane in a folder both nodes share,
 * so that runs of a lane on either node are seen in one order.
 */
class TwoNodesIT {
    private static final String SECRET = "two-nodes-webhook-secret";
    private static final int LANES = 10;
    private static final int TOTAL = 300;
    private static final long BLOCKING = 1001;
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final String INTERRUPTED = "interrupted: the robot running it stopped before it ended; deploy again to retry";
    /** Notes a start and an end line; deployment 1001 notes its node and pid, then blocks. */
    private static final String SCRIPT = "f=\"$(basename \"$AUTODEPLOY_REPOSITORY\").log\"; "
            + "echo \"start $AUTODEPLOY_DEPLOYMENT_ID $(date +%s%N) $NODE\" >> \"$f\"; "
            + "if [ \"$AUTODEPLOY_DEPLOYMENT_ID\" = " + BLOCKING + " ]; then echo \"$NODE $$\" > blocked.tmp; mv blocked.tmp blocked.pid; exec sleep 300; fi; "
            + "echo \"end $AUTODEPLOY_DEPLOYMENT_ID $(date +%s%N) $NODE\" >> \"$f\"";
    @StartStop
    private final MockWebServer githubServer = new MockWebServer();
    private final FakeGitHub github = new FakeGitHub();
    private final ExecutorService senders = Executors.newFixedThreadPool(2);
    private final Map<String, ServerProcess> nodes = new HashMap<>();
    @TempDir
    Path dir;

    @BeforeEach
    void bothNodesOnOneFreshSchema() throws Exception {
        Assumptions.assumeTrue(TestPostgres.url().isPresent(), TestPostgres::whyNone);
        githubServer.setDispatcher(github);
        Path shared = Files.createDirectories(dir.resolve("shared"));
        StringBuilder repos = new StringBuilder();
        for (int lane = 0; lane < LANES; lane++) {
            repos.append(rule("octo/lane" + lane, shared));
        }
        repos.append(rule("octo/blocker", shared));
        String config = """
                github:
                  api_url: %s
                  token: ghp_two_nodes_token_0123
                  webhook_secret: %s
                pages:
                  token: two-nodes-pages-token
                store:
                  url: "%s"
                  lease_timeout: %ds
                engine:
                  workers: %d
                  queue_capacity: 1000
                repos:
                %s""".formatted(githubServer.url("/").toString().replaceAll("/$", ""), SECRET, TestPostgres.freshSchemaUrl(),
                LEASE.toSeconds(), LANES + 1, repos);
        // Each node has its own copy of the same config, as on two machines (its own state folder).
        for (String name : List.of("a", "b")) {
            Path file = Files.createDirectories(dir.resolve("node-" + name)).resolve("autodeploy.yml");
            Files.writeString(file, config);
            nodes.put(name, ServerProcess.start("node-" + name, file, Map.of("NODE", name)));
        }
    }

    private static String rule(String repo, Path folder) {
        return "  %s:\n    folder: %s\n    required_contexts: []\n    supersede: false\n    on: []\n    commands:\n      - [sh, -c, '%s']\n"
                .formatted(repo, folder, SCRIPT);
    }

    @AfterEach
    void stopEverything() throws Exception {
        senders.shutdownNow();
        for (ServerProcess s : nodes.values()) {
            s.close();
        }
        Path pid = dir.resolve("shared/blocked.pid");
        if (Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pid).strip().split(" ")[1])).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * Delivers deployment {@code id} to both nodes at once, the first in random order; even ids as one
     * delivery sent twice, odd ones as two deliveries of the same deployment. Returns both answers.
     */
    private List<HttpResponse<String>> toBoth(long id, String repo, Random random) {
        byte[] body = SampleWebhooks.body("deployment", Map.of("id", Long.toString(id), "repo", repo));
        List<ServerProcess> order = new ArrayList<>(List.of(nodes.get("a"), nodes.get("b")));
        if (random.nextBoolean()) {
            order = List.of(order.get(1), order.get(0));
        }
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            ServerProcess node = order.get(k);
            String delivery = "delivery-" + id + (id % 2 == 0 ? "" : "-" + k);
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return Signed.post(node.hook(), SECRET, "deployment", delivery, body);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, senders));
        }
        return answers.stream().map(CompletableFuture::join).toList();
    }

    private static void acceptedOnceDuplicateOnce(long id, List<HttpResponse<String>> answers) {
        assertThat(answers).extracting(HttpResponse::statusCode).as("answers for %d: %s", id,
                answers.stream().map(HttpResponse::body).toList()).containsExactlyInAnyOrder(202, 200);
        assertThat(answers.stream().filter(a -> a.statusCode() == 200).findFirst().orElseThrow().body())
                .contains("\"result\":\"duplicate\"");
    }

    @Test
    void deploymentsDeliveredToBothNodesRunOnceEachWithoutOverlapAndTheSurvivorOfAKillCarriesOn() throws Exception {
        Random random = new Random(14);
        long began = System.nanoTime();
        for (long id = 1; id <= TOTAL; id++) {
            acceptedOnceDuplicateOnce(id, toBoth(id, "octo/lane" + (id % LANES), random));
        }
        long sent = System.nanoTime();
        await().atMost(Duration.ofMinutes(3)).until(() -> finished() == TOTAL);
        long done = System.nanoTime();
        System.out.printf("[TwoNodesIT] %d deployments over %d lanes delivered to both nodes: all answered in %d ms, "
                        + "all finished %d ms after the first delivery%n", TOTAL, LANES, (sent - began) / 1_000_000,
                (done - began) / 1_000_000);

        Set<Long> ran = new HashSet<>();
        for (int lane = 0; lane < LANES; lane++) {
            List<String> lines = Files.readAllLines(dir.resolve("shared/lane" + lane + ".log"));
            assertThat(lines).as("lane %d", lane).hasSize(2 * TOTAL / LANES);
            long lastEnd = Long.MIN_VALUE;
            long lastId = 0;
            for (int k = 0; k < lines.size(); k += 2) {
                String[] start = lines.get(k).split(" ");
                String[] end = lines.get(k + 1).split(" ");
                assertThat(start[0]).as("lane %d line %d", lane, k).isEqualTo("start");
                assertThat(end[0]).as("lane %d line %d", lane, k + 1).isEqualTo("end");
                assertThat(end[1]).as("a run's end follows its own start").isEqualTo(start[1]);
                assertThat(end[3]).as("a run starts and ends on one node").isEqualTo(start[3]);
                long id = Long.parseLong(start[1]);
                long from = Long.parseLong(start[2]);
                long to = Long.parseLong(end[2]);
                assertThat(from).as("lane %d: run of %d starts after the previous run ended", lane, id).isGreaterThan(lastEnd);
                assertThat(to).isGreaterThanOrEqualTo(from);
                assertThat(id).as("lane %d keeps the order of its deployments", lane).isGreaterThan(lastId);
                assertThat(ran.add(id)).as("deployment %d runs once", id).isTrue();
                lastEnd = to;
                lastId = id;
            }
        }
        assertThat(ran).hasSize(TOTAL);
        for (long id = 1; id <= TOTAL; id++) {
            assertThat(github.states(id)).as("statuses of %d", id).containsExactly("queued", "in_progress", "success");
        }

        // A lane whose running deployment blocks, with three more queued behind it, all delivered to both.
        acceptedOnceDuplicateOnce(BLOCKING, toBoth(BLOCKING, "octo/blocker", random));
        Path pidFile = dir.resolve("shared/blocked.pid");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pidFile));
        String runner = Files.readString(pidFile).strip().split(" ")[0];
        String survivor = runner.equals("a") ? "b" : "a";
        for (long id = BLOCKING + 1; id <= BLOCKING + 3; id++) {
            acceptedOnceDuplicateOnce(id, toBoth(id, "octo/blocker", random));
        }
        nodes.get(runner).kill();
        Instant killed = Instant.now();
        await().atMost(LEASE.multipliedBy(10)).until(() -> github.states(BLOCKING).contains("error")
                && github.states(BLOCKING + 3).contains("success"));
        Instant marked = github.statuses(BLOCKING).stream().filter(s -> s.state().equals("error")).findFirst().orElseThrow().at();
        Instant queueDone = github.statuses(BLOCKING + 3).stream().filter(s -> s.state().equals("success")).findFirst()
                .orElseThrow().at();
        System.out.printf("[TwoNodesIT] node %s killed while running %d (lease timeout %d s): node %s marked it error %d ms "
                        + "after the kill and finished the lane's queue %d ms after it%n", runner, BLOCKING, LEASE.toSeconds(),
                survivor, Duration.between(killed, marked).toMillis(), Duration.between(killed, queueDone).toMillis());

        assertThat(RestartIT.withoutRepeats(github.states(BLOCKING))).containsExactly("queued", "in_progress", "error");
        assertThat(github.statuses(BLOCKING).get(github.statuses(BLOCKING).size() - 1).description()).isEqualTo(INTERRUPTED);
        for (long id = BLOCKING + 1; id <= BLOCKING + 3; id++) {
            List<String> states = github.states(id);
            assertThat(RestartIT.withoutRepeats(states)).as("statuses of %d", id).containsExactly("queued", "in_progress", "success");
            assertThat(states.stream().filter(s -> s.equals("success") || s.equals("error") || s.equals("failure")))
                    .as("one terminal status for %d", id).hasSize(1);
        }
        List<String> blockerLines = Files.readAllLines(dir.resolve("shared/blocker.log"));
        assertThat(blockerLines).extracting(l -> l.split(" ")[0] + " " + l.split(" ")[1]).containsExactly(
                "start 1001", "start 1002", "end 1002", "start 1003", "end 1003", "start 1004", "end 1004");
        assertThat(blockerLines.subList(1, blockerLines.size())).extracting(l -> l.split(" ")[3]).containsOnly(survivor);
    }

    private int finished() {
        int n = 0;
        for (long id = 1; id <= TOTAL; id++) {
            if (github.states(id).contains("success")) {
                n++;
            }
        }
        return n;
    }
}
