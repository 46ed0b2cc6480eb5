package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.gate.RequiredContexts;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.port.CreateResult;
import io.github.autodeploy.core.port.NewDeployment;
import io.github.autodeploy.testkit.Values;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * A create whose answer is lost after GitHub made the deployment: the client does not send it again,
 * and the caller finds the deployment instead of creating a second one.
 */
class LostCreateAnswerTest {
    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final FakeGitHub github = new FakeGitHub();

    private static NewDeployment request() {
        return new NewDeployment(Values.REPO, Values.SHA, EnvironmentName.PRODUCTION, "deploy", RequiredContexts.none(),
                Values.OCTOCAT, Map.of("autodeploy", Map.of("requester", "octocat", "request", "7d1c")), "autodeploy: merge");
    }

    @Test
    void aDeploymentWhoseCreateLostItsAnswerIsFoundAndExactlyOneExists() {
        server.setDispatcher(github);
        github.loseNextCreateAnswers(1);
        GitHubClient client = ContractClients.against(server);

        CreateResult first = client.create(request());

        assertThat(first).isInstanceOf(CreateResult.OutcomeUnknown.class);
        assertThat(github.creates()).as("the POST reached GitHub once and was not resent").isEqualTo(1);
        assertThat(client.find(request())).as("the caller looks before creating again").isPresent();
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(github.creates()).isEqualTo(1);
    }

    @Test
    void aCreateThatNeverArrivedIsNotFoundSoTheCallerCreatesIt() {
        server.setDispatcher(github);
        GitHubClient client = ContractClients.against(server);
        assertThat(client.find(request())).isEmpty();
        assertThat(client.create(request())).isInstanceOf(CreateResult.Created.class);
        assertThat(client.find(request())).isPresent();
        assertThat(github.creates()).isEqualTo(1);
    }
}
