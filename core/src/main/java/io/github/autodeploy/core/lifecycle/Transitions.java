package io.github.autodeploy.core.lifecycle;

import io.github.autodeploy.core.model.DeploymentState;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of legal deployment status transitions, mirroring GitHub's states. A deployment
 * starts {@code PENDING} (GitHub's state for a deployment without statuses). Terminal states accept
 * only {@code INACTIVE}; {@code INACTIVE} accepts nothing. Immutable and thread-safe.
 */
public final class Transitions {
    private static final Map<DeploymentState, Set<DeploymentState>> TABLE = new EnumMap<>(DeploymentState.class);

    static {
        TABLE.put(DeploymentState.PENDING, EnumSet.of(DeploymentState.QUEUED, DeploymentState.IN_PROGRESS,
                DeploymentState.ERROR, DeploymentState.INACTIVE));
        // queued -> queued: a waiting deployment's status says anew why it waits (a lock, a deploy window).
        TABLE.put(DeploymentState.QUEUED, EnumSet.of(DeploymentState.QUEUED, DeploymentState.IN_PROGRESS,
                DeploymentState.ERROR, DeploymentState.INACTIVE));
        TABLE.put(DeploymentState.IN_PROGRESS, EnumSet.of(DeploymentState.SUCCESS, DeploymentState.FAILURE,
                DeploymentState.ERROR));
        TABLE.put(DeploymentState.SUCCESS, EnumSet.of(DeploymentState.INACTIVE));
        TABLE.put(DeploymentState.FAILURE, EnumSet.of(DeploymentState.INACTIVE));
        TABLE.put(DeploymentState.ERROR, EnumSet.of(DeploymentState.INACTIVE));
        TABLE.put(DeploymentState.INACTIVE, EnumSet.noneOf(DeploymentState.class));
        TABLE.put(DeploymentState.UNKNOWN, EnumSet.noneOf(DeploymentState.class));
        TABLE.replaceAll((k, v) -> Collections.unmodifiableSet(v));
    }

    private Transitions() {
    }

    /** Whether a deployment in {@code from} may move to {@code to}. */
    public static boolean isLegal(DeploymentState from, DeploymentState to) {
        return TABLE.get(from).contains(to);
    }

    /** The states {@code from} may move to; empty for {@code INACTIVE}. */
    public static Set<DeploymentState> allowedFrom(DeploymentState from) {
        return TABLE.get(from);
    }

    /** True for a state nothing may follow. */
    public static boolean isFinal(DeploymentState state) {
        return TABLE.get(state).isEmpty();
    }
}
