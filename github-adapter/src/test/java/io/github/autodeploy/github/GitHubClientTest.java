package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.core.gate.RequiredContexts;
import io.github.autodeploy.core.model.ContextReport;
import io.github.autodeploy.core.model.ContextState;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.port.ApiException;
import io.github.autodeploy.core.port.CreateResult;
import io.github.autodeploy.core.port.NewDeployment;
import io.github.autodeploy.core.port.UnfinishedDeployment;
import io.github.autodeploy.testkit.ManualTimeSource;
import io.github.autodeploy.testkit.Values;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * The client against MockWebServer answering with the project's own REST bodies ({@code
 * src/test/resources/github-api}); {@link GitHubClientConformanceTest} checks its requests against
 * GitHub's API description and replays GitHub's own example answers.
 */
class GitHubClientTest {
    private static final String TOKEN = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";
    private static final ObjectMapper JSON = new ObjectMapper();

    @StartStop
    private final MockWebServer github = new MockWebServer();
    @StartStop
    private final MockWebServer elsewhere = new MockWebServer();
    private final ManualTimeSource time = ManualTimeSource.at("2026-11-27T10:00:00Z");

    private GitHubClient client() {
        // Generous: a loaded machine may take a while to answer; only the read-timeout test wants a short one.
        return client(Duration.ofSeconds(10));
    }

    private GitHubClient client(Duration readTimeout) {
        return GitHubClient.builder().baseUrl(github.url("/api/v3").toString()).token(TOKEN).timeSource(time)
                .timeouts(Duration.ofSeconds(5), readTimeout, readTimeout.multipliedBy(2))
                .build();
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json; charset=utf-8").body(body).build();
    }

    private static MockResponse example(int code, String file) {
        return json(code, answer(file));
    }

