package io.github.autodeploy.github;

import java.time.Duration;
import mockwebserver3.MockWebServer;

/** The client as the port contract tests use it: against MockWebServer playing GitHub, no retries. */
final class ContractClients {
    private ContractClients() {
    }

    static GitHubClient against(MockWebServer server) {
        return GitHubClient.builder().baseUrl(server.url("/").toString()).token("ghp_contract")
                .retries(1, Duration.ofMillis(10)).build();
    }
}
