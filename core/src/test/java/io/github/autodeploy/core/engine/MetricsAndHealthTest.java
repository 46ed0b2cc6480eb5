package io.github.autodeploy.core.engine;

import static io.github.autodeploy.core.model.DeploymentState.FAILURE;
import static io.github.autodeploy.core.model.DeploymentState.IN_PROGRESS;
import static io.github.autodeploy.core.model.DeploymentState.QUEUED;
import static io.github.autodeploy.core.model.DeploymentState.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.config.RawEngine;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.local.InMemoryDeploymentStore;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.testkit.RecordingMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class MetricsAndHealthTest {
    private static final String LANE = "octo/app production";

    @Test
    void aKnownSequenceOfDeliveriesAndDeploymentsReportsExactlyItsEvents() {
        RecordingMetrics metrics = new RecordingMetrics();
        try (Harness h = new Harness(Harness.config(Harness.rule().build(), RawEngine.defaults()), b -> b.metrics(metrics))) {
            h.robot.start();
            await().until(() -> h.robot.health().recovered());
            WebhookEvent first = new WebhookEvent.DeploymentCreated(h.deployment(1, "block"));
            assertThat(h.robot.handle(DeliveryId.of("first"), first).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            assertThat(h.robot.handle(DeliveryId.of("first"), first).kind()).isEqualTo(Receipt.Kind.DUPLICATE);
            h.awaitStates(1, QUEUED, IN_PROGRESS);
            assertThat(h.deploy(h.deployment(2, "fail 1")).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            assertThat(h.deploy(h.deployment(3, "ok", EnvironmentName.of("staging"))).kind()).isEqualTo(Receipt.Kind.IGNORED);
            assertThat(h.send(new WebhookEvent.Ping(Optional.empty(), "zen")).kind()).isEqualTo(Receipt.Kind.PONG);

            h.time.advance(Duration.ofSeconds(3));
            await().untilAsserted(() -> assertThat(metrics.gauges()).containsEntry("lane " + LANE, 1));
            h.runner.release();
            h.awaitStates(1, QUEUED, IN_PROGRESS, SUCCESS);
            h.awaitStates(2, QUEUED, IN_PROGRESS, FAILURE);

            assertThat(metrics.counts()).isEqualTo(Map.of(
                    "webhook deployment accepted", 2,
                    "webhook deployment duplicate", 1,
                    "webhook deployment ignored", 1,
                    "webhook ping pong", 1,
                    "finished " + LANE + " success", 1,
                    "finished " + LANE + " failure", 1));
            assertThat(metrics.timings()).isEqualTo(Map.of(
                    "queued " + LANE, List.of(Duration.ZERO, Duration.ofSeconds(3)),
                    "ran " + LANE + " success", List.of(Duration.ofSeconds(3)),
                    "ran " + LANE + " failure", List.of(Duration.ZERO)));
            h.advanceUntil(Duration.ofMillis(500), () -> metrics.gauges().equals(Map.of("lane " + LANE, 0, "outbox", 0)));
        }
    }

    @Test
    void aRobotIsReadyOnceStartedAndRecoveredAndNotWhileItsStoreIsDownOrItCloses() {
        BrokenStore store = new BrokenStore(InMemoryDeploymentStore.create(100, 64 * 1024));
        try (Harness h = new Harness(Harness.config(Harness.rule().build(), RawEngine.defaults()), b -> b.store(store))) {
            assertThat(h.robot.health()).isEqualTo(new Health(true, false, false, 0, OptionalInt.empty()));
            assertThat(h.robot.health().ready()).isFalse();

            h.robot.start();
            await().untilAsserted(() -> assertThat(h.robot.health().ready()).isTrue());

            store.broken = true;
            assertThat(h.robot.health()).isEqualTo(new Health(false, true, false, 0, OptionalInt.empty()));
            assertThat(h.robot.health().ready()).isFalse();
            store.broken = false;
            assertThat(h.robot.health().ready()).isTrue();

            h.closeWhileTimePasses();
            assertThat(h.robot.health().draining()).isTrue();
            assertThat(h.robot.health().ready()).isFalse();
        }
    }

    @Test
    void healthSaysHowManyCallsGitHubStillAllowsWhenTheApiKnows() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            h.api.rateLimitRemaining(4321);
            assertThat(h.robot.health().githubRateLimitRemaining()).hasValue(4321);
        }
    }
}
