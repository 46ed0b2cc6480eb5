package io.github.autodeploy.store.jdbc;

import io.github.autodeploy.testkit.CuttableProxy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.config.RawConfig;
import io.github.autodeploy.core.config.RawEngine;
import io.github.autodeploy.core.config.RawGitHub;
import io.github.autodeploy.core.config.RawRepo;
import io.github.autodeploy.core.config.RawRule;
import io.github.autodeploy.core.config.RobotConfig;
import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.core.engine.Receipt;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.core.plan.CommandStep;
import io.github.autodeploy.core.port.Cancellation;
import io.github.autodeploy.core.port.CommandRunner;
import io.github.autodeploy.core.port.CreateResult;
import io.github.autodeploy.core.port.DeploymentApi;
import io.github.autodeploy.core.port.NewDeployment;
import io.github.autodeploy.core.port.Notifier;
import io.github.autodeploy.core.port.OutputSink;
import io.github.autodeploy.core.port.StatusPost;
import io.github.autodeploy.core.port.UnfinishedDeployment;
import io.github.autodeploy.core.time.TimeSource;
import io.github.autodeploy.testkit.FakeCommitChecks;
import io.github.autodeploy.testkit.FakeDeploymentApi;
import io.github.autodeploy.testkit.ScriptedRunner;
import io.github.autodeploy.testkit.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two robots on one PostgreSQL database, as two nodes behind a load balancer, sharing one GitHub
 * and one command log (so that runs of a lane on either node are seen in one order). A node is
 * "killed" by closing its store under it and cutting it off from GitHub and its commands.
 */
class TwoRobotsOnPostgresTest {
    private static final int LANES = 10;
    private static final Duration LEASE = Duration.ofSeconds(2);
    private final FakeDeploymentApi github = new FakeDeploymentApi();
    private final ScriptedRunner commands = new ScriptedRunner();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final ExecutorService senders = Executors.newFixedThreadPool(2);
    private String url;

    @BeforeEach
    void freshDatabase() {
        url = TestPostgres.freshSchemaUrl();
    }

    @AfterEach
    void closeAll() throws Exception {
        commands.release();
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        senders.shutdownNow();
    }

    private static RobotConfig config() {
        RawRule rule = RawRule.builder().folder("/srv/app").commands(List.of("${task}")).requiredContexts(List.of())
                .supersede(false).build();
        Map<String, RawRepo> repos = new LinkedHashMap<>();
        for (int lane = 0; lane < LANES; lane++) {
            repos.put("octo/app" + lane, RawRepo.of(rule));
        }
        return new RawConfig(new RawGitHub(Optional.empty(), Optional.of("ghp_test_token_123"), List.of("webhook-secret-1"), false),
                Optional.empty(), Optional.of("https://deploy.example.com"), repos,
                new RawEngine(Optional.of(LANES), Optional.of(1000), Optional.of("2s"), Optional.empty(), Optional.empty())).resolve();
    }

    /** One node: its own store (pool, owner id), the shared GitHub and commands, each behind a switch that kills it. */
    private final class Node {
        final JdbcDeploymentStore store;
        final Autodeploy robot;
        volatile boolean dead;

        Node(String name) {
            this(name, url);
        }

        Node(String name, String storeUrl) {
            this(name, storeUrl, LEASE);
        }

        Node(String name, String storeUrl, Duration lease) {
            store = JdbcDeploymentStore.builder().url(storeUrl).nodeId(name).leaseTimeout(lease).connectTimeout(Duration.ofSeconds(1))
                    .build();
            robot = Autodeploy.builder(config()).deploymentApi(new Cut(github, this)).commitChecks(new FakeCommitChecks())
                    .notifier(Notifier.none()).commandRunner(new CutRunner(commands, this)).store(store)
                    .timeSource(TimeSource.system()).build();
            closing.add(store);
            closing.add(robot);
            robot.start();
        }

        Receipt deliver(String deliveryId, Deployment d) {
            return robot.handle(DeliveryId.of(deliveryId), new WebhookEvent.DeploymentCreated(d));
        }

        /** As a kill -9: its database connections go (so its locks), and nothing it does reaches GitHub or a command. */
        void kill() {
            dead = true;
            store.close();
        }
    }

    private Deployment deployment(long id, int lane, String script) {
        Deployment d = new Deployment(RepositoryName.of("octo/app" + lane), DeploymentId.of(id), Values.SHA, GitRef.of("main"),
                EnvironmentName.PRODUCTION, script, Values.OCTOCAT, "{}", "");
        github.givenDeployment(d);
        return d;
    }

    /** Delivers one deployment to both nodes at once, in random order; returns their two receipts. */
    private List<Receipt> toBoth(Node a, Node b, Deployment d, Random random) {
        Node first = random.nextBoolean() ? a : b;
        Node second = first == a ? b : a;
        String delivery = "delivery-" + d.id();
        CompletableFuture<Receipt> one = CompletableFuture.supplyAsync(() -> first.deliver(delivery, d), senders);
        CompletableFuture<Receipt> two = CompletableFuture.supplyAsync(() -> second.deliver(delivery, d), senders);
        return List.of(one.join(), two.join());
    }

