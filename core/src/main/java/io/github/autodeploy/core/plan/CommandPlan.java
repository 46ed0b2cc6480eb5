package io.github.autodeploy.core.plan;

import java.util.List;

/** The steps of one deployment, run in order; the first that does not succeed ends the deployment. */
public record CommandPlan(List<CommandStep> steps) {
    public CommandPlan {
        steps = List.copyOf(steps);
    }
}
