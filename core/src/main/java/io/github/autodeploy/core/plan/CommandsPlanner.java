package io.github.autodeploy.core.plan;

import io.github.autodeploy.core.config.ConfigProblem;
import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.config.Execution;
import io.github.autodeploy.core.config.Placeholders;
import io.github.autodeploy.core.model.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plans a rule's {@code commands}: one step per command, in the rule's folder, each argv element
 * with its placeholders replaced, named by the command as written. Thread-safe.
 */
public final class CommandsPlanner implements ExecutionPlanner {

    @Override
    public String kind() {
        return Execution.Commands.KIND;
    }

    /** None: core reads {@code commands} itself. */
    @Override
    public boolean claims(String key) {
        return false;
    }

    /** Nothing: core validates {@code commands} itself. */
    @Override
    public List<ConfigProblem> validate(String keyPath, Map<String, Object> options) {
        return List.of();
    }

    @Override
    public CommandPlan plan(EnvironmentRule rule, Deployment deployment, String scratchDirectory) {
        if (!(rule.execution() instanceof Execution.Commands commands)) {
            throw new IllegalArgumentException("rule for " + rule.repository() + " " + rule.environment()
                    + " does not run commands");
        }
        Map<String, String> values = DeploymentVariables.placeholderValues(deployment);
        String payloadFile = scratchDirectory + "/payload.json";
        Map<String, String> env = DeploymentVariables.environment(deployment, payloadFile);
        List<StepFile> files = List.of(new StepFile(payloadFile, deployment.payloadJson()));
        List<CommandStep> steps = new ArrayList<>();
        for (int i = 0; i < commands.commands().size(); i++) {
            List<String> template = commands.commands().get(i);
            List<String> argv = new ArrayList<>(template.size());
            for (String element : template) {
                argv.add(Placeholders.expand(element, values));
            }
            steps.add(new CommandStep(commands.names().get(i), argv, rule.folder(), env, files, rule.stepTimeout()));
        }
        return new CommandPlan(steps);
    }
}
