package io.github.autodeploy.core.local;

import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.ContextReport;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.port.CommitChecks;
import io.github.autodeploy.core.port.CreateResult;
import io.github.autodeploy.core.port.DeploymentApi;
import io.github.autodeploy.core.port.NewDeployment;
import io.github.autodeploy.core.port.StatusPost;
import io.github.autodeploy.core.port.UnfinishedDeployment;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GitHub for a robot that has no token: deployments from signed webhooks still run, and their
 * statuses are written to the log (and kept on the deployment pages) instead of posted. It creates
 * no deployments, so auto-deploy needs a token. A status's log URL is never logged: it holds the
 * page's capability key. Thread-safe.
 */
public final class OfflineGitHub implements DeploymentApi, CommitChecks {
    private static final Logger LOG = LoggerFactory.getLogger(OfflineGitHub.class);

    @Override
    public CreateResult create(NewDeployment deployment) {
        return new CreateResult.Rejected("no github.token is configured, so the robot cannot create deployments");
    }

    @Override
    public Optional<DeploymentId> find(NewDeployment deployment) {
        return Optional.empty();
    }

    @Override
    public void postStatus(RepositoryName repository, DeploymentId id, StatusPost status) {
        // Never the log URL: its key is the only thing guarding the page, and logs are read by more people.
        LOG.info("deployment {} of {} is {}: {} (not posted: no github.token; see the deployments list)", id, repository,
                status.update().state().apiValue(), status.update().description());
    }

    @Override
    public List<UnfinishedDeployment> listUnfinished(RepositoryName repository, EnvironmentName environment) {
        return List.of();
    }

    @Override
    public List<ContextReport> reports(RepositoryName repository, CommitSha sha) {
        return List.of();
    }
}
