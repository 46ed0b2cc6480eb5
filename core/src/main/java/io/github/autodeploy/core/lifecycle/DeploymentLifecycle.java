package io.github.autodeploy.core.lifecycle;

import io.github.autodeploy.core.model.DeploymentState;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where one deployment stands, with every status it went through. Immutable: {@link #advance}
 * returns a new lifecycle together with the status update to post, so a caller cannot move a
 * deployment without also learning what to tell GitHub.
 */
public record DeploymentLifecycle(DeploymentState state, List<StatusUpdate> history) {

    public DeploymentLifecycle {
        Objects.requireNonNull(state, "state");
        history = List.copyOf(history);
    }

    /** A deployment that has no status yet: GitHub calls that pending. */
    public static DeploymentLifecycle created() {
        return new DeploymentLifecycle(DeploymentState.PENDING, List.of());
    }

    /** A deployment last seen in {@code state}, as recovery finds it. */
    public static DeploymentLifecycle resumedAt(DeploymentState state) {
        return new DeploymentLifecycle(state, List.of());
    }

    /** The result of a transition: the new lifecycle and the status to post. */
    public record Step(DeploymentLifecycle lifecycle, StatusUpdate update) {
    }

    /**
     * Moves to {@code next}.
     *
     * @throws IllegalTransitionException if the table does not allow it
     */
    public Step advance(DeploymentState next, String description, Instant at) {
        Objects.requireNonNull(next, "next");
        if (!Transitions.isLegal(state, next)) {
            throw new IllegalTransitionException(state, next);
        }
        StatusUpdate update = new StatusUpdate(next, description, at);
        StatusUpdate[] h = history.toArray(new StatusUpdate[history.size() + 1]);
        h[h.length - 1] = update;
        // List.of makes the one copy; the constructor's List.copyOf keeps that immutable list as it is.
        return new Step(new DeploymentLifecycle(next, List.of(h)), update);
    }

    public boolean isTerminal() {
        return state.isTerminal() || Transitions.isFinal(state);
    }
}
