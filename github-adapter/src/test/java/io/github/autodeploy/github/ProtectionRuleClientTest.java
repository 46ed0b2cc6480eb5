package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.port.ApiException;
import io.github.autodeploy.core.port.ProtectionRuleApi;
import io.github.autodeploy.core.port.ProtectionRuleResult;
import io.github.autodeploy.core.port.ProtectionRuleTarget;
import io.github.autodeploy.testkit.RecordingMetrics;
import io.github.autodeploy.testkit.Values;
import java.util.OptionalLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * The protection-rule client on MockWebServer playing GitHub: what it sends (path, installation token,
 * body, each request valid under the project's copy of GitHub's OpenAPI description), the limits, and
 * that a request that may have reached GitHub is never sent twice.
 */
class ProtectionRuleClientTest {
    private static final ProtectionRuleTarget TARGET = new ProtectionRuleTarget(Values.REPO, 9876543210L,
            EnvironmentName.PRODUCTION, OptionalLong.of(42));
    private static final String RULE_PATH = "/api/v3/repos/octo/app/actions/runs/9876543210/deployment_protection_rule";
    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final ProtectionRuleGitHub github = new ProtectionRuleGitHub();

    private ProtectionRuleClient client() {
        server.setDispatcher(github);
        return ProtectionRuleClient.builder().baseUrl(server.url("/api/v3").toString()).app(12345, ProtectionRuleGitHub.PEM).build();
    }

    private long rulePosts() {
        return github.requests().stream().filter(r -> r.getUrl().encodedPath().endsWith("/deployment_protection_rule")).count();
    }

    @Test
    void anApprovalIsPostedToTheRunWithTheInstallationsToken() {
        ProtectionRuleClient client = client();
        assertThat(client.configured()).isTrue();
        ProtectionRuleResult result = client.review(TARGET, ProtectionRuleApi.Decision.APPROVED, "CI green, no lock, window open");

        assertThat(result).isEqualTo(new ProtectionRuleResult.Sent());
        assertThat(github.tokenRequests()).singleElement().satisfies(t -> {
            assertThat(t.getUrl().encodedPath()).isEqualTo("/api/v3/app/installations/42/access_tokens");
            assertThat(t.getHeaders().get("Authorization")).as("the App's JWT").matches("Bearer [\\w-]+\\.[\\w-]+\\.[\\w-]+");
        });
        RecordedRequest review = github.requests().get(1);
        assertThat(review.getMethod()).isEqualTo("POST");
        assertThat(review.getUrl().encodedPath()).isEqualTo(RULE_PATH);
        assertThat(review.getHeaders().get("Authorization")).isEqualTo("Bearer ghs_installation_42");
        assertThat(review.getHeaders().get("Accept")).isEqualTo("application/vnd.github+json");
        assertThat(review.getBody().utf8()).isEqualTo(
                "{\"environment_name\":\"production\",\"state\":\"approved\",\"comment\":\"CI green, no lock, window open\"}");
    }

    @Test
    void aRejectionCarriesItsState() {
        assertThat(client().review(TARGET, ProtectionRuleApi.Decision.REJECTED, "ci/build failed"))
                .isEqualTo(new ProtectionRuleResult.Sent());
        assertThat(github.taken()).singleElement().satisfies(t -> {
            assertThat(t.body().path("state").asText()).isEqualTo("rejected");
            assertThat(t.body().path("comment").asText()).isEqualTo("ci/build failed");
        });
    }

    @Test
    void aStatusReportIsTheCommentWithoutAState() {
        assertThat(client().report(TARGET, "locked by ops: incident 4711 since 14:02")).isEqualTo(new ProtectionRuleResult.Sent());
        assertThat(github.taken()).singleElement().satisfies(t -> {
            assertThat(t.body().has("state")).isFalse();
            assertThat(t.body().path("environment_name").asText()).isEqualTo("production");
            assertThat(t.body().path("comment").asText()).isEqualTo("locked by ops: incident 4711 since 14:02");
        });
    }

    @Test
    void eachInstallationGetsItsOwnTokenFetchedOnce() {
        ProtectionRuleClient client = client();
        ProtectionRuleTarget other = new ProtectionRuleTarget(Values.REPO, 5L, EnvironmentName.of("staging"), OptionalLong.of(43));
        client.report(TARGET, "one");
        client.report(other, "two");
        client.review(TARGET, ProtectionRuleApi.Decision.APPROVED, "three");
        assertThat(github.tokenRequests()).extracting(r -> r.getUrl().encodedPath()).containsExactly(
                "/api/v3/app/installations/42/access_tokens", "/api/v3/app/installations/43/access_tokens");
        assertThat(github.taken()).extracting(ProtectionRuleGitHub.Taken::authorization)
                .containsExactly("Bearer ghs_installation_42", "Bearer ghs_installation_43", "Bearer ghs_installation_42");
    }

