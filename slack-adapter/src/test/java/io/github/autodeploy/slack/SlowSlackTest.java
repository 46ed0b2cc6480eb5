package io.github.autodeploy.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.config.RawConfig;
import io.github.autodeploy.core.config.RawEngine;
import io.github.autodeploy.core.config.RawGitHub;
import io.github.autodeploy.core.config.RawRepo;
import io.github.autodeploy.core.config.RawRule;
import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.local.InMemoryDeploymentStore;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.testkit.FakeCommitChecks;
import io.github.autodeploy.testkit.FakeDeploymentApi;
import io.github.autodeploy.testkit.Values;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/** A Slack that hangs never holds up a deployment: the lane finishes while every message still waits. */
class SlowSlackTest {
    @StartStop
    private final MockWebServer slack = new MockWebServer();

    @Test
    void deploymentsFinishWhileSlackHangs() throws Exception {
        for (int i = 0; i < 10; i++) {
            slack.enqueue(new MockResponse.Builder().headersDelay(30, TimeUnit.SECONDS).code(200).body("ok").build());
        }
        var config = new RawConfig(RawGitHub.of("ghp_t", "secret"), Optional.of("https://hooks.slack.com/services/T/B/C"),
                Optional.empty(), Map.of("octo/app", RawRepo.of(RawRule.builder().folder("/tmp").commands(List.of("true"))
                .requiredContexts(List.of()).build())), RawEngine.defaults()).resolve();
        FakeDeploymentApi github = new FakeDeploymentApi();
        SlackNotifier notifier = SlackNotifier.builder().webhookUrl(slack.url("/services/T/B/C").toString())
                .timeout(Duration.ofSeconds(60)).build();
        try (Autodeploy robot = Autodeploy.builder(config).deploymentApi(github).commitChecks(new FakeCommitChecks())
                .notifier(notifier).store(InMemoryDeploymentStore.create(10, 4096))
                .commandRunner((step, sink, c) -> new StepResult(StepResult.Outcome.SUCCEEDED, 0, Duration.ZERO, "exit code 0"))
                .build()) {
            for (long id = 1; id <= 3; id++) {
                Deployment d = Values.deployment(id);
                github.givenDeployment(d);
                robot.handle(DeliveryId.of("d" + id), new WebhookEvent.DeploymentCreated(d));
                await().atMost(Duration.ofSeconds(10)).until(() -> github.states(d.id()).contains(DeploymentState.SUCCESS));
            }
            assertThat(slack.takeRequest(10, TimeUnit.SECONDS)).as("Slack was called, and is hanging").isNotNull();
            assertThat(notifier.delivered()).isZero();
        }
    }
}
