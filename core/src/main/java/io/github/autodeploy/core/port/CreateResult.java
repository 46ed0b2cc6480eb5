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

    /** Not created for another reason (merge conflict, validation, auto-merge 202), with GitHub's message. */
    record Rejected(String message) implements CreateResult {
        public Rejected {
            Objects.requireNonNull(message, "message");
        }
    }
}