    @Test
    void aReportOf1024CharactersIsSentWholeAndALongerOneIsCutWithAnEllipsis() {
        ProtectionRuleClient client = client();
        String exact = "a".repeat(1024);
        client.report(TARGET, exact);
        client.report(TARGET, "b".repeat(1025));
        client.review(TARGET, ProtectionRuleApi.Decision.REJECTED, "c".repeat(3000));
        assertThat(github.taken()).extracting(t -> t.body().path("comment").asText())
                .containsExactly(exact, "b".repeat(1023) + "…", "c".repeat(1023) + "…");
    }

    @Test
    void theEleventhReportIsNotSentAndARefusedOneDoesNotCount() {
        ProtectionRuleClient client = client();
        github.answerRule(ProtectionRuleGitHub.json(422, "{\"message\":\"Validation Failed\"}"));
        assertThat(client.report(TARGET, "refused")).isEqualTo(new ProtectionRuleResult.Refused(422, "Validation Failed"));
        for (int i = 1; i <= 10; i++) {
            assertThat(client.report(TARGET, "report " + i)).isEqualTo(new ProtectionRuleResult.Sent());
        }
        assertThat(client.report(TARGET, "report 11")).isInstanceOfSatisfying(ProtectionRuleResult.LimitReached.class,
                l -> assertThat(l.reason()).contains("10 status reports"));
        assertThat(rulePosts()).isEqualTo(11);
    }

    @Test
    void aServerErrorAfterSendingIsOutcomeUnknownAndNeverSentAgain() {
        ProtectionRuleClient client = client();
        github.answerRule(ProtectionRuleGitHub.json(502, "{\"message\":\"Server Error\"}"));
        assertThat(client.review(TARGET, ProtectionRuleApi.Decision.APPROVED, "go"))
                .isInstanceOfSatisfying(ProtectionRuleResult.OutcomeUnknown.class,
                        u -> assertThat(u.message()).contains("502").contains("not sent again"));
        assertThat(rulePosts()).as("one approval, never two").isEqualTo(1);
    }

    @Test
    void aConnectionResetAfterSendingIsOutcomeUnknownAndNeverSentAgain() {
        ProtectionRuleClient client = client();
        github.answerRule(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
        assertThat(client.review(TARGET, ProtectionRuleApi.Decision.APPROVED, "go")).isInstanceOf(ProtectionRuleResult.OutcomeUnknown.class);
        assertThat(rulePosts()).as("one approval, never two").isEqualTo(1);
    }

    @Test
    void aReportWhoseAnswerWasLostCountsAgainstTheLimit() {
        ProtectionRuleClient client = client();
        github.answerRule(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
        assertThat(client.report(TARGET, "maybe")).isInstanceOf(ProtectionRuleResult.OutcomeUnknown.class);
        for (int i = 2; i <= 10; i++) {
            client.report(TARGET, "report " + i);
        }
        assertThat(client.report(TARGET, "one too many")).isInstanceOf(ProtectionRuleResult.LimitReached.class);
        assertThat(rulePosts()).isEqualTo(10);
    }

    @Test
    void refusalsCarryGitHubsMessage() {
        ProtectionRuleClient client = client();
        github.answerRule(ProtectionRuleGitHub.json(422, "{\"message\":\"Validation Failed\",\"errors\":[\"No pending custom deployment protection rule\"]}"));
        github.answerRule(ProtectionRuleGitHub.json(404, "{\"message\":\"Not Found\"}"));
        assertThat(client.review(TARGET, ProtectionRuleApi.Decision.APPROVED, "go"))
                .isEqualTo(new ProtectionRuleResult.Refused(422, "Validation Failed (No pending custom deployment protection rule)"));
        assertThat(client.review(TARGET, ProtectionRuleApi.Decision.APPROVED, "go"))
                .isEqualTo(new ProtectionRuleResult.Refused(404, "Not Found"));
    }

    @Test
    void aRateLimitMeansNothingWasTakenSoTheCallMayBeMadeAgain() {
        ProtectionRuleClient client = client();
        github.answerRule(new MockResponse.Builder().code(403).addHeader("x-ratelimit-remaining", "0")
                .addHeader("Retry-After", "30").body("{\"message\":\"API rate limit exceeded\"}").build());
        assertThatThrownBy(() -> client.report(TARGET, "waiting")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e).isNotInstanceOf(GitHubTransport.MaybeReceived.class);
        });
        for (int i = 1; i <= 10; i++) {
            assertThat(client.report(TARGET, "report " + i)).as("the rate-limited one did not count").isEqualTo(new ProtectionRuleResult.Sent());
        }
    }

