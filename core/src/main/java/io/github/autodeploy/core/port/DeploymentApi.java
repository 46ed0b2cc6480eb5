package io.github.autodeploy.core.port;

import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import java.util.List;

/**
 * GitHub's deployments API, as the robot uses it. Implementations must be thread-safe; the engine
 * calls them from worker threads, never from the webhook thread. Every method may throw {@link
 * ApiException}, with a retry hint where the service gave one, and nothing checked.
 */
public interface DeploymentApi {

    /** Creates a deployment at an exact sha. Answers other than created come back as a result, not thrown. */
    CreateResult create(NewDeployment deployment);

    /** Posts one deployment status. */
    void postStatus(RepositoryName repository, DeploymentId id, StatusPost status);

    /** Deployments of an environment whose newest status is {@code queued} or {@code in_progress}. */
    List<UnfinishedDeployment> listUnfinished(RepositoryName repository, EnvironmentName environment);
}
