package io.github.autodeploy.core.plan;

import io.github.autodeploy.core.model.StepResult;

import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.config.Execution;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.plan.CommandPlan;
import io.github.autodeploy.core.plan.CommandStep;
import java.util.List;

/**
 * Turns a rule's {@link Execution} into steps. Core plans {@code commands} itself; the ansible
 * adapter plans playbooks, so core knows nothing of Ansible. Implementations must be thread-safe
 * and do no I/O: the runner writes the plan's files.
 */
public interface ExecutionPlanner {

    /** Whether this planner understands {@code execution}. */
    boolean plans(Execution execution);

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
