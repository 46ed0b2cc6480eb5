package io.github.autodeploy.core.plan;

import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.config.Execution;
import io.github.autodeploy.core.config.ExecutionKind;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.StepResult;
import java.util.List;

/**
 * Turns a rule's {@link Execution} into steps. Core plans {@code commands} itself; any other kind
 * of deployment is a planner outside core that claims the rule's keys it reads (as an {@link
 * ExecutionKind}), validates them, and plans the {@link Execution.Planned} they become, so a new kind
 * needs no change in core or in the loader. Implementations must be thread-safe and do no I/O: the
 * runner writes the plan's files.
 */
public interface ExecutionPlanner extends ExecutionKind {

    /** Whether this planner understands {@code execution}; by default, whether it is of this {@link #kind()}. */
    default boolean plans(Execution execution) {
        return execution.kind().equals(kind());
    }

    /**
     * The plan for one deployment.
     *
     * @param scratchDirectory a private, not yet existing folder for the plan's files; the runner
     *                         creates it and removes it after the deployment
     * @throws io.github.autodeploy.core.AutodeployException if the rule cannot be planned
     */
    CommandPlan plan(EnvironmentRule rule, Deployment deployment, String scratchDirectory);

    /**
     * What a step that failed, timed out or could not start means for its deployment. The default:
     * a non-zero exit or a timeout is a failure naming the step; a step that could not start is an
     * error. A planner that knows its tool reads more into it (exit codes, a summary of the output).
     *
     * @param outputTail the step's last output lines (a bounded number), masked
     */
    default StepVerdict judge(CommandStep step, StepResult result, List<String> outputTail) {
        String name = "step '" + step.name() + "' ";
        switch (result.outcome()) {
            case FAILED:
                return new StepVerdict(DeploymentState.FAILURE, name + "failed with exit code " + result.exitCode());
            case TIMED_OUT:
                return new StepVerdict(DeploymentState.FAILURE, name + result.message());
            case NOT_STARTED:
                return new StepVerdict(DeploymentState.ERROR, name + "did not start: " + result.message());
            default:
                return new StepVerdict(DeploymentState.ERROR, name + "ended: " + result.message());
        }
    }
}
