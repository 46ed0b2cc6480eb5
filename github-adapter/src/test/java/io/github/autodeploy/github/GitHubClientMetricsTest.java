package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.port.ApiException;
import io.github.autodeploy.testkit.ManualTimeSource;
import io.github.autodeploy.testkit.RecordingMetrics;
import io.github.autodeploy.testkit.Values;
import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/** What the client reports to the metrics port: each call by operation and answer, and GitHub's rate-limit remaining. */
class GitHubClientMetricsTest {
    @StartStop
    private final MockWebServer github = new MockWebServer();
    private final ManualTimeSource time = ManualTimeSource.at("2026-11-27T10:00:00Z");
    private final RecordingMetrics metrics = new RecordingMetrics();

    private GitHubClient client() {
        return GitHubClient.builder().baseUrl(github.url("/api/v3").toString()).token("ghp_0123456789abcdefghijklmnopqrstuvwxyz")
                .timeSource(time).timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20))
                .metrics(metrics).build();
    }

    private static MockResponse json(int code, String body, String remaining) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json; charset=utf-8")
                .addHeader("X-RateLimit-Remaining", remaining).addHeader("X-RateLimit-Reset", "1795780000").body(body).build();
    }

    @Test
    void eachCallIsCountedByOperationAndAnswerAndTheLastRateLimitRemainingIsKept() {
        GitHubClient client = client();
        assertThat(client.rateLimitRemaining()).isEmpty();
        github.enqueue(json(201, GitHubClientTest.answer("deployment-status.json"), "4999"));
        github.enqueue(json(404, "{\"message\":\"Not Found\"}", "4998"));
        github.enqueue(json(403, "{\"message\":\"API rate limit exceeded\"}", "0"));
        github.enqueue(json(200, "[]", "4997"));
        github.enqueue(json(200, "{\"total_count\":0,\"check_runs\":[]}", "4996"));

        client.postStatus(Values.REPO, DeploymentId.of(42), Values.status(DeploymentState.IN_PROGRESS, "https://d.example.com/x"));
        assertThatThrownBy(() -> client.postStatus(Values.REPO, DeploymentId.of(43), Values.status(DeploymentState.QUEUED, "x")))
                .isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> client.listUnfinished(Values.REPO, EnvironmentName.PRODUCTION))
                .isInstanceOf(ApiException.class).satisfies(e -> assertThat(((ApiException) e).retryable()).isTrue());
        assertThat(client.rateLimitRemaining()).hasValue(0);
        client.reports(Values.REPO, Values.SHA);

        assertThat(metrics.counts()).isEqualTo(Map.of(
                "github create_deployment_status 2xx", 1,
                "github create_deployment_status 4xx", 1,
                "github list_deployments rate_limited", 1,
                "github commit_statuses 2xx", 1,
                "github check_runs 2xx", 1));
        assertThat(metrics.gauges()).isEqualTo(Map.of("github ratelimit", 4996));
        assertThat(client.rateLimitRemaining()).hasValue(4996);
    }

    @Test
    void operationsNameWhatACallDoesNeverWhichRepositoryOrSha() {
        assertThat(GitHubTransport.operation("POST", "/repos/o/r/deployments")).isEqualTo("create_deployment");
        assertThat(GitHubTransport.operation("GET", "/api/v3/repos/o/r/deployments")).isEqualTo("list_deployments");
        assertThat(GitHubTransport.operation("GET", "/repos/o/r/deployments/7/statuses")).isEqualTo("list_deployment_statuses");
        assertThat(GitHubTransport.operation("GET", "/repos/o/r/commits/" + Values.SHA.value() + "/check-runs")).isEqualTo("check_runs");
        assertThat(GitHubTransport.operation("POST", "/app/installations/5/access_tokens")).isEqualTo("installation_token");
        assertThat(GitHubTransport.operation("GET", "/rate_limit")).isEqualTo("other");
        assertThat(GitHubTransport.operation("POST", "/repos/o/r/deployments/12345/statuses")).isEqualTo("create_deployment_status");
        assertThat(GitHubTransport.operation("GET", "/repos/o/r/commits/main/statuses")).isEqualTo("commit_statuses");
        assertThat(GitHubTransport.operation("GET", "/repos/o/r/commits/" + Values.SHA.value() + "/status")).isEqualTo("commit_statuses");
    }

    @Test
    void pathsThatOnlyLookLikeACallOfAKindAreOther() {
        assertThat(GitHubTransport.operation("GET", "/repos/o/r/deployments/x7/statuses")).isEqualTo("other");
        assertThat(GitHubTransport.operation("GET", "/repos/o/r/deployments//statuses")).isEqualTo("other");
        assertThat(GitHubTransport.operation("GET", "/statuses")).isEqualTo("other");
        assertThat(GitHubTransport.operation("GET", "/repos/o/r/commits//status")).isEqualTo("other");
        assertThat(GitHubTransport.operation("GET", "/repos/o/r/commit/abc/check-runs")).isEqualTo("other");
        assertThat(GitHubTransport.operation("GET", "/commits/abc/check-runs")).isEqualTo("check_runs");
    }
}
