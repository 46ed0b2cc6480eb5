package io.github.autodeploy.core.plan;

import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.gate.RequiredContexts;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.testkit.ExecutionPlannerContract;
import java.util.List;

class CommandsPlannerContractTest extends ExecutionPlannerContract {

    @Override
    protected ExecutionPlanner planner() {
        return new CommandsPlanner();
    }

    @Override
    protected EnvironmentRule ruleFor(Deployment deployment) {
        return EnvironmentRule.commands(deployment.repository(), deployment.environment(), "/srv/app", List.of(
                List.of("git", "checkout", "--force", "${sha}"),
                List.of("deploy", "--ref=${ref}", "${environment}", "${task}"),
                List.of("echo", "${task} on ${ref}", "${requester}")), RequiredContexts.none());
    }
}
