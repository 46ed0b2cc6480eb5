package io.github.autodeploy.ansible;

import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.config.Execution;
import io.github.autodeploy.core.gate.RequiredContexts;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.plan.ExecutionPlanner;
import io.github.autodeploy.testkit.ExecutionPlannerContract;
import java.util.List;
import java.util.Map;

class AnsiblePlannerContractTest extends ExecutionPlannerContract {

    @Override
    protected ExecutionPlanner planner() {
        return AnsiblePlanner.create();
    }

    @Override
    protected EnvironmentRule ruleFor(Deployment deployment) {
        EnvironmentRule base = EnvironmentRule.commands(deployment.repository(), deployment.environment(), "/srv/site",
                List.of(List.of("x")), RequiredContexts.none());
        return new EnvironmentRule(base.repository(), base.environment(), base.folder(),
                new Execution.Planned(AnsiblePlanner.KIND, Map.of("ansible_hosts", "hosts", "ansible_playbook", "site.yml",
                        "ansible_limit", "web", "ansible_extra_vars", "{\"region\":\"eu\"}")),
                base.requiredContexts(), base.triggers(), base.stepTimeout(), base.ciTimeout(), base.ciPollInterval(),
                false, true, false, base.notifyOn(), base.slackWebhookUrl());
    }

    /** Exit 2: a host failed, which is the deployment failing; exit 1 is Ansible's own error. */
    @Override
    protected int failingExitCode() {
        return 2;
    }
}
