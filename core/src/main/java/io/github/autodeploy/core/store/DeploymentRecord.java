package io.github.autodeploy.core.store;

import io.github.autodeploy.core.lifecycle.DeploymentLifecycle;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the robot knows of one deployment it runs: the deployment, where it stands with its status
 * history, the steps that ended, when it was queued, started and finished, and the unguessable key
 * of its log page. Immutable; each change makes a new record.
 */
public record DeploymentRecord(Deployment deployment, DeploymentLifecycle lifecycle, List<StepRecord> steps,
                               Instant queuedAt, Optional<Instant> startedAt, Optional<Instant> finishedAt,
                               String pageKey) {
    public DeploymentRecord {
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(lifecycle, "lifecycle");
        steps = List.copyOf(steps);
        Objects.requireNonNull(queuedAt, "queuedAt");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(pageKey, "pageKey");
    }

    public static DeploymentRecord queued(Deployment deployment, DeploymentLifecycle lifecycle, Instant at, String pageKey) {
        return new DeploymentRecord(deployment, lifecycle, List.of(), at, Optional.empty(), Optional.empty(), pageKey);
    }

    public DeploymentState state() {
        return lifecycle.state();
    }

    public DeploymentRecord withLifecycle(DeploymentLifecycle next) {
        return new DeploymentRecord(deployment, next, steps, queuedAt, startedAt, finishedAt, pageKey);
    }

    public DeploymentRecord started(Instant at) {
        return new DeploymentRecord(deployment, lifecycle, steps, queuedAt, Optional.of(at), finishedAt, pageKey);
    }

    public DeploymentRecord finished(Instant at) {
        return new DeploymentRecord(deployment, lifecycle, steps, queuedAt, startedAt, Optional.of(at), pageKey);
    }

    public DeploymentRecord withStep(StepRecord step) {
        List<StepRecord> s = new ArrayList<>(steps);
        s.add(step);
        return new DeploymentRecord(deployment, lifecycle, s, queuedAt, startedAt, finishedAt, pageKey);
    }
}
