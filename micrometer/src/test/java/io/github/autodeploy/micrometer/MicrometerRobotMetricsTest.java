package io.github.autodeploy.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.config.RawConfig;
import io.github.autodeploy.core.config.RawEngine;
import io.github.autodeploy.core.config.RawGitHub;
import io.github.autodeploy.core.config.RawRepo;
import io.github.autodeploy.core.config.RawRule;
import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.core.engine.Receipt;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.local.InMemoryDeploymentStore;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.port.Notifier;
import io.github.autodeploy.core.time.RetryPolicy;
import io.github.autodeploy.testkit.FakeCommitChecks;
import io.github.autodeploy.testkit.FakeDeploymentApi;
import io.github.autodeploy.testkit.ManualTimeSource;
import io.github.autodeploy.testkit.ScriptedRunner;
import io.github.autodeploy.testkit.Values;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real robot on fakes reporting to a {@link SimpleMeterRegistry}: the meters' values after a known sequence. */
class MicrometerRobotMetricsTest {
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerRobotMetrics metrics = new MicrometerRobotMetrics(registry);
    private final FakeDeploymentApi api = new FakeDeploymentApi();
    private final ScriptedRunner runner = new ScriptedRunner();
    private final ManualTimeSource time = ManualTimeSource.at("2026-11-27T10:00:00Z");

    private Autodeploy robot() {
        RawRule rule = RawRule.builder().folder("/srv/app").commands(List.of("${task}")).requiredContexts(List.of()).build();
        var config = new RawConfig(new RawGitHub(Optional.empty(), Optional.of("ghp_test_token_123"), List.of("webhook-secret-1"), false),
                Optional.empty(), Optional.of("https://deploy.example.com"), Map.of("octo/app", RawRepo.of(rule)),
                RawEngine.defaults()).resolve();
        return Autodeploy.builder(config).deploymentApi(api).commitChecks(new FakeCommitChecks()).notifier(Notifier.none())
                .commandRunner(runner).store(InMemoryDeploymentStore.create(100, 64 * 1024)).timeSource(time)
                .statusRetry(RetryPolicy.of(Duration.ofMillis(5), Duration.ofMillis(50))).metrics(metrics).build();
    }

    private Deployment deployment(long id, String script, EnvironmentName env) {
        Deployment base = Values.deployment(id, Values.REPO, env);
        Deployment d = new Deployment(base.repository(), base.id(), base.sha(), GitRef.of("main"), env, script,
                base.requester(), base.payloadJson(), "");
        api.givenDeployment(d);
        return d;
    }

