package io.github.autodeploy.core.engine;

import static io.github.autodeploy.core.model.DeploymentState.ERROR;
import static io.github.autodeploy.core.model.DeploymentState.IN_PROGRESS;
import static io.github.autodeploy.core.model.DeploymentState.QUEUED;
import static io.github.autodeploy.core.model.DeploymentState.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.config.RawEngine;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.port.ApiException;
import io.github.autodeploy.core.port.CreateResult;
import io.github.autodeploy.core.port.DeploymentApi;
import io.github.autodeploy.core.port.NewDeployment;
import io.github.autodeploy.core.port.StatusPost;
import io.github.autodeploy.core.port.UnfinishedDeployment;
import io.github.autodeploy.testkit.Values;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import io.github.autodeploy.core.port.CommandRunner;
import io.github.autodeploy.core.port.OutputSink;
import io.github.autodeploy.core.plan.CommandStep;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.core.port.Cancellation;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RecoveryAndShutdownTest {
    private static final String OURS = Harness.PUBLIC_URL + "/deployments/";

    @Test
    void startStopsWhatACrashedRunLeftBeforeAnyStepRuns() {
        List<String> events = new CopyOnWriteArrayList<>();
        try (Harness h = new Harness(Harness.config(Harness.rule().build(), RawEngine.defaults()),
                b -> b.commandRunner(new CommandRunner() {
                    @Override
                    public StepResult run(CommandStep step, OutputSink sink, Cancellation cancellation) {
                        events.add("run " + step.name());
                        return new StepResult(StepResult.Outcome.SUCCEEDED, 0, Duration.ZERO, "exit code 0");
                    }

                    @Override
                    public int stopLeftovers() {
                        events.add("stop leftovers");
                        return 3;
                    }
                }))) {
            h.robot.start();
            h.deploy(h.deployment(10, "ok"));

            h.awaitStates(10, QUEUED, IN_PROGRESS, SUCCESS);
            assertThat(events).containsExactly("stop leftovers", "run ${task}");
        }
    }

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

    /** GitHub's listing of unfinished deployments fails {@code failures} times (a 502), then answers as the fake does. */
    private static class FlakyListing implements DeploymentApi {
        volatile DeploymentApi github;
        final AtomicInteger listings = new AtomicInteger();
        private final int failures;

        FlakyListing(int failures) {
            this.failures = failures;
        }

        @Override
        public CreateResult create(NewDeployment deployment) {
            return github.create(deployment);
        }

        @Override
        public Optional<DeploymentId> find(NewDeployment deployment) {
            return github.find(deployment);
        }

        @Override
        public void postStatus(RepositoryName repository, DeploymentId id, StatusPost status) {
            github.postStatus(repository, id, status);
        }

        @Override
        public List<UnfinishedDeployment> listUnfinished(RepositoryName repository, EnvironmentName environment) {
            if (listings.incrementAndGet() <= failures) {
                throw new ApiException("502 Bad Gateway", true);
            }
            return github.listUnfinished(repository, environment);
        }
    }

    @Test
    void recoveryRetriesInTheBackgroundUntilGitHubAnswersAndTheLaneWaitsForIt() {
        FlakyListing flaky = new FlakyListing(7);
        try (Harness h = new Harness(Harness.config(Harness.rule().supersede(false).build(), RawEngine.defaults()),
                b -> b.deploymentApi(flaky))) {
            flaky.github = h.api;
            h.deployment(10, "ok");
            h.api.givenStatus(DeploymentId.of(10), Values.status(QUEUED, OURS + "10/k"));

            h.robot.start();
            await().until(() -> flaky.listings.get() >= 1);
            assertThat(h.deploy(h.deployment(11, "ok")).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            h.awaitStates(11, QUEUED);
            assertThat(h.runner.started()).isEmpty();

            h.advanceUntil(Duration.ofMillis(10), () -> flaky.listings.get() > 7);

            h.awaitStates(10, QUEUED, IN_PROGRESS, SUCCESS);
            h.awaitStates(11, QUEUED, IN_PROGRESS, SUCCESS);
            assertThat(h.runner.started()).containsExactly("10", "11");
        }
    }

    @Test
    void startReturnsWhileGitHubHangsAndTheRobotTakesDeliveries() throws Exception {
        CountDownLatch githubAnswers = new CountDownLatch(1);
        FlakyListing hanging = new FlakyListing(0) {
            @Override
            public List<UnfinishedDeployment> listUnfinished(RepositoryName repository, EnvironmentName environment) {
                try {
                    githubAnswers.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.listUnfinished(repository, environment);
            }
        };
        try (Harness h = new Harness(Harness.config(Harness.rule().build(), RawEngine.defaults()), b -> b.deploymentApi(hanging))) {
            hanging.github = h.api;
            Thread starter = new Thread(h.robot::start, "test-start");
            starter.start();
            await().until(() -> !starter.isAlive());
            assertThat(h.deploy(h.deployment(11, "ok")).kind()).isEqualTo(Receipt.Kind.ACCEPTED);

            githubAnswers.countDown();

            h.awaitStates(11, QUEUED, IN_PROGRESS, SUCCESS);
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
