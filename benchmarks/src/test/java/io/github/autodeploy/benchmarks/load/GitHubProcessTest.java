package io.github.autodeploy.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The fake GitHub in a process of its own, as the side-by-side harness runs it: it takes statuses as the robot
 * posts them, tells the last state of each deployment to the harness, and is gone once closed.
 */
class GitHubProcessTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static int post(String url, long id, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/repos/octo/app/deployments/" + id + "/statuses"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void tellsTheLastStatePostedPerDeploymentAndEndsWhenClosed() throws Exception {
        GitHubProcess github = GitHubProcess.start(5);
        try {
            assertThat(github.url()).startsWith("http://127.0.0.1:");
            assertThat(github.lastState(42)).isEmpty();
            assertThat(post(github.url(), 42, "{\"state\":\"in_progress\",\"description\":\"deploying\"}")).isEqualTo(201);
            assertThat(post(github.url(), 42, "{\"state\": \"success\", \"log_url\": \"http://x/42\"}")).isEqualTo(201);
            assertThat(post(github.url(), 43, "{\"state\":\"queued\"}")).isEqualTo(201);
            assertThat(github.lastState(42)).isEqualTo(Optional.of("success"));
            assertThat(github.lastState(43)).isEqualTo(Optional.of("queued"));
            assertThat(github.lastState(44)).isEmpty();
            // The warm-up's statuses went to a deployment no delivery has.
            assertThat(github.lastState(1)).isEqualTo(Optional.of("queued"));
            // Reads the robot makes at start are answered with an empty list.
            HttpResponse<String> list = HTTP.send(HttpRequest.newBuilder(URI.create(github.url()
                    + "/repos/octo/app/deployments?environment=production")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).isEqualTo("[]");
        } finally {
            github.close();
        }
        assertThat(github.isAlive()).isFalse();
    }
}