    @Test
    void threeHundredDeploymentsDeliveredToBothNodesEachRunOnceAndNoLaneOverlaps() {
        Node a = new Node("node-a");
        Node b = new Node("node-b");
        Random random = new Random(14);
        int total = 300;
        for (int i = 1; i <= total; i++) {
            List<Receipt> receipts = toBoth(a, b, deployment(i, i % LANES, "ok"), random);
            assertThat(receipts).extracting(Receipt::kind).as("deployment %d", i)
                    .containsExactlyInAnyOrder(Receipt.Kind.ACCEPTED, Receipt.Kind.DUPLICATE);
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> finished(total) == total);
        Map<String, Integer> runs = new HashMap<>();
        Map<String, String> runningIn = new HashMap<>();
        for (ScriptedRunner.Event e : commands.events()) {
            if (e.start()) {
                assertThat(runningIn.get(e.lane())).as("lane %s runs one at a time, across nodes", e.lane()).isNull();
                runningIn.put(e.lane(), e.deploymentId());
                runs.merge(e.deploymentId(), 1, Integer::sum);
            } else {
                assertThat(runningIn.remove(e.lane())).isEqualTo(e.deploymentId());
            }
        }
        assertThat(runs).hasSize(total).allSatisfy((id, n) -> assertThat(n).as("runs of %s", id).isEqualTo(1));
        for (int i = 1; i <= total; i++) {
            assertThat(github.states(DeploymentId.of(i))).as("statuses of %d", i)
                    .containsExactly(DeploymentState.QUEUED, DeploymentState.IN_PROGRESS, DeploymentState.SUCCESS);
        }
        // Each lane ran its deployments in order of id, whichever node took them.
        Map<String, Long> lastInLane = new HashMap<>();
        for (ScriptedRunner.Event e : commands.events()) {
            if (e.start()) {
                long id = Long.parseLong(e.deploymentId());
                assertThat(id).isGreaterThan(lastInLane.getOrDefault(e.lane(), 0L));
                lastInLane.put(e.lane(), id);
            }
        }
        // The pages of either node show every deployment.
        assertThat(a.robot.recent(1000)).hasSize(total);
        assertThat(b.robot.recent(1000)).hasSize(total);
    }

