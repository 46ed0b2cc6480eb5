package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.core.gate.RequiredContexts;
import io.github.autodeploy.core.model.ContextReport;
import io.github.autodeploy.core.model.ContextState;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.port.CreateResult;
import io.github.autodeploy.core.port.NewDeployment;
import io.github.autodeploy.core.testing.SharedFixtures;
import io.github.autodeploy.testkit.Values;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * The client against GitHub's own description of its REST API, from {@code ../shared/fixtures}: every
 * request it makes is one the OpenAPI description accepts (path, method, query, body schema with no
 * unknown field), and it reads GitHub's example answers and real error bodies.
 */
class GitHubClientConformanceTest {
    private static final String EXAMPLES = "github-rest-openapi/examples/";
    private static final ObjectMapper JSON = new ObjectMapper();
    @StartStop
    private final MockWebServer github = new MockWebServer();

    private GitHubClient client() {
        return GitHubClient.builder().baseUrl(github.url("/api/v3").toString()).token("ghp_conformance")
                .build();
    }

    private static MockResponse example(int code, String file) {
        return json(code, SharedFixtures.text(EXAMPLES + file));
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json; charset=utf-8").body(body).build();
    }

    private static NewDeployment request(RequiredContexts contexts) {
        return new NewDeployment(Values.REPO, Values.SHA, EnvironmentName.PRODUCTION, "deploy", contexts, Values.OCTOCAT,
                Map.of("autodeploy", Map.of("requester", "octocat")), "autodeploy: merge of pull request #7 by octocat");
    }

    private void assertEveryRequestDescribed(String basePath) throws InterruptedException {
        int count = github.getRequestCount();
        assertThat(count).isPositive();
        for (int i = 0; i < count; i++) {
            RecordedRequest r = github.takeRequest(5, TimeUnit.SECONDS);
            assertThat(r).isNotNull();
            GitHubApiConformance.assertDescribes(r, basePath);
        }
    }

    @Test
    void everyOperationSendsWhatGitHubDescribesAndReadsItsExampleAnswers() throws Exception {
        GitHubClient client = client();
        github.enqueue(example(201, "deployment.json"));
        github.enqueue(example(201, "deployment.json"));
        github.enqueue(example(201, "deployment.json"));
        assertThat(client.create(request(RequiredContexts.of(List.of("ci/build"))))).isEqualTo(new CreateResult.Created(DeploymentId.of(1)));
        assertThat(client.create(request(RequiredContexts.all()))).isInstanceOf(CreateResult.Created.class);
        assertThat(client.create(request(RequiredContexts.none()))).isInstanceOf(CreateResult.Created.class);

        github.enqueue(example(201, "deployment-status.json"));
        client.postStatus(Values.REPO, DeploymentId.of(42), Values.status(DeploymentState.IN_PROGRESS,
                "https://deploy.example.com/deployments/42/abc"));

        github.enqueue(example(200, "deployment-items.json"));
        github.enqueue(example(200, "deployment-status-items.json"));
        assertThat(client.listUnfinished(Values.REPO, EnvironmentName.PRODUCTION)).isNotNull();

        github.enqueue(example(200, "status-items.json"));
        github.enqueue(example(200, "check-run-paginated.json"));
        List<ContextReport> reports = client.reports(Values.REPO, Values.SHA);
        assertThat(reports).extracting(ContextReport::context, ContextReport::state).contains(
                org.assertj.core.groups.Tuple.tuple("continuous-integration/jenkins", ContextState.SUCCESS),
                org.assertj.core.groups.Tuple.tuple("mighty_readme", ContextState.NEUTRAL));

        assertEveryRequestDescribed("/api/v3");
    }

    @Test
    void realConflictBodiesAreReadAsGitHubMeantThem() throws Exception {
        JsonNode responses = JSON.readTree(SharedFixtures.text("github-rest-openapi/create-deployment-error-responses.json"));
        for (JsonNode r : responses.path("responses")) {
            String id = r.path("id").asText();
            JsonNode body = r.has("body") ? r.path("body") : r.path("body_partial");
            if (id.startsWith("409-required-contexts")) {
                github.enqueue(json(409, body.toString()));
                CreateResult result = client().create(request(RequiredContexts.all()));
                assertThat(result).as(id).isInstanceOf(CreateResult.ChecksNotPassed.class);
                assertThat(((CreateResult.ChecksNotPassed) result).contexts()).as(id).isNotEmpty();
            } else if (id.startsWith("409-merge") || id.startsWith("202")) {
                github.enqueue(json(r.path("http_status").asInt(), body.toString()));
                assertThat(client().create(request(RequiredContexts.all()))).as(id)
                        .isEqualTo(new CreateResult.Rejected(body.path("message").asText()));
            }
        }
        JsonNode first = responses.path("responses").get(0).path("body");
        github.enqueue(json(409, first.toString()));
        assertThat(((CreateResult.ChecksNotPassed) client().create(request(RequiredContexts.all()))).contexts())
                .containsEntry("CodeRabbit", ContextState.PENDING).containsEntry("deploy", ContextState.SUCCESS);
        assertEveryRequestDescribed("/api/v3");
    }

    @Test
    void theAppTokenExchangeIsOneGitHubDescribes() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(g.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        GitHubClient client = GitHubClient.builder().baseUrl(github.url("/").toString()).app(12345, 42, pem)
                .build();
        github.enqueue(new MockResponse.Builder().code(201).body("{\"token\":\"ghs_x\",\"expires_at\":\"2099-01-01T00:00:00Z\"}").build());
        github.enqueue(example(201, "deployment-status.json"));
        client.postStatus(Values.REPO, DeploymentId.of(1), Values.status(DeploymentState.QUEUED, "x"));
        assertEveryRequestDescribed("");
    }
}
