package io.github.autodeploy.core.port;

import io.github.autodeploy.core.model.ContextState;
import io.github.autodeploy.core.model.DeploymentId;
import java.util.Map;
import java.util.Objects;

/** What GitHub answered when asked to create a deployment. */
public sealed interface CreateResult {

    /** Created (201); GitHub will send a {@code deployment} event for it. */
    record Created(DeploymentId id) implements CreateResult {
        public Created {
            Objects.requireNonNull(id, "id");
        }
    }

    /** GitHub's own check of the required contexts failed (409): each context and its state. */
    record ChecksNotPassed(Map<String, ContextState> contexts, String message) implements CreateResult {
        public ChecksNotPassed {
            contexts = Map.copyOf(contexts);
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * The answer was lost after the request may have reached GitHub (the connection broke after it was
     * sent, or GitHub answered with a server error): the deployment may or may not exist. Sending the
     * same request again could create a second deployment, so the caller looks for it first with
     * {@link DeploymentApi#find(NewDeployment)}.
     */
    record OutcomeUnknown(String message) implements CreateResult {
        public OutcomeUnknown {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Not created for another reason (merge conflict, validation, auto-merge 202), with GitHub's message. */
    record Rejected(String message) implements CreateResult {
        public Rejected {
            Objects.requireNonNull(message, "message");
        }
    }
}
