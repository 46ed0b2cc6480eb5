package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.port.Cancellation;

/**
 * A deployment waiting in, or running in, its lane.
 *
 * @param alreadyInProgress recovery re-runs a deployment GitHub shows in progress: no new in_progress status
 */
record Job(Deployment deployment, EnvironmentRule rule, Cancellation cancellation, boolean alreadyInProgress) {

    DeploymentId id() {
        return deployment.id();
    }

    String lane() {
        return laneOf(rule);
    }

    static String laneOf(EnvironmentRule rule) {
        return rule.repository().fullName() + " " + rule.environment().value();
    }
}
