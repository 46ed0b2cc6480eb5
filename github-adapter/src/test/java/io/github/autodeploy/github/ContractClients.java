package io.github.autodeploy.github;

import mockwebserver3.MockWebServer;

/** The client as the port contract tests use it: against MockWebServer playing GitHub. */
final class ContractClients {
    private ContractClients() {
    }

    static GitHubClient against(MockWebServer server) {
        return GitHubClient.builder().baseUrl(server.url("/").toString()).token("ghp_contract").build();
    }
}
