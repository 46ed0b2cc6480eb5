package io.github.autodeploy.core.plan;

import io.github.autodeploy.core.config.EchoKind;
import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.config.Execution;
import io.github.autodeploy.core.model.Deployment;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Plans the test-only {@link EchoKind}: {@code echo TEXT}, {@code echo_times} times. With it, a
 * robot runs a kind of deployment that core has never heard of. Thread-safe.
 */
public final class EchoPlanner extends EchoKind implements ExecutionPlanner {

    @Override
    public CommandPlan plan(EnvironmentRule rule, Deployment deployment, String scratchDirectory) {
        Execution.Planned echo = (Execution.Planned) rule.execution();
        int times = Integer.parseInt(String.valueOf(echo.options().getOrDefault("echo_times", "1")));
        List<String> argv = List.of("echo", (String) echo.options().get("echo_text"));
        return new CommandPlan(Collections.nCopies(times,
                new CommandStep("echo", argv, rule.folder(), Map.of(), List.of(), rule.stepTimeout())));
    }
}
