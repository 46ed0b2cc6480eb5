package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.model.DeploymentId;
import java.util.Objects;
import java.util.Optional;

/** What became of something a user asked the robot to do: lock, unlock, redeploy, roll back, abort. */
public sealed interface ControlResult {
    /** Done; {@code message} says what happened, {@code deployment} is the one it created (a redeploy or rollback). */
    record Done(String message, Optional<DeploymentId> deployment) implements ControlResult {
        public Done {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(deployment, "deployment");
        }
    }

    /** Not done; {@code why} says what kind of refusal (an HTTP status follows from it) and {@code message} why. */
    record Refused(Why why, String message) implements ControlResult {
        public Refused {
            Objects.requireNonNull(why, "why");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Kinds of refusal. */
    enum Why {
        /** The user's role does not allow it (HTTP 403). */
        FORBIDDEN,
        /** No such repository, environment or deployment (404). */
        NOT_FOUND,
        /** The state does not allow it: locked by another, already finished, nothing to roll back to (409). */
        CONFLICT,
        /** The request lacks something (a reason) or names a bad value (422). */
        INVALID,
        /** The store or GitHub could not be reached, or GitHub refused; try again (503). */
        UNAVAILABLE
    }

    static ControlResult done(String message) {
        return new Done(message, Optional.empty());
    }

    static ControlResult refused(Why why, String message) {
        return new Refused(why, message);
    }

    /** Whether it was done. */
    default boolean ok() {
        return this instanceof Done;
    }

    /** The message, done or refused. */
    default String message() {
        return this instanceof Done d ? d.message() : ((Refused) this).message();
    }
}
