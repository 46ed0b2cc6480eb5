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

    /**
     * Whether this job may run although its lane already started a newer deployment: the hook for an
     * explicit redeploy or rollback. None exists yet, so a lane never runs an older deployment after a
     * newer one; when one is added, it says so here (from the deployment's payload or task).
     */
    boolean rollsBack() {
        return false;
    }

    String lane() {
        return laneOf(rule);
    }

    static String laneOf(EnvironmentRule rule) {
        return rule.repository().fullName() + " " + rule.environment().value();
    }
}
