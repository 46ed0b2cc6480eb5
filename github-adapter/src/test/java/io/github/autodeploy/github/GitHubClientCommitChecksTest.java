package io.github.autodeploy.github;

import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.ContextReport;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.port.CommitChecks;
import io.github.autodeploy.testkit.CommitChecksContract;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;

/** The {@code CommitChecks} contract against MockWebServer playing GitHub. */
class GitHubClientCommitChecksTest extends CommitChecksContract {
    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final FakeGitHub github = new FakeGitHub();
    private GitHubClient client;

    @Override
    protected CommitChecks checks() {
        if (client == null) {
            server.setDispatcher(github);
            client = ContractClients.against(server);
        }
        return client;
    }

    @Override
    protected void given(RepositoryName repo, CommitSha sha, ContextReport... reports) {
        github.report(sha.value(), List.of(reports));
    }
}
