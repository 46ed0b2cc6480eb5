package io.github.autodeploy.examples.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.github.sample.SampleWebhooks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lock and the auto-deploy it holds survive a restart of the standalone jar on its default store
 * (SQLite beside the config): after the restart the environment is still locked and the deployment
 * still held, and unlocking it deploys it.
 */
class LockRestartIT {
    private static final String SECRET = "lock-restart-secret";
    private static final String PAGES_TOKEN = "lock-restart-pages-token-7a2f";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @StartStop
    private final MockWebServer githubServer = new MockWebServer();
    private final FakeGitHub github = new FakeGitHub();
    private final List<ServerProcess> servers = new ArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void stopEverything() throws Exception {
        for (ServerProcess s : servers) {
            s.close();
        }
    }

    private Path config() throws Exception {
        Files.createDirectories(dir.resolve("work"));
        return Files.writeString(dir.resolve("autodeploy.yml"), """
                github:
                  api_url: %s
                  token: ghp_lock_restart_token_0123
                  webhook_secret: %s
                pages:
                  token: %s
                repos:
                  example/app:
                    folder: %s
                    commands:
                      - [sh, -c, 'echo "$AUTODEPLOY_DEPLOYMENT_ID" >> ran.txt']
                """.formatted(githubServer.url("/").toString().replaceAll("/$", ""), SECRET, PAGES_TOKEN, dir.resolve("work")));
    }

    private ServerProcess serve(String name, Path config) throws Exception {
        ServerProcess s = ServerProcess.start(name, config, Map.of());
        servers.add(s);
        return s;
    }

    private static HttpResponse<String> api(ServerProcess s, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(s.base() + path)).header("Authorization", "Bearer " + PAGES_TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode production(ServerProcess s) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(s.base()
                        + "/deployments/api/environments?repository=example/app&environment=production"))
                .header("Authorization", "Bearer " + PAGES_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get(0);
    }

    private static boolean holds(JsonNode env, long id) {
        JsonNode queued = env.path("queued");
        return queued.size() == 1 && queued.get(0).path("id").asLong() == id && queued.get(0).path("held").asBoolean();
    }

    @Test
    void aLockAndTheAutoDeployItHoldsSurviveARestartAndTheUnlockDeploysIt() throws Exception {
        githubServer.setDispatcher(github);
        Path config = config();
        ServerProcess first = serve("first", config);
        HttpResponse<String> locked = api(first, "/deployments/api/environments/example/app/production/lock",
                "{\"reason\": \"incident 4711\"}");
        assertThat(locked.statusCode()).as(locked.body()).isEqualTo(200);

        byte[] auto = SampleWebhooks.bytes(SampleWebhooks.payload("deployment", Map.of("id", "77", "user", "octocat",
                "payload", io.github.autodeploy.testkit.RobotPayloads.autoDeploy(SECRET,
                        io.github.autodeploy.core.model.RepositoryName.of(SampleWebhooks.REPO),
                        io.github.autodeploy.core.model.EnvironmentName.PRODUCTION,
                        io.github.autodeploy.core.model.CommitSha.of(SampleWebhooks.SHA), "r1"))));
        var accepted = Signed.post(first.hook(), SECRET, "deployment", auto);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> holds(production(first), 77));
        assertThat(production(first).path("queued").get(0).path("heldReason").asText()).startsWith("held: locked by admin");
        await().atMost(Duration.ofSeconds(30)).until(() -> github.statuses(77).stream().anyMatch(s -> s.description().startsWith("held:")));

        first.close();
        ServerProcess second = serve("second", config);
        await().atMost(Duration.ofSeconds(30)).until(() -> holds(production(second), 77));
        JsonNode env = production(second);
        assertThat(env.path("lock").path("holder").asText()).isEqualTo("admin");
        assertThat(env.path("lock").path("reason").asText()).isEqualTo("incident 4711");
        assertThat(Files.exists(dir.resolve("work/ran.txt"))).isFalse();
        assertThat(github.states(77)).doesNotContain("in_progress", "success");

        HttpResponse<String> unlocked = api(second, "/deployments/api/environments/example/app/production/unlock", "{}");
        assertThat(unlocked.statusCode()).as(unlocked.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> github.states(77).contains("success"));
        assertThat(Files.readAllLines(dir.resolve("work/ran.txt"))).containsExactly("77");
        JsonNode after = production(second);
        assertThat(after.path("lock").isNull()).isTrue();
        assertThat(after.path("current").path("id").asLong()).isEqualTo(77);
    }
}
