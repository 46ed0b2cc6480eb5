package io.github.autodeploy.core.plan;

import io.github.autodeploy.core.model.DeploymentState;
import java.util.Objects;

/**
 * How a step that did not succeed ends its deployment: {@code failure} (the deployment itself failed)
 * or {@code error} (the robot or the tool could not do its job), with the status description.
 */
public record StepVerdict(DeploymentState state, String description) {
    public StepVerdict {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(description, "description");
        if (state != DeploymentState.FAILURE && state != DeploymentState.ERROR) {
            throw new IllegalArgumentException("a step verdict is failure or error, not " + state.apiValue());
        }
    }
}
