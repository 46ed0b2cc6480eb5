package io.github.autodeploy.core.port;

import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * GitHub's deployments API, as the robot uses it. Implementations must be thread-safe; the engine
 * calls them from worker threads, never from the webhook thread. Every method may throw {@link
 * ApiException}, with a retry hint where the service gave one, and nothing checked.
 */
public interface DeploymentApi {

    /**
     * Creates a deployment at an exact sha, sending the request at most once: it never resends a
     * request that may have been received. Answers other than created come back as a result, not
     * thrown; {@link CreateResult.OutcomeUnknown} when the answer was lost after the request may have
     * reached GitHub. An {@link ApiException} means the deployment was not created (nothing was
     * received, or GitHub refused, for instance for a rate limit), so the same request may be sent again.
     */
    CreateResult create(NewDeployment deployment);

    /**
     * The deployment that an earlier {@link #create} of this very request made, if GitHub has one:
     * a deployment of the request's repository, sha and environment whose payload equals the
     * request's. The caller makes the payload unique per request (the CI waiting room puts a request
     * id in it), so that after {@link CreateResult.OutcomeUnknown} it can tell whether to create again.
     */
    Optional<DeploymentId> find(NewDeployment deployment);

    /** Posts one deployment status. */
    void postStatus(RepositoryName repository, DeploymentId id, StatusPost status);

    /** Deployments of an environment whose newest status is {@code queued} or {@code in_progress}. */
    List<UnfinishedDeployment> listUnfinished(RepositoryName repository, EnvironmentName environment);

    /**
     * The calls GitHub still allows before its rate limit, as its last answer said; empty when no
     * answer has said yet (or the implementation does not know). Read by {@code Autodeploy.health()}.
     */
    default OptionalInt rateLimitRemaining() {
        return OptionalInt.empty();
    }
}
