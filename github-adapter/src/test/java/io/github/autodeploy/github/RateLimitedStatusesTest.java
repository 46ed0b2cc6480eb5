package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.core.port.Notifier;
import io.github.autodeploy.testkit.FakeCommitChecks;
import io.github.autodeploy.testkit.ManualTimeSource;
import io.github.autodeploy.testkit.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/** The robot and the real client together: what GitHub's secondary rate limit does to a deployment's statuses. */
class RateLimitedStatusesTest {
    @StartStop
    private final MockWebServer github = new MockWebServer();
    private final ManualTimeSource time = ManualTimeSource.at("2026-11-27T10:00:00Z");

    @Test
    void aSecondaryRateLimitWithoutHeadersIsRetriedAfterAMinuteAndEveryStatusLandsInOrder() throws Exception {
        github.enqueue(new MockResponse.Builder().code(403).addHeader("Content-Type", "application/json")
                .body("{\"message\":\"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.\"}")
                .build());
        for (int i = 0; i < 3; i++) {
            github.enqueue(new MockResponse.Builder().code(201).body("{\"id\":1}").build());
        }
        var config = new RawConfig(RawGitHub.of("ghp_t", "secret"), Optional.empty(), Optional.empty(),
                Map.of("octo/app", RawRepo.of(RawRule.builder().folder("/tmp").commands(List.of("true"))
                        .requiredContexts(List.of()).build())), RawEngine.defaults()).resolve();
        GitHubClient client = GitHubClient.builder().baseUrl(github.url("/").toString()).token("ghp_t").timeSource(time).build();
        try (Autodeploy robot = Autodeploy.builder(config).deploymentApi(client).commitChecks(new FakeCommitChecks())
                .notifier(Notifier.none()).store(InMemoryDeploymentStore.create(10, 4096)).timeSource(time)
                .commandRunner((step, sink, c) -> new StepResult(StepResult.Outcome.SUCCEEDED, 0, Duration.ZERO, "exit code 0"))
                .build()) {
            Deployment d = Values.deployment(1);
            robot.handle(DeliveryId.of("d1"), new WebhookEvent.DeploymentCreated(d));
            await().until(() -> github.getRequestCount() == 1);
            time.advance(Duration.ofSeconds(59));
            await().during(Duration.ofMillis(300)).until(() -> github.getRequestCount() == 1);
            time.advance(Duration.ofSeconds(1));
            await().until(() -> github.getRequestCount() == 4);
            List<String> states = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                RecordedRequest r = github.takeRequest(5, TimeUnit.SECONDS);
                assertThat(r.getUrl().encodedPath()).isEqualTo("/repos/octo/app/deployments/1/statuses");
                states.add(new ObjectMapper().readTree(r.getBody().utf8()).path("state").asText());
            }
            assertThat(states).containsExactly("queued", "queued", "in_progress", "success");
        }
    }
}
