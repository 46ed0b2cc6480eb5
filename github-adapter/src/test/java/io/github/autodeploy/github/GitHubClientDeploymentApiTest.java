package io.github.autodeploy.github;

import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.ContextReport;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.port.CommitChecks;
import io.github.autodeploy.core.port.DeploymentApi;
import io.github.autodeploy.core.testing.CommitChecksContract;
import io.github.autodeploy.core.testing.DeploymentApiContract;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;

/** The {@code DeploymentApi} contract against MockWebServer playing GitHub. */
class GitHubClientDeploymentApiTest extends DeploymentApiContract {
    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final FakeGitHub github = new FakeGitHub();
    private GitHubClient client;

    @Override
    protected DeploymentApi api() {
        if (client == null) {
            server.setDispatcher(github);
            client = GitHubClientContractTest.client(server);
        }
        return client;
    }
}
