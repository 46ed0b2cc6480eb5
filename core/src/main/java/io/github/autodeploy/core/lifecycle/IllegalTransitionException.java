package io.github.autodeploy.core.lifecycle;

import io.github.autodeploy.core.AutodeployException;
import io.github.autodeploy.core.model.DeploymentState;

/** An attempted transition the table does not allow: always a bug in the caller. */
public final class IllegalTransitionException extends AutodeployException {
    private static final long serialVersionUID = 1L;

    IllegalTransitionException(DeploymentState from, DeploymentState to) {
        super("a deployment in state " + from.apiValue() + " cannot move to " + to.apiValue()
                + "; allowed: " + Transitions.allowedFrom(from));
    }
}
