package io.github.autodeploy.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.config.RawConfig;
import io.github.autodeploy.core.config.RawEngine;
import io.github.autodeploy.core.config.RawGitHub;
import io.github.autodeploy.core.config.RawRepo;
import io.github.autodeploy.core.config.RobotConfig;
import io.github.autodeploy.core.config.RawRule;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.local.InMemoryDeploymentStore;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.testkit.FakeCommitChecks;
import io.github.autodeploy.testkit.FakeDeploymentApi;
import io.github.autodeploy.testkit.RecordingNotifier;
import io.github.autodeploy.testkit.ScriptedRunner;
import io.github.autodeploy.testkit.Values;
import io.github.autodeploy.testkit.ManualTimeSource;
import io.github.autodeploy.core.time.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A robot wired to fakes, for engine tests, on a time source the test moves by hand. Commands are
 * {@code [[${task}]]}: a deployment's task is its script.
 */
final class Harness implements AutoCloseable {
    static final String TOKEN = "ghp_test_token_123";
    static final String PUBLIC_URL = "https://deploy.example.com";
    final FakeDeploymentApi api = new FakeDeploymentApi();
    final FakeCommitChecks checks = new FakeCommitChecks();
    final RecordingNotifier notifier = new RecordingNotifier();
    final ScriptedRunner runner = new ScriptedRunner();
    final InMemoryDeploymentStore store = InMemoryDeploymentStore.create(100, 64 * 1024);
    final ManualTimeSource time = ManualTimeSource.at("2026-11-27T10:00:00Z");
    final RobotConfig config;
    final Autodeploy robot;
    private final AtomicInteger deliveries = new AtomicInteger();
    /** Harnesses number their deliveries apart, so robots sharing a store never see each other's as redeliveries. */
    private static final AtomicInteger HARNESSES = new AtomicInteger();
    private final int harness = HARNESSES.incrementAndGet();

    Harness(RobotConfig config, Consumer<Autodeploy.Builder> wiring) {
        this.config = config;
        Autodeploy.Builder b = Autodeploy.builder(config).deploymentApi(api).commitChecks(checks).notifier(notifier)
                .commandRunner(runner).store(store).timeSource(time)
                .statusRetry(RetryPolicy.of(Duration.ofMillis(5), Duration.ofMillis(50)));
        wiring.accept(b);
        this.robot = b.build();
    }

    static RawRule.Builder rule() {
        return RawRule.builder().folder("/srv/app").commands(List.of("${task}")).requiredContexts(List.of());
    }

    static RobotConfig config(RawRule rule, RawEngine engine) {
        return config(Map.of("octo/app", RawRepo.of(rule)), engine, Optional.of(TOKEN));
    }

    static RobotConfig config(Map<String, RawRepo> repos, RawEngine engine, Optional<String> token) {
        return new RawConfig(new RawGitHub(Optional.empty(), token, List.of("webhook-secret-1"), false),
                Optional.empty(), Optional.of(PUBLIC_URL), repos, engine).resolve();
    }

    static Harness of(RawRule rule) {
        return new Harness(config(rule, RawEngine.defaults()), b -> { });
    }

    static RawEngine engine(int workers, int capacity, String grace) {
        return new RawEngine(Optional.of(workers), Optional.of(capacity), Optional.of(grace), Optional.empty(), Optional.empty());
    }

    /** A deployment as GitHub would send it: it exists on the fake GitHub first. */
    Deployment deployment(long id, String script) {
        return deployment(id, script, EnvironmentName.PRODUCTION);
    }

    Deployment deployment(long id, String script, EnvironmentName env) {
        Deployment base = Values.deployment(id, Values.REPO, env);
        Deployment d = new Deployment(base.repository(), base.id(), base.sha(), GitRef.of("main"), env, script,
                base.requester(), base.payloadJson(), "");
        api.givenDeployment(d);
        return d;
    }

    Receipt send(WebhookEvent event) {
        return robot.handle(DeliveryId.of("delivery-" + harness + "-" + deliveries.incrementAndGet()), event);
    }

    Receipt deploy(Deployment d) {
        return send(new WebhookEvent.DeploymentCreated(d));
    }

    void awaitStates(long id, DeploymentState... states) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(api.states(DeploymentId.of(id))).containsExactly(states));
    }

    /** Moves time on by {@code step} at a time until {@code condition} holds. */
    void advanceUntil(Duration step, Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(() -> {
            time.advance(step);
            return condition.call();
        });
    }

    /** Closes the robot while time passes (100 ms of it every few real ones), so grace periods and retries run out. */
    void closeWhileTimePasses() {
        AtomicBoolean closed = new AtomicBoolean();
        Thread ticker = new Thread(() -> advanceUntil(Duration.ofMillis(100), closed::get), "test-time");
        ticker.setDaemon(true);
        ticker.start();
        try {
            robot.close();
        } finally {
            closed.set(true);
        }
    }

    @Override
    public void close() {
        runner.release();
        api.releasePosts();
        closeWhileTimePasses();
    }
}
