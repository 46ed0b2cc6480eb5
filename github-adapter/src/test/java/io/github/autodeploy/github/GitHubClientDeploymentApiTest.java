package io.github.autodeploy.github;

import io.github.autodeploy.core.port.DeploymentApi;
import io.github.autodeploy.testkit.DeploymentApiContract;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;

/** The {@code DeploymentApi} contract against MockWebServer playing GitHub. */
class GitHubClientDeploymentApiTest extends DeploymentApiContract {
    @StartStop
    private final MockWebServer server = new MockWebServer();
    private GitHubClient client;

    @Override
    protected DeploymentApi api() {
        if (client == null) {
            server.setDispatcher(new FakeGitHub());
            client = ContractClients.against(server);
        }
        return client;
    }
}