    static String answer(String file) {
        try (java.io.InputStream in = GitHubClientTest.class.getResourceAsStream("/github-api/" + file)) {
            return new String(java.util.Objects.requireNonNull(in, file).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static NewDeployment request(RequiredContexts contexts) {
        return new NewDeployment(Values.REPO, Values.SHA, EnvironmentName.PRODUCTION, "deploy", contexts, Values.OCTOCAT,
                Map.of("autodeploy", Map.of("requester", "octocat")), "autodeploy: merge of pull request #7 by octocat");
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest r = github.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).as("a request reached GitHub").isNotNull();
        return r;
    }

    private static void assertGitHubHeaders(RecordedRequest r) {
        assertThat(r.getHeaders().get("Accept")).isEqualTo("application/vnd.github+json");
        assertThat(r.getHeaders().get("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
        assertThat(r.getHeaders().get("User-Agent")).startsWith("autodeploy/0.1.0");
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void createsADeploymentAtTheExactShaWithoutAutoMerge() throws Exception {
        github.enqueue(example(201, "deployment.json"));
        CreateResult result = client().create(request(RequiredContexts.of(List.of("ci/build"))));
        assertThat(result).isEqualTo(new CreateResult.Created(DeploymentId.of(1)));

        RecordedRequest r = take();
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/api/v3/repos/octo/app/deployments");
        assertGitHubHeaders(r);
        JsonNode body = JSON.readTree(r.getBody().utf8());
        assertThat(body.path("ref").asText()).isEqualTo(Values.SHA.value());
        assertThat(body.path("auto_merge").asBoolean(true)).isFalse();
        assertThat(body.path("required_contexts")).hasSize(1);
        assertThat(body.path("required_contexts").get(0).asText()).isEqualTo("ci/build");
        assertThat(body.path("environment").asText()).isEqualTo("production");
        assertThat(body.path("payload").path("autodeploy").path("requester").asText()).isEqualTo("octocat");
    }

    @Test
    void absentRequiredContextsIsLeftOutAndAnEmptyListIsSent() throws Exception {
        github.enqueue(example(201, "deployment.json"));
        github.enqueue(example(201, "deployment.json"));
        client().create(request(RequiredContexts.all()));
        client().create(request(RequiredContexts.none()));
        assertThat(JSON.readTree(take().getBody().utf8()).has("required_contexts")).isFalse();
        assertThat(JSON.readTree(take().getBody().utf8()).path("required_contexts").isArray()).isTrue();
    }

    @Test
    void requiredContextsConflictIsChecksNotPassedWithEachContext() throws Exception {
        github.enqueue(example(409, "conflict-pending-context.json"));
        github.enqueue(example(409, "conflict-failed-contexts.json"));

        CreateResult first = client().create(request(RequiredContexts.all()));
        assertThat(first).isInstanceOf(CreateResult.ChecksNotPassed.class);
        assertThat(((CreateResult.ChecksNotPassed) first).contexts()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "review-bot", ContextState.PENDING, "ci/build", ContextState.SUCCESS));
        assertThat(((CreateResult.ChecksNotPassed) first).message()).isEqualTo("Conflict: Commit status checks failed for main.");

        CreateResult second = client().create(request(RequiredContexts.all()));
        assertThat(((CreateResult.ChecksNotPassed) second).contexts()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "build", ContextState.FAILURE, "test (21)", ContextState.CANCELLED, "docs", ContextState.SKIPPED));
    }

    @Test
    void mergeConflictAutoMergeAndValidationAreRejectedWithGitHubsMessage() throws Exception {
        github.enqueue(json(409, "{\"message\":\"Conflict merging main into " + Values.SHA.value() + ".\"}"));
        assertThat(client().create(request(RequiredContexts.all())))
                .isEqualTo(new CreateResult.Rejected("Conflict merging main into " + Values.SHA.value() + "."));
        github.enqueue(json(202, "{\"message\":\"Auto-merged main into topic on deployment.\"}"));
        assertThat(client().create(request(RequiredContexts.all())))
                .isEqualTo(new CreateResult.Rejected("Auto-merged main into topic on deployment."));
        github.enqueue(json(422, "{\"message\":\"Validation Failed\",\"errors\":[{\"resource\":\"Deployment\",\"field\":\"ref\",\"code\":\"invalid\"}]}"));
        assertThat(client().create(request(RequiredContexts.all())))
                .isEqualTo(new CreateResult.Rejected("Validation Failed (ref invalid)"));
    }

    @Test
    void postsAStatusWithItsLogLink() throws Exception {
        github.enqueue(example(201, "deployment-status.json"));
        client().postStatus(Values.REPO, DeploymentId.of(42), Values.status(DeploymentState.IN_PROGRESS,
                "https://deploy.example.com/deployments/42/abc"));
        RecordedRequest r = take();
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/api/v3/repos/octo/app/deployments/42/statuses");
        assertGitHubHeaders(r);
        JsonNode body = JSON.readTree(r.getBody().utf8());
        assertThat(body.path("state").asText()).isEqualTo("in_progress");
        assertThat(body.path("log_url").asText()).isEqualTo("https://deploy.example.com/deployments/42/abc");
        assertThat(body.path("description").asText()).isEqualTo("in_progress");
        assertThat(body.path("auto_inactive").asBoolean()).isTrue();
    }

    @Test
    void statusForAMissingDeploymentFailsWithoutRetry() {
        github.enqueue(json(404, "{\"message\":\"Not Found\"}"));
        assertThatThrownBy(() -> client().postStatus(Values.REPO, DeploymentId.of(42), Values.status(DeploymentState.QUEUED, "x")))
                .isInstanceOf(ApiException.class).hasMessage("POST /api/v3/repos/octo/app/deployments/42/statuses answered 404: Not Found")
                .satisfies(e -> assertThat(((ApiException) e).retryable()).isFalse());
        assertThat(github.getRequestCount()).isEqualTo(1);
    }

    @Test
    void listsDeploymentsWhoseNewestStatusIsUnfinished() throws Exception {
        github.enqueue(example(200, "deployment-items.json"));
        github.enqueue(json(200, "[{\"id\":9,\"state\":\"in_progress\",\"log_url\":\"https://deploy.example.com/deployments/1/k\"}]"));
        List<UnfinishedDeployment> found = client().listUnfinished(Values.REPO, EnvironmentName.PRODUCTION);
        assertThat(found).singleElement().satisfies(u -> {
            assertThat(u.deployment().id()).isEqualTo(DeploymentId.of(1));
            assertThat(u.state()).isEqualTo(DeploymentState.IN_PROGRESS);
            assertThat(u.logUrl()).contains("https://deploy.example.com/deployments/1/k");
        });
        RecordedRequest list = take();
        assertThat(list.getUrl().queryParameter("environment")).isEqualTo("production");
        assertGitHubHeaders(list);
        RecordedRequest statuses = take();
        assertThat(statuses.getUrl().encodedPath()).isEqualTo("/api/v3/repos/octo/app/deployments/1/statuses");
        assertThat(statuses.getUrl().queryParameter("per_page")).isEqualTo("1");
        assertGitHubHeaders(statuses);
    }

    @Test
    void readsStatusesAndCheckRunsFollowingPagination() throws Exception {
        String next = github.url("/api/v3/repos/octo/app/commits/" + Values.SHA + "/statuses?per_page=100&page=2").toString();
        github.enqueue(new MockResponse.Builder().code(200).addHeader("Link", "<" + next + ">; rel=\"next\", <" + next + ">; rel=\"last\"")
                .body(answer("status-items.json")).build());
        github.enqueue(json(200, "[{\"context\":\"lint\",\"state\":\"pending\",\"updated_at\":\"2026-11-27T10:00:00Z\"}]"));
        github.enqueue(example(200, "check-runs.json"));
        List<ContextReport> reports = client().reports(Values.REPO, Values.SHA);
        assertThat(reports).extracting(ContextReport::context, ContextReport::state, ContextReport::source).contains(
                org.assertj.core.groups.Tuple.tuple("continuous-integration/jenkins", ContextState.SUCCESS, ContextReport.Source.COMMIT_STATUS),
                org.assertj.core.groups.Tuple.tuple("lint", ContextState.PENDING, ContextReport.Source.COMMIT_STATUS),
                org.assertj.core.groups.Tuple.tuple("mighty_readme", ContextState.NEUTRAL, ContextReport.Source.CHECK_RUN));
        RecordedRequest first = take();
        assertThat(first.getUrl().encodedPath()).isEqualTo("/api/v3/repos/octo/app/commits/" + Values.SHA + "/statuses");
        assertGitHubHeaders(first);
        assertThat(take().getUrl().queryParameter("page")).isEqualTo("2");
        RecordedRequest checks = take();
        assertThat(checks.getUrl().encodedPath()).endsWith("/check-runs");
        assertGitHubHeaders(checks);
    }

    @Test
    void pollingAgainSendsTheEtagAndANotModifiedAnswerReusesTheLastBody() throws Exception {
        GitHubClient client = client();
        github.enqueue(new MockResponse.Builder().code(200).addHeader("ETag", "\"abc\"").body(answer("status-items.json")).build());
        github.enqueue(new MockResponse.Builder().code(200).addHeader("ETag", "\"def\"").body("{\"total_count\":0,\"check_runs\":[]}").build());
        List<ContextReport> first = client.reports(Values.REPO, Values.SHA);
        github.enqueue(new MockResponse.Builder().code(304).build());
        github.enqueue(new MockResponse.Builder().code(304).build());
        assertThat(client.reports(Values.REPO, Values.SHA)).isEqualTo(first);
        take();
        take();
        assertThat(take().getHeaders().get("If-None-Match")).isEqualTo("\"abc\"");
        assertThat(take().getHeaders().get("If-None-Match")).isEqualTo("\"def\"");
    }

    @Test
    void serverErrorIsARetryableFailureThatTheCallerRetriesNotTheClient() {
        github.enqueue(json(502, "{\"message\":\"Server Error\"}"));
        github.enqueue(json(201, "{}"));
        assertThatThrownBy(() -> client().postStatus(Values.REPO, DeploymentId.of(1),
                        Values.status(DeploymentState.QUEUED, "https://robot/deployments/1")))
                .isInstanceOf(ApiException.class).hasMessageContaining("answered 502")
                .satisfies(e -> {
                    assertThat(((ApiException) e).retryable()).isTrue();
                    assertThat(((ApiException) e).retryAfter()).isEmpty();
                });
        assertThat(github.getRequestCount()).as("a POST is made once").isEqualTo(1);
    }

    @Test
    void tooManyRequestsReportsRetryAfterInsteadOfSleeping() {
        github.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "30").body("{\"message\":\"slow down\"}").build());
        assertThatThrownBy(() -> client().postStatus(Values.REPO, DeploymentId.of(1), Values.status(DeploymentState.QUEUED, "x")))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> {
                    assertThat(((ApiException) e).retryable()).isTrue();
                    assertThat(((ApiException) e).retryAfter()).contains(Duration.ofSeconds(30));
                });
        assertThat(github.getRequestCount()).isEqualTo(1);
    }

