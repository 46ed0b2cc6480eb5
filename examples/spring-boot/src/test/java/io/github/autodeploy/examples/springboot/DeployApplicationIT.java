package io.github.autodeploy.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.github.sample.SampleWebhooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example application on its real embedded server: a signed {@code deployment} webhook from
 * GitHub (played by a MockWebServer) is accepted, its command runs, its statuses reach GitHub with
 * links to this application's pages, the pages' JSON says it succeeded, and the application's own
 * notifier heard of it.
 */
@SpringBootTest(classes = DeployApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class DeployApplicationIT {
    private static final String SECRET = "spring-boot-example-secret";
    private static final long DEPLOYMENT_ID = 4242;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final List<RecordedRequest> REQUESTS = new CopyOnWriteArrayList<>();
    private static final MockWebServer GITHUB = new MockWebServer();
    /** A port free a moment ago: the links the robot posts name it, so the test can follow them. */
    private static final int PORT = freePort();
    private static final Path FOLDER = tempFolder();

    @Autowired
    Autodeploy robot;

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) throws IOException {
        GITHUB.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                REQUESTS.add(r);
                boolean status = r.getMethod().equals("POST") && r.getUrl().encodedPath().endsWith("/statuses");
                // At start the robot asks for deployments it may have left unfinished: none.
                boolean list = r.getMethod().equals("GET") && r.getUrl().encodedPath().endsWith("/deployments");
                return new MockResponse.Builder().code(status ? 201 : list ? 200 : 404).addHeader("Content-Type", "application/json")
                        .body(status ? "{\"id\":1}" : list ? "[]" : "{\"message\":\"Not Found\"}").build();
            }
        });
        GITHUB.start();
        registry.add("server.port", () -> PORT);
        // The variables application.yml reads, as properties of the environment.
        registry.add("GITHUB_API_URL", () -> GITHUB.url("/").toString().replaceAll("/$", ""));
        registry.add("GITHUB_TOKEN", () -> "ghp_spring_boot_example");
        registry.add("WEBHOOK_SECRET", () -> SECRET);
        registry.add("DEPLOY_FOLDER", FOLDER::toString);
    }

    @AfterAll
    static void stopGitHub() {
        GITHUB.close();
    }

    @Test
    void aSignedDeploymentWebhookDeploysAndIsReportedToGitHubOnThePagesAndToTheApplicationsNotifier() throws Exception {
        String base = "http://localhost:" + PORT;
        byte[] body = SampleWebhooks.body("deployment", Map.of("id", Long.toString(DEPLOYMENT_ID)));

        HttpResponse<String> answer = post(base + "/hooks/github", body, SampleWebhooks.signature(SECRET, body));
        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(post(base + "/hooks/github", body, "sha256=" + "0".repeat(64)).statusCode()).isEqualTo(401);

        await().atMost(Duration.ofSeconds(30)).until(() -> states().contains("success"));
        assertThat(states()).containsExactly("queued", "in_progress", "success");
        assertThat(Files.readString(FOLDER.resolve("deployed.txt"))).isEqualTo(SampleWebhooks.SHA + " production\n");
        RecordedRequest last = statusPosts().get(2);
        assertThat(last.getHeaders().get("Authorization")).isEqualTo("Bearer ghp_spring_boot_example");
        String logUrl = JSON.readTree(last.getBody().utf8()).path("log_url").asText();
        assertThat(logUrl).startsWith(base + "/deployments/" + DEPLOYMENT_ID + "/");

        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(logUrl + "/api")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(page.body()).path("state").asText()).isEqualTo("success");

        HttpResponse<String> notices = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/notices")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notices.body()).contains("example/app production " + SampleWebhooks.SHA.substring(0, 7));
        assertThat(robot.recent(10)).singleElement().satisfies(r -> assertThat(r.deployment().id().value()).isEqualTo(DEPLOYMENT_ID));

        JsonNode health = JSON.readTree(get(base + "/actuator/health/autodeploy"));
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("details").path("storeReachable").asBoolean()).isTrue();
        assertThat(health.path("details").path("queued").asInt()).isZero();
        // Both deliveries are counted: the signed one the robot accepted and the one refused for its signature.
        JsonNode deliveries = JSON.readTree(get(base + "/actuator/metrics/autodeploy.webhook.deliveries"));
        assertThat(deliveries.path("measurements").get(0).path("value").asDouble()).isEqualTo(2.0);
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(url).isEqualTo(200);
        return answer.body();
    }

    private static HttpResponse<String> post(String url, byte[] body, String signature) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("X-GitHub-Event", "deployment").header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", signature).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<RecordedRequest> statusPosts() {
        return REQUESTS.stream().filter(r -> r.getMethod().equals("POST")
                && r.getUrl().encodedPath().equals("/repos/example/app/deployments/" + DEPLOYMENT_ID + "/statuses")).toList();
    }

    private static List<String> states() {
        return statusPosts().stream().map(r -> {
            try {
                return JSON.readTree(r.getBody().utf8()).path("state").asText();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempFolder() {
        try {
            return Files.createTempDirectory("autodeploy-spring-boot");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
