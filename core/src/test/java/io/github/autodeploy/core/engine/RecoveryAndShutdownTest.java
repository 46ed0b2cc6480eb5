package io.github.autodeploy.core.engine;

import static io.github.autodeploy.core.model.DeploymentState.ERROR;
import static io.github.autodeploy.core.model.DeploymentState.IN_PROGRESS;
import static io.github.autodeploy.core.model.DeploymentState.QUEUED;
import static io.github.autodeploy.core.model.DeploymentState.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.testkit.Values;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecoveryAndShutdownTest {
    private static final String OURS = Harness.PUBLIC_URL + "/deployments/";

    @Test
    void startResumesQueuedDeploymentsAndMarksInterruptedOnes() {
        try (Harness h = Harness.of(Harness.rule().supersede(false).build())) {
            h.deployment(10, "ok");
            h.api.givenStatus(DeploymentId.of(10), Values.status(QUEUED, OURS + "10/k"));
            h.deployment(11, "ok");
            h.api.givenStatus(DeploymentId.of(11), Values.status(QUEUED, OURS + "11/k"));
            h.api.givenStatus(DeploymentId.of(11), Values.status(IN_PROGRESS, OURS + "11/k"));
            h.deployment(12, "ok");
            h.api.givenStatus(DeploymentId.of(12), Values.status(QUEUED, "https://other-robot.example.com/12"));

            h.robot.start();

            h.awaitStates(10, QUEUED, IN_PROGRESS, SUCCESS);
            h.awaitStates(11, QUEUED, IN_PROGRESS, ERROR);
            assertThat(h.api.statuses(DeploymentId.of(11)).get(2).update().description())
                    .isEqualTo("interrupted by a restart of the robot; deploy again to retry");
            assertThat(h.api.states(DeploymentId.of(12))).containsExactly(QUEUED);
            assertThat(h.runner.started()).containsExactly("10");
        }
    }

    @Test
    void interruptedDeploymentsRunAgainWhereTheRuleSaysSo() {
        try (Harness h = Harness.of(Harness.rule().rerunInterrupted(true).build())) {
            h.deployment(11, "ok");
            h.api.givenStatus(DeploymentId.of(11), Values.status(IN_PROGRESS, OURS + "11/k"));
            h.robot.start();
            h.awaitStates(11, IN_PROGRESS, SUCCESS);
            assertThat(h.runner.started()).containsExactly("11");
        }
    }

    @Test
    void closeLetsRunningWorkFinishWithinTheGracePeriod() {
        Harness h = new Harness(Harness.config(Harness.rule().supersede(false).build(), Harness.engine(1, 10, "10s")), b -> { });
        h.deploy(h.deployment(1, "block"));
        h.deploy(h.deployment(2, "ok"));
        await().until(() -> h.runner.started().contains("1"));
        new Thread(() -> {
            await().atMost(Duration.ofSeconds(5)).until(h.robot::closing);
            h.runner.release();
        }).start();
        h.robot.close();
        assertThat(h.api.states(DeploymentId.of(1))).containsExactly(QUEUED, IN_PROGRESS, SUCCESS);
        assertThat(h.api.states(DeploymentId.of(2))).containsExactly(QUEUED, IN_PROGRESS, SUCCESS);
        assertThat(h.deploy(h.deployment(3, "ok")).kind()).isEqualTo(Receipt.Kind.OVERLOADED);
    }

    @Test
    void closeCancelsWhatOutlivesTheGracePeriodAndMarksIt() {
        Harness h = new Harness(Harness.config(Harness.rule().supersede(false).build(), Harness.engine(1, 10, "200ms")), b -> { });
        h.deploy(h.deployment(1, "block"));
        h.deploy(h.deployment(2, "ok"));
        await().until(() -> h.runner.started().contains("1"));
        h.closeWhileTimePasses();
        assertThat(h.api.states(DeploymentId.of(1))).containsExactly(QUEUED, IN_PROGRESS, ERROR);
        assertThat(h.api.statuses(DeploymentId.of(1)).get(2).update().description()).contains("the robot shut down");
        assertThat(h.api.states(DeploymentId.of(2))).containsExactly(QUEUED, ERROR);
        assertThat(h.api.statuses(DeploymentId.of(2)).get(1).update().description()).isEqualTo("not started: the robot shut down");
        assertThat(h.runner.started()).containsExactly("1");
    }
}