    private int finished(int total) {
        int n = 0;
        for (int i = 1; i <= total; i++) {
            if (github.states(DeploymentId.of(i)).contains(DeploymentState.SUCCESS)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void whenTheNodeRunningADeploymentDiesTheOtherMarksItAndRunsTheLanesQueue() {
        Node a = new Node("node-a");
        Node b = new Node("node-b");
        Deployment running = deployment(1, 0, "block");
        assertThat(a.deliver("delivery-1", running).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
        await().until(() -> github.states(running.id()).contains(DeploymentState.IN_PROGRESS));
        Random random = new Random(3);
        Deployment second = deployment(2, 0, "ok");
        Deployment third = deployment(3, 0, "ok");
        toBoth(a, b, second, random);
        toBoth(a, b, third, random);
        // Posting is at least once: a status that reached GitHub but whose record died with the node is
        // posted again by the node that takes over. This test is about the run, not that window.
        awaitPostedRecorded(b, running, second, third);
        a.kill();
        // The queue may run as soon as the dead node's lock is gone; the mark waits for its lease to run out.
        await().atMost(Duration.ofSeconds(30)).until(() -> github.states(third.id()).contains(DeploymentState.SUCCESS)
                && github.states(running.id()).contains(DeploymentState.ERROR));
        assertThat(github.states(running.id()))
                .containsExactly(DeploymentState.QUEUED, DeploymentState.IN_PROGRESS, DeploymentState.ERROR);
        assertThat(github.statuses(running.id()).get(2).update().description())
                .isEqualTo("interrupted: the robot running it stopped before it ended; deploy again to retry");
        assertThat(github.states(second.id())).containsExactly(DeploymentState.QUEUED, DeploymentState.IN_PROGRESS,
                DeploymentState.SUCCESS);
        assertThat(github.states(third.id())).containsExactly(DeploymentState.QUEUED, DeploymentState.IN_PROGRESS,
                DeploymentState.SUCCESS);
        assertThat(b.robot.find(running.id()).orElseThrow().state()).isEqualTo(DeploymentState.ERROR);
        assertThat(commands.started()).containsExactly("1", "2", "3");
    }

    @Test
    void aNodeCutOffFromTheDatabaseStopsItsRunBeforeTheOtherTakesTheLaneAndReportsNothingTwice() throws Exception {
        try (CuttableProxy proxy = proxyToDatabase()) {
            Node a = new Node("node-a", throughProxy(proxy));
            Node b = new Node("node-b");
            Deployment running = deployment(1, 0, "block");
            Deployment next = deployment(2, 0, "ok");
            assertThat(a.deliver("delivery-1", running).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            await().until(() -> github.states(running.id()).contains(DeploymentState.IN_PROGRESS));
            assertThat(a.deliver("delivery-2", next).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            // Cut only once the statuses so far are posted and recorded: one that reached GitHub but not the
            // record is posted again by whoever takes it over (at least once), which is not what this tests.
            awaitPostedRecorded(b, running, next);
            proxy.cut(); // node a lives on, and still reaches GitHub and its commands, but not the database
            await().atMost(Duration.ofSeconds(30)).until(() -> github.states(next.id()).contains(DeploymentState.SUCCESS));
            proxy.mend();
            await().atMost(Duration.ofSeconds(30)).until(() -> github.states(running.id()).contains(DeploymentState.ERROR));
            // Node a comes back: it neither reports the run it stopped nor runs what node b ran.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                    github.states(running.id()).size() == 3 && github.states(next.id()).size() == 3);
            assertThat(github.states(running.id()))
                    .containsExactly(DeploymentState.QUEUED, DeploymentState.IN_PROGRESS, DeploymentState.ERROR);
            assertThat(github.states(next.id()))
                    .containsExactly(DeploymentState.QUEUED, DeploymentState.IN_PROGRESS, DeploymentState.SUCCESS);
            // The stopped run ended before the other node started the lane's next deployment.
            List<ScriptedRunner.Event> events = commands.events();
            assertThat(events).extracting(e -> e.deploymentId() + (e.start() ? " start" : " end"))
                    .containsExactly("1 start", "1 end", "2 start", "2 end");
            assertThat(b.robot.find(next.id()).orElseThrow().state()).isEqualTo(DeploymentState.SUCCESS);
            assertThat(a.robot.find(next.id()).orElseThrow().state()).isEqualTo(DeploymentState.SUCCESS);
        }
    }

    @Test
    void aNodeWhoseLockWentWithABriefDatabaseDropKeepsItsLaneWhileItStillRuns() throws Exception {
        try (CuttableProxy proxy = proxyToDatabase()) {
            // A lease long enough that the blip never stops node a's run: only its lock goes with it.
            Node a = new Node("node-a", throughProxy(proxy), Duration.ofSeconds(10));
            Node b = new Node("node-b", url, Duration.ofSeconds(10));
            Deployment running = deployment(1, 0, "block");
            Deployment next = deployment(2, 0, "ok");
            assertThat(a.deliver("delivery-1", running).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            await().until(() -> github.states(running.id()).contains(DeploymentState.IN_PROGRESS));
            proxy.cut(); // node a's sessions end, and with them its lane lock; its run and its leases go on
            proxy.mend();
            assertThat(b.deliver("delivery-2", next).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                    .until(() -> commands.started().equals(List.of("1")));
            commands.release();
            await().atMost(Duration.ofSeconds(30)).until(() -> github.states(next.id()).contains(DeploymentState.SUCCESS));
            assertThat(commands.events()).extracting(e -> e.deploymentId() + (e.start() ? " start" : " end"))
                    .containsExactly("1 start", "1 end", "2 start", "2 end");
        }
    }

    /** Waits until the store knows that GitHub has each of the statuses the deployments have had so far. */
    private void awaitPostedRecorded(Node reader, Deployment... deployments) {
        for (Deployment d : deployments) {
            await().atMost(Duration.ofSeconds(10)).until(() -> reader.store.postedCount(d.id()) >= github.states(d.id()).size());
        }
    }

    /** A proxy to the test database, which a test cuts to take a node's database away. */
    private CuttableProxy proxyToDatabase() throws java.io.IOException {
        java.net.URI real = java.net.URI.create(url.substring("jdbc:".length()));
        return new CuttableProxy(real.getHost(), real.getPort());
    }

    /** The test database's URL, through {@code proxy}. */
    private String throughProxy(CuttableProxy proxy) {
        java.net.URI real = java.net.URI.create(url.substring("jdbc:".length()));
        return "jdbc:postgresql://127.0.0.1:" + proxy.port() + real.getRawPath() + "?" + real.getRawQuery();
    }

    /** GitHub as a node sees it: gone once the node is dead. */
    private record Cut(DeploymentApi github, Node node) implements DeploymentApi {
        private void alive() {
            if (node.dead) {
                throw new IllegalStateException("this node is dead");
            }
        }

        @Override
        public CreateResult create(NewDeployment request) {
            alive();
            return github.create(request);
        }

        @Override
        public Optional<DeploymentId> find(NewDeployment request) {
            alive();
            return github.find(request);
        }

        @Override
        public void postStatus(RepositoryName repository, DeploymentId id, StatusPost status) {
            alive();
            github.postStatus(repository, id, status);
        }

        @Override
        public List<UnfinishedDeployment> listUnfinished(RepositoryName repository, EnvironmentName environment) {
            alive();
            return github.listUnfinished(repository, environment);
        }
    }

    /** Commands as a node runs them: a dead node's steps end at once, unseen. */
    private record CutRunner(CommandRunner commands, Node node) implements CommandRunner {
        @Override
        public StepResult run(CommandStep step, OutputSink sink, Cancellation cancellation) {
            if (node.dead) {
                return new StepResult(StepResult.Outcome.CANCELLED, -1, Duration.ZERO, "cancelled: the node is dead");
            }
            return commands.run(step, sink, cancellation);
        }
    }
}
