package io.github.autodeploy.core.port;

import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.config.Execution;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.plan.CommandPlan;

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
}
