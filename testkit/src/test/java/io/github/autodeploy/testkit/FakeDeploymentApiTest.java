package io.github.autodeploy.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.gate.RequiredContexts;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.port.CreateResult;
import io.github.autodeploy.core.port.DeploymentApi;
import io.github.autodeploy.core.port.NewDeployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FakeDeploymentApiTest extends DeploymentApiContract {
    private final FakeDeploymentApi api = new FakeDeploymentApi();

    @Override
    protected DeploymentApi api() {
        return api;
    }

    @Test
    void aCreatedDeploymentCarriesItsPayloadAsJsonTextAsGitHubWouldSendIt() {
        Map<String, Object> payload = Map.of("autodeploy", Map.of("requester", "o\"c\\to\ncat"),
                "n", List.of(1, true, "x"));
        CreateResult.Created created = (CreateResult.Created) api.create(new NewDeployment(Values.REPO, Values.SHA,
                EnvironmentName.PRODUCTION, "deploy", RequiredContexts.none(), Values.OCTOCAT, payload, "d"));
        String json = api.deployment(created.id()).orElseThrow().payloadJson();
        assertThat(json).contains("\"autodeploy\":{\"requester\":\"o\\\"c\\\\to\\u000acat\"}")
                .contains("\"n\":[1,true,\"x\"]").startsWith("{").endsWith("}");
    }
}