    @Test
    void withoutAnAppNothingIsSentAndNoTokenIsEverUsed() {
        server.setDispatcher(github);
        ProtectionRuleClient client = ProtectionRuleClient.builder().baseUrl(server.url("/").toString()).build();
        assertThat(client.review(TARGET, ProtectionRuleApi.Decision.APPROVED, "go"))
                .isInstanceOfSatisfying(ProtectionRuleResult.NotConfigured.class,
                        n -> assertThat(n.reason()).contains("no GitHub App is configured"));
        assertThat(client.report(TARGET, "x")).isInstanceOf(ProtectionRuleResult.NotConfigured.class);
        assertThat(client.configured()).isFalse();
        assertThat(github.requests()).isEmpty();
    }

    @Test
    void anInstallationGitHubGivesNoTokenForIsNotConfiguredAndTheReviewIsNotSent() {
        ProtectionRuleClient client = client();
        github.answerToken(ProtectionRuleGitHub.json(404, "{\"message\":\"Not Found\"}"));
        assertThat(client.review(TARGET, ProtectionRuleApi.Decision.APPROVED, "go"))
                .isInstanceOfSatisfying(ProtectionRuleResult.NotConfigured.class,
                        n -> assertThat(n.reason()).contains("installation 42"));
        assertThat(rulePosts()).isZero();
    }

    @Test
    void aTokenServerErrorIsARetryableFailureNotALostReview() {
        ProtectionRuleClient client = client();
        github.answerToken(ProtectionRuleGitHub.json(500, "{}"));
        assertThatThrownBy(() -> client.review(TARGET, ProtectionRuleApi.Decision.APPROVED, "go"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e).isNotInstanceOf(GitHubTransport.MaybeReceived.class);
                });
        assertThat(rulePosts()).isZero();
        assertThat(client.review(TARGET, ProtectionRuleApi.Decision.APPROVED, "go")).isEqualTo(new ProtectionRuleResult.Sent());
    }

    @Test
    void callsAreCountedUnderTheirOwnOperation() {
        RecordingMetrics metrics = new RecordingMetrics();
        server.setDispatcher(github);
        ProtectionRuleClient client = ProtectionRuleClient.builder().baseUrl(server.url("/").toString())
                .app(12345, ProtectionRuleGitHub.PEM).metrics(metrics).build();
        client.report(TARGET, "waiting");
        assertThat(metrics.counts()).containsEntry("github deployment_protection_rule 2xx", 1).containsEntry("github installation_token 2xx", 1);
    }

    @Test
    void everyRequestIsOneGitHubDescribes() {
        ProtectionRuleClient client = client();
        client.review(TARGET, ProtectionRuleApi.Decision.APPROVED, "ok");
        client.review(TARGET, ProtectionRuleApi.Decision.REJECTED, "");
        client.report(TARGET, "**waiting** for `ci/build`");
        DescribedRequests described = DescribedRequests.protectionRules();
        assertThat(github.requests()).hasSize(4).extracting(r -> described.assertDescribes(r, "/api/v3")).containsExactly(
                "apps/create-installation-access-token", "actions/review-custom-gates-for-run",
                "actions/review-custom-gates-for-run", "actions/review-custom-gates-for-run");
    }

    @Test
    void theDescriptionCheckCatchesABodyGitHubWouldRefuse() {
        server.setDispatcher(github);
        DescribedRequests described = DescribedRequests.protectionRules();
        okhttp3.OkHttpClient http = new okhttp3.OkHttpClient();
        for (String bad : new String[] {"{\"environment_name\":\"production\",\"state\":\"maybe\",\"comment\":\"x\"}",
                "{\"environment_name\":\"production\"}", "{\"environment_name\":\"production\",\"comment\":\"x\",\"extra\":1}"}) {
            try (okhttp3.Response r = http.newCall(new okhttp3.Request.Builder().url(server.url(RULE_PATH))
                    .post(okhttp3.RequestBody.create(bad, GitHubTransport.JSON)).build()).execute()) {
                assertThat(r.code()).isEqualTo(204);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            RecordedRequest sent = github.requests().get(github.requests().size() - 1);
            assertThatThrownBy(() -> described.assertDescribes(sent, "/api/v3")).as(bad).isInstanceOf(AssertionError.class);
        }
    }
}
