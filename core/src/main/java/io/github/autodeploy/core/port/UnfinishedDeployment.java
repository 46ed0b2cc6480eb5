package io.github.autodeploy.core.port;

import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentState;
import java.util.Objects;
import java.util.Optional;

/**
 * A deployment whose newest status is {@code queued} or {@code in_progress}, as found at start-up.
 *
 * @param logUrl the newest status's {@code log_url}: tells whether this robot ran it
 */
public record UnfinishedDeployment(Deployment deployment, DeploymentState state, Optional<String> logUrl) {
    public UnfinishedDeployment {
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(logUrl, "logUrl");
    }
}