    private void awaitState(long id, DeploymentState state) {
        await().atMost(Duration.ofSeconds(20)).until(() -> api.states(DeploymentId.of(id)).contains(state));
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Test
    void metersHoldTheValuesOfAKnownSequenceOfDeliveriesAndDeployments() {
        Autodeploy robot = robot();
        try {
            robot.start();
            await().until(() -> robot.health().recovered());
            WebhookEvent first = new WebhookEvent.DeploymentCreated(deployment(1, "block", EnvironmentName.PRODUCTION));
            assertThat(robot.handle(DeliveryId.of("d-1"), first).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            assertThat(robot.handle(DeliveryId.of("d-1"), first).kind()).isEqualTo(Receipt.Kind.DUPLICATE);
            awaitState(1, DeploymentState.IN_PROGRESS);
            robot.handle(DeliveryId.of("d-2"), new WebhookEvent.DeploymentCreated(deployment(2, "fail 1", EnvironmentName.PRODUCTION)));
            robot.handle(DeliveryId.of("d-3"), new WebhookEvent.DeploymentCreated(deployment(3, "ok", EnvironmentName.of("staging"))));
            robot.metrics().webhookDelivery("unknown", "bad_signature");

            time.advance(Duration.ofSeconds(3));
            await().until(() -> registry.get(MicrometerRobotMetrics.LANE_QUEUE_DEPTH)
                    .tags("repository", "octo/app", "environment", "production").gauge().value() == 1.0);
            runner.release();
            awaitState(1, DeploymentState.SUCCESS);
            awaitState(2, DeploymentState.FAILURE);
            await().until(() -> registry.find(MicrometerRobotMetrics.DEPLOYMENTS).counters().size() == 2);

            assertThat(count(MicrometerRobotMetrics.WEBHOOK_DELIVERIES, "event", "deployment", "answer", "accepted")).isEqualTo(2.0);
            assertThat(count(MicrometerRobotMetrics.WEBHOOK_DELIVERIES, "event", "deployment", "answer", "duplicate")).isEqualTo(1.0);
            assertThat(count(MicrometerRobotMetrics.WEBHOOK_DELIVERIES, "event", "deployment", "answer", "ignored")).isEqualTo(1.0);
            assertThat(count(MicrometerRobotMetrics.WEBHOOK_DELIVERIES, "event", "unknown", "answer", "bad_signature")).isEqualTo(1.0);
            assertThat(count(MicrometerRobotMetrics.DEPLOYMENTS, "repository", "octo/app", "environment", "production",
                    "outcome", "success")).isEqualTo(1.0);
            assertThat(count(MicrometerRobotMetrics.DEPLOYMENTS, "outcome", "failure")).isEqualTo(1.0);
            Timer queued = registry.get(MicrometerRobotMetrics.DEPLOYMENT_QUEUED).timer();
            assertThat(queued.count()).isEqualTo(2);
            assertThat(queued.totalTime(TimeUnit.SECONDS)).isEqualTo(3.0);
            assertThat(queued.max(TimeUnit.SECONDS)).isEqualTo(3.0);
            Timer ranOk = registry.get(MicrometerRobotMetrics.DEPLOYMENT_RUN).tags("outcome", "success").timer();
            assertThat(ranOk.count()).isEqualTo(1);
            assertThat(ranOk.totalTime(TimeUnit.SECONDS)).isEqualTo(3.0);
            assertThat(registry.get(MicrometerRobotMetrics.DEPLOYMENT_RUN).tags("outcome", "failure").timer().count()).isEqualTo(1);
            assertThat(registry.find(MicrometerRobotMetrics.GITHUB_RATELIMIT_REMAINING).gauge()).isNull();
        } finally {
            runner.release();
            robot.close();
        }
    }

    @Test
    void gaugesFollowTheLastValueAndSlackAndGitHubCountsAddUp() {
        metrics.githubRateLimitRemaining(4999);
        metrics.githubRateLimitRemaining(4990);
        metrics.outboxPending(7);
        metrics.githubCall("create_deployment", "2xx");
        metrics.githubCall("create_deployment", "2xx");
        metrics.githubCall("check_runs", "rate_limited");
        metrics.slackMessages("sent", 3);
        metrics.slackMessages("dropped", 2);
        metrics.ciWaited(Values.REPO, EnvironmentName.PRODUCTION, "deployed", Duration.ofSeconds(90));

        assertThat(registry.get(MicrometerRobotMetrics.GITHUB_RATELIMIT_REMAINING).gauge().value()).isEqualTo(4990.0);
        assertThat(registry.get(MicrometerRobotMetrics.OUTBOX_PENDING).gauge().value()).isEqualTo(7.0);
        assertThat(count(MicrometerRobotMetrics.GITHUB_CALLS, "operation", "create_deployment", "answer", "2xx")).isEqualTo(2.0);
        assertThat(count(MicrometerRobotMetrics.GITHUB_CALLS, "operation", "check_runs", "answer", "rate_limited")).isEqualTo(1.0);
        assertThat(count(MicrometerRobotMetrics.SLACK_MESSAGES, "result", "sent")).isEqualTo(3.0);
        assertThat(count(MicrometerRobotMetrics.SLACK_MESSAGES, "result", "dropped")).isEqualTo(2.0);
        Timer ci = registry.get(MicrometerRobotMetrics.DEPLOYMENT_CI_WAIT).tags("outcome", "deployed").timer();
        assertThat(ci.totalTime(TimeUnit.SECONDS)).isEqualTo(90.0);
    }
}
