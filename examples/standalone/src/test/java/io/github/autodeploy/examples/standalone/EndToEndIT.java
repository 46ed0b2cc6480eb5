package io.github.autodeploy.examples.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.autodeploy.config.ConfigFile;
import io.github.autodeploy.assembly.RobotAssembly;
import io.github.autodeploy.github.sample.SampleWebhooks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The robot end to end in embedded Tomcat: sample GitHub payloads, signed and POSTed over HTTP; a
 * MockWebServer plays GitHub's API; the deployment's commands really run. A merged pull request
 * becomes a deployment at its merge commit once CI is green, and the deployment event runs it.
 */
class EndToEndIT {
    private static final String MERGE_SHA = SampleWebhooks.SHA;
    private static final String SECRET = "end-to-end-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    @StartStop
    private final MockWebServer github = new MockWebServer();
    @TempDir
    Path dir;

    @Test
    void aMergedPullRequestIsDeployedAtItsMergeCommitAndReportedToGitHub() throws Exception {
        RecordingGitHub api = new RecordingGitHub();
        github.setDispatcher(api);
        Path config = dir.resolve("autodeploy.yml");
        Files.writeString(config, """
                github:
                  api_url: %s
                  token: ghp_end_to_end_token
                  webhook_secret: %s
                public_url: https://deploy.example.com
                repos:
                  example/app:
                    folder: %s
                    required_contexts: [ci/build]
                    commands:
                      - [sh, -c, 'echo "$AUTODEPLOY_SHA $AUTODEPLOY_ENVIRONMENT" > deployed.txt']
                """.formatted(github.url("/").toString().replaceAll("/$", ""), SECRET, dir));
        try (StandaloneServer server = StandaloneServer.start(RobotAssembly.assemble(RobotAssembly.load(config, Map.of())), "127.0.0.1", 0)) {
            String hook = "http://127.0.0.1:" + server.port() + "/hooks/github";

            byte[] merged = SampleWebhooks.body("pull_request", Map.of("user", "hubot"));
            var answer = Signed.post(hook, SECRET, "pull_request", merged);
            assertThat(answer.statusCode()).isEqualTo(202);
            assertThat(answer.body()).contains("deploying " + MERGE_SHA.substring(0, 7) + " to production once CI allows");
            await().atMost(Duration.ofSeconds(20)).until(() -> api.requests.stream()
                    .anyMatch(r -> r.getMethod().equals("POST") && r.getUrl().encodedPath().endsWith("/deployments")));
            RecordedRequest create = api.requests.stream()
                    .filter(r -> r.getMethod().equals("POST") && r.getUrl().encodedPath().endsWith("/deployments")).findFirst().orElseThrow();
            JsonNode created = JSON.readTree(create.getBody().utf8());
            assertThat(created.path("ref").asText()).isEqualTo(MERGE_SHA);
            assertThat(created.path("auto_merge").asBoolean(true)).isFalse();
            assertThat(created.path("required_contexts").get(0).asText()).isEqualTo("ci/build");
            assertThat(created.path("payload").path("autodeploy").path("requester").asText()).isEqualTo("hubot");

            // GitHub now sends the deployment event for what the robot created.
            ObjectNode deployment = SampleWebhooks.payload("deployment", Map.of("id", Long.toString(RecordingGitHub.DEPLOYMENT_ID),
                    "sha", MERGE_SHA, "ref", "main", "user", "autodeploy-bot"));
            ((ObjectNode) deployment.path("deployment")).set("payload", created.path("payload"));
            assertThat(Signed.post(hook, SECRET, "deployment", JSON.writeValueAsBytes(deployment)).statusCode()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(20)).until(() -> statusStates(api).size() == 3);
            assertThat(statusStates(api)).containsExactly("queued", "in_progress", "success");
            for (RecordedRequest r : statusPosts(api)) {
                JsonNode body = JSON.readTree(r.getBody().utf8());
                assertThat(body.path("log_url").asText()).startsWith("https://deploy.example.com/deployments/4242/");
                assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer ghp_end_to_end_token");
            }
            assertThat(Files.readString(dir.resolve("deployed.txt"))).isEqualTo(MERGE_SHA + " production\n");

            byte[] status = SampleWebhooks.body("status", Map.of("sha", SampleWebhooks.OTHER_SHA));
            var statusAnswer = Signed.post(hook, SECRET, "status", status);
            assertThat(statusAnswer.statusCode()).isEqualTo(200);
            assertThat(statusAnswer.body()).contains("ignored");

            List<String> calls = api.requests.stream().map(r -> r.getMethod() + " " + r.getUrl().encodedPath()).toList();
            assertThat(calls).containsSubsequence(
                    "GET /repos/example/app/commits/" + MERGE_SHA + "/statuses",
                    "GET /repos/example/app/commits/" + MERGE_SHA + "/check-runs",
                    "POST /repos/example/app/deployments",
                    "POST /repos/example/app/deployments/4242/statuses",
                    "POST /repos/example/app/deployments/4242/statuses",
                    "POST /repos/example/app/deployments/4242/statuses");
        }
    }

