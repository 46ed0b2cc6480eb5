package io.github.autodeploy.github;

import io.github.autodeploy.core.port.ProtectionRuleApi;
import io.github.autodeploy.testkit.ProtectionRuleApiContract;
import java.util.List;
import java.util.Optional;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;

/** The {@code ProtectionRuleApi} contract against MockWebServer playing GitHub. */
class ProtectionRuleClientContractTest extends ProtectionRuleApiContract {
    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final ProtectionRuleGitHub github = new ProtectionRuleGitHub();
    private ProtectionRuleClient client;

    @Override
    protected ProtectionRuleApi api() {
        if (client == null) {
            server.setDispatcher(github);
            client = ProtectionRuleClient.builder().baseUrl(server.url("/").toString()).app(12345, ProtectionRuleGitHub.PEM).build();
        }
        return client;
    }

    @Override
    protected List<Received> received() {
        return github.taken().stream().map(t -> new Received(t.runId(), t.body().path("environment_name").asText(),
                Optional.ofNullable(t.body().get("state")).map(s -> s.asText()), t.body().path("comment").asText())).toList();
    }
}
