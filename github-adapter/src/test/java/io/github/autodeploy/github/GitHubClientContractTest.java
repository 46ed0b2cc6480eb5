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

/** The core's port contracts, passed by the real client against MockWebServer playing GitHub. */
final class GitHubClientContractTest {
    private GitHubClientContractTest() {
    }

    static GitHubClient client(MockWebServer server) {
        return GitHubClient.builder().baseUrl(server.url("/").toString()).token("ghp_contract")
                .retries(1, Duration.ofMillis(10)).build();
    }
}