    @Test
    void withoutPublicUrlTheLinksPostedToGitHubAreOnThePortTheServerReallyBound() throws Exception {
        RecordingGitHub api = new RecordingGitHub();
        github.setDispatcher(api);
        Path config = dir.resolve("autodeploy.yml");
        Files.writeString(config, """
                github:
                  api_url: %s
                  token: ghp_end_to_end_token
                  webhook_secret: %s
                repos:
                  example/app:
                    folder: %s
                    required_contexts: []
                    commands: [[sh, -c, 'true']]
                """.formatted(github.url("/").toString().replaceAll("/$", ""), SECRET, dir));
        try (StandaloneServer server = StandaloneServer.start(ConfigFile.load(config, Map.of()), "127.0.0.1", 0)) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(server.baseUrl()).isEqualTo(base);
            assertThat(server.wired().config().robot().publicUrl()).isEqualTo(base);
            byte[] deployment = SampleWebhooks.body("deployment", Map.of("id", Long.toString(RecordingGitHub.DEPLOYMENT_ID)));
            assertThat(Signed.post(base + "/hooks/github", SECRET, "deployment", deployment).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> statusStates(api).size() == 3);
            for (RecordedRequest r : statusPosts(api)) {
                assertThat(JSON.readTree(r.getBody().utf8()).path("log_url").asText()).startsWith(base + "/deployments/4242/");
            }
        }
    }

    @Test
    void tomcatsOwnErrorPagesShowNoStackTraceAndNoVersion() throws Exception {
        Path config = dir.resolve("autodeploy.yml");
        Files.writeString(config, """
                github:
                  webhook_secret: %s
                repos:
                  example/app: {folder: %s, commands: [[sh, -c, 'true']]}
                """.formatted(SECRET, dir));
        try (StandaloneServer server = StandaloneServer.start(ConfigFile.load(config, Map.of()), "127.0.0.1", 0)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> tooLarge = http.send(HttpRequest.newBuilder(URI.create(base + "/hooks/github"))
                    .header("X-GitHub-Delivery", "x".repeat(10_000)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(base + "/no-such-page")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(tooLarge.statusCode()).isEqualTo(400);
            assertThat(unknown.statusCode()).isEqualTo(404);
            for (HttpResponse<String> r : List.of(tooLarge, unknown)) {
                assertThat(r.body()).doesNotContain("Exception", "at org.apache", "Apache Tomcat", "Tomcat/");
            }
        }
    }

    private static List<RecordedRequest> statusPosts(RecordingGitHub api) {
        return api.requests.stream().filter(r -> r.getMethod().equals("POST") && r.getUrl().encodedPath().endsWith("/4242/statuses")).toList();
    }

    private static List<String> statusStates(RecordingGitHub api) {
        return statusPosts(api).stream().map(r -> {
            try {
                return JSON.readTree(r.getBody().utf8()).path("state").asText();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