    @Test
    void exhaustedRateLimitReportsTheWaitUntilReset() {
        long reset = time.now().getEpochSecond() + 120;
        github.enqueue(new MockResponse.Builder().code(403).addHeader("x-ratelimit-remaining", "0")
                .addHeader("x-ratelimit-reset", Long.toString(reset)).body("{\"message\":\"API rate limit exceeded\"}").build());
        assertThatThrownBy(() -> client().reports(Values.REPO, Values.SHA))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).retryAfter()).contains(Duration.ofSeconds(120)));
    }

    @Test
    void forbiddenWithoutRateLimitIsNotRetried() {
        github.enqueue(json(403, "{\"message\":\"Resource not accessible by integration\"}"));
        assertThatThrownBy(() -> client().postStatus(Values.REPO, DeploymentId.of(1), Values.status(DeploymentState.QUEUED, "x")))
                .isInstanceOf(ApiException.class).hasMessageContaining("Resource not accessible by integration")
                .satisfies(e -> assertThat(((ApiException) e).retryable()).isFalse());
    }

    @Test
    void secondaryRateLimitWithoutHeadersAsksForAtLeastAMinute() {
        github.enqueue(json(403, "{\"message\":\"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.\","
                + "\"documentation_url\":\"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits\"}"));
        assertThatThrownBy(() -> client().postStatus(Values.REPO, DeploymentId.of(1), Values.status(DeploymentState.QUEUED, "x")))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> {
                    assertThat(((ApiException) e).retryable()).isTrue();
                    assertThat(((ApiException) e).retryAfter()).contains(Duration.ofSeconds(60));
                });
    }

    @Test
    void tooManyRequestsWithoutHeadersAsksForAtLeastAMinute() {
        github.enqueue(json(429, "{\"message\":\"Too Many Requests\"}"));
        assertThatThrownBy(() -> client().reports(Values.REPO, Values.SHA))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).retryAfter()).contains(Duration.ofSeconds(60)));
    }

    @Test
    void connectionResetIsARetryableFailureAndTheCallIsNotRepeated() {
        github.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        github.enqueue(json(200, "[]"));
        assertThatThrownBy(() -> client().reports(Values.REPO, Values.SHA))
                .isInstanceOf(ApiException.class).satisfies(e -> assertThat(((ApiException) e).retryable()).isTrue());
        assertThat(github.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aConnectionCutAfterTheCreateWasSentIsAnUnknownOutcomeAndThePostIsNotRepeated() {
        github.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
        github.enqueue(example(201, "deployment.json"));
        assertThat(client().create(request(RequiredContexts.all()))).isInstanceOf(CreateResult.OutcomeUnknown.class);
        assertThat(github.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aServerErrorToACreateIsAnUnknownOutcomeButARateLimitIsNot() {
        github.enqueue(json(502, "{\"message\":\"Server Error\"}"));
        assertThat(client().create(request(RequiredContexts.all()))).isInstanceOf(CreateResult.OutcomeUnknown.class);
        github.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "5").body("{}").build());
        assertThatThrownBy(() -> client().create(request(RequiredContexts.all()))).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).retryAfter()).contains(Duration.ofSeconds(5)));
    }

    @Test
    void findListsDeploymentsByShaAndEnvironmentAndMatchesThePayload() throws Exception {
        github.enqueue(json(200, "[{\"id\":5,\"sha\":\"" + Values.SHA + "\",\"environment\":\"production\","
                + "\"payload\":{\"autodeploy\":{\"requester\":\"someone-else\"}}},"
                + "{\"id\":4,\"sha\":\"" + Values.SHA + "\",\"environment\":\"production\","
                + "\"payload\":{\"autodeploy\":{\"requester\":\"octocat\"}}}]"));
        assertThat(client().find(request(RequiredContexts.all()))).contains(DeploymentId.of(4));
        RecordedRequest r = take();
        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/api/v3/repos/octo/app/deployments");
        assertThat(r.getUrl().queryParameter("sha")).isEqualTo(Values.SHA.value());
        assertThat(r.getUrl().queryParameter("environment")).isEqualTo("production");
        assertGitHubHeaders(r);
    }

    @Test
    void slowServerPastTheReadTimeoutFailsRetryably() {
        github.enqueue(new MockResponse.Builder().headersDelay(2, TimeUnit.SECONDS).body("{}").build());
        assertThatThrownBy(() -> client(Duration.ofMillis(500)).reports(Values.REPO, Values.SHA))
                .isInstanceOf(ApiException.class).hasMessageContaining("failed")
                .satisfies(e -> assertThat(((ApiException) e).retryable()).isTrue());
    }

    @Test
    void noRedirectIsFollowedSoTheTokenNeverReachesItsTarget() throws Exception {
        elsewhere.enqueue(example(201, "deployment-status.json"));
        github.enqueue(new MockResponse.Builder().code(307)
                .addHeader("Location", elsewhere.url("/repos/octo/app/deployments/1/statuses").toString()).build());
        assertThatThrownBy(() -> client().postStatus(Values.REPO, DeploymentId.of(1), Values.status(DeploymentState.QUEUED, "x")))
                .isInstanceOf(ApiException.class).hasMessageContaining("answered 307")
                .satisfies(e -> assertThat(((ApiException) e).retryable()).isFalse());
        assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(elsewhere.getRequestCount()).isZero();
    }

    @Test
    void aRedirectToHttpsOfTheSameHostIsNotFollowedEither() {
        github.enqueue(new MockResponse.Builder().code(301)
                .addHeader("Location", github.url("/api/v3/repositories/1/deployments").toString()).build());
        assertThatThrownBy(() -> client().create(request(RequiredContexts.all())))
                .isInstanceOf(ApiException.class).hasMessageContaining("answered 301");
        assertThat(github.getRequestCount()).isEqualTo(1);
    }

    @Test
    void plainHttpIsRefusedUnlessLoopbackOrAllowed() {
        assertThatThrownBy(() -> GitHubClient.builder().baseUrl("http://ghes.example.com/api/v3").token(TOKEN).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("plain http, so the token would travel in clear; use https://ghes.example.com/api/v3");
        assertThat(GitHubClient.builder().baseUrl("http://ghes.example.com/api/v3").token(TOKEN).allowPlainHttp().build()).isNotNull();
        for (String loopback : List.of("http://localhost:8080", "http://127.0.0.1:9/api/v3", "http://[::1]:9/")) {
            assertThat(GitHubClient.builder().baseUrl(loopback).token(TOKEN).build()).as(loopback).isNotNull();
        }
        assertThat(GitHubClient.builder().baseUrl("https://ghes.example.com/api/v3").token(TOKEN).build()).isNotNull();
    }

    @Test
    void paginationLinkToAnotherHostIsRefused() {
        github.enqueue(new MockResponse.Builder().code(200)
                .addHeader("Link", "<" + elsewhere.url("/steal?page=2") + ">; rel=\"next\"").body("[]").build());
        assertThatThrownBy(() -> client().reports(Values.REPO, Values.SHA)).isInstanceOf(ApiException.class)
                .hasMessageContaining("only calls");
        assertThat(elsewhere.getRequestCount()).isZero();
    }

    @Test
    void errorsNeverCarryTheToken() {
        github.enqueue(json(401, "{\"message\":\"Bad credentials\"}"));
        assertThatThrownBy(() -> client().postStatus(Values.REPO, DeploymentId.of(1), Values.status(DeploymentState.QUEUED, "x")))
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void builderSaysWhatIsMissing() {
        assertThatThrownBy(() -> GitHubClient.builder().build())
                .hasMessage("give the GitHub client either token(...) or app(...), not both or neither");
        assertThatThrownBy(() -> GitHubClient.builder().baseUrl("ftp://x").token("t").build())
                .hasMessageContaining("is not an http(s) URL");
    }
}
