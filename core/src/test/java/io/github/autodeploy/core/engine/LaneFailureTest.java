package io.github.autodeploy.core.engine;

import static io.github.autodeploy.core.model.DeploymentState.ERROR;
import static io.github.autodeploy.core.model.DeploymentState.IN_PROGRESS;
import static io.github.autodeploy.core.model.DeploymentState.QUEUED;
import static io.github.autodeploy.core.model.DeploymentState.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.local.InMemoryDeploymentStore;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.core.plan.CommandStep;
import io.github.autodeploy.core.port.Cancellation;
import io.github.autodeploy.core.port.CommandRunner;
import io.github.autodeploy.core.port.OutputSink;
import io.github.autodeploy.testkit.ScriptedRunner;
import org.junit.jupiter.api.Test;

/** A lane outlives whatever one of its deployments throws, and a lock it cannot take ends only that deployment. */
class LaneFailureTest {

    /** Runs {@code crash} by throwing an {@link Error}, as a library bug or a full stack would; anything else as scripted. */
    private static final class CrashingRunner implements CommandRunner {
        private final ScriptedRunner scripted = new ScriptedRunner();

        @Override
        public StepResult run(CommandStep step, OutputSink sink, Cancellation cancellation) {
            if (step.argv().get(0).equals("crash")) {
                throw new LinkageError("crash inside the runner");
            }
            return scripted.run(step, sink, cancellation);
        }
    }

    @Test
    void anErrorThrownByADeploymentEndsItAndTheLaneRunsTheNextOne() {
        try (Harness h = new Harness(Harness.config(Harness.rule().supersede(false).build(), Harness.engine(1, 10, "5s")),
                b -> b.commandRunner(new CrashingRunner()))) {
            h.deploy(h.deployment(1, "crash"));
            h.awaitStates(1, QUEUED, IN_PROGRESS, ERROR);
            assertThat(h.api.statuses(DeploymentId.of(1)).get(2).update().description())
                    .isEqualTo("the robot could not run it: LinkageError: crash inside the runner");

            h.deploy(h.deployment(2, "ok"));
            h.awaitStates(2, QUEUED, IN_PROGRESS, SUCCESS);
        }
    }

    @Test
    void aLaneLockThatCannotBeTakenKeepsTheDeploymentQueuedUntilTheStoreIsBack() {
        BrokenStore store = new BrokenStore(InMemoryDeploymentStore.create(100, 64 * 1024));
        store.locksBroken = true;
        try (Harness h = new Harness(Harness.config(Harness.rule().supersede(false).build(), Harness.engine(1, 10, "5s")),
                b -> b.store(store))) {
            h.deploy(h.deployment(1, "ok"));
            h.deploy(h.deployment(2, "ok"));
            // The lane keeps trying; nothing runs without its lock and nothing ends in error for it.
            for (int i = 0; i < 5; i++) {
                h.time.advance(Lanes.YIELD_DELAY);
            }
            assertThat(h.api.states(DeploymentId.of(1))).containsExactly(QUEUED);
            assertThat(h.runner.started()).isEmpty();

            store.locksBroken = false;
            h.advanceUntil(Lanes.YIELD_DELAY, () -> h.api.states(DeploymentId.of(2)).contains(SUCCESS));
            h.awaitStates(1, QUEUED, IN_PROGRESS, SUCCESS);
            h.awaitStates(2, QUEUED, IN_PROGRESS, SUCCESS);
            assertThat(h.runner.started()).containsExactly("1", "2");
        }
    }
}
