package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.ContextState;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Requester;
import io.github.autodeploy.github.sample.SampleWebhooks;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The parser on the project's own payloads ({@link SampleWebhooks}); {@link WebhookParserConformanceTest}
 * checks it against what GitHub really sends.
 */
class WebhookParserTest {
    private static final RepositoryName APP = RepositoryName.of(SampleWebhooks.REPO);
    private static final CommitSha SHA = CommitSha.of(SampleWebhooks.SHA);
    private final WebhookParser parser = WebhookParser.create();

    private WebhookEvent parse(String event, Map<String, String> values) {
        return parser.parse(event, "application/json", SampleWebhooks.body(event, values));
    }

    private WebhookEvent parse(String event, ObjectNode payload) {
        return parser.parse(event, "application/json", SampleWebhooks.bytes(payload));
    }

    @Test
    void pingNamesItsRepositoryAndZen() {
        assertThat(parse("ping", Map.of())).isEqualTo(new WebhookEvent.Ping(Optional.of(APP), "Design for failure."));
    }

    @Test
    void mergedPullRequestCarriesItsMergeCommitAndWhoMergedIt() {
        WebhookEvent.PullRequestClosed p = (WebhookEvent.PullRequestClosed) parse("pull_request",
                Map.of("user", "hubot", "number", "7", "ref", "main", "default_branch", "main"));
        assertThat(p.repo()).isEqualTo(APP);
        assertThat(p.number()).isEqualTo(7);
        assertThat(p.merged()).isTrue();
        assertThat(p.mergeCommitSha()).contains(SHA);
        assertThat(p.headSha()).isEqualTo(CommitSha.of(SampleWebhooks.OTHER_SHA));
        assertThat(p.mergedBy()).contains(Requester.of("hubot"));
        assertThat(p.author()).isEqualTo(Requester.of("hubot"));
        assertThat(p.baseBranch()).isEqualTo(GitRef.of("main"));
        assertThat(p.defaultBranch()).isEqualTo("main");
        assertThat(p.headRepository()).contains(APP);
        assertThat(p.title()).isEqualTo("Try Autodeploy");
    }

    @Test
    void closedWithoutMergeHasNoMergeCommitEvenWhenGitHubComputedOne() {
        ObjectNode root = SampleWebhooks.payload("pull_request", Map.of("merged", "false"));
        ((ObjectNode) root.path("pull_request")).put("merge_commit_sha", SampleWebhooks.SHA);
        WebhookEvent.PullRequestClosed p = (WebhookEvent.PullRequestClosed) parse("pull_request", root);
        assertThat(p.merged()).isFalse();
        assertThat(p.mergeCommitSha()).isEmpty();
        assertThat(p.mergedBy()).isEmpty();
    }

    @Test
    void openedPullRequestIsUnsupportedWithItsAction() {
        assertThat(parse("pull_request", Map.of("action", "opened")))
                .isEqualTo(new WebhookEvent.Unsupported("pull_request", Optional.of("opened"), Optional.of(APP)));
    }

    @Test
    void pullRequestFromADeletedForkHasNoHeadRepository() {
        ObjectNode root = SampleWebhooks.payload("pull_request", Map.of());
        ((ObjectNode) root.path("pull_request").path("head")).putNull("repo");
        assertThat(((WebhookEvent.PullRequestClosed) parse("pull_request", root)).headRepository()).isEmpty();
    }

    @Test
    void pushToABranchNamesTheSenderAsPusher() {
        WebhookEvent.Push p = (WebhookEvent.Push) parse("push", Map.of("ref", "develop", "user", "hubot"));
        assertThat(p.ref()).isEqualTo(GitRef.of("refs/heads/develop"));
        assertThat(p.ref().shortName()).isEqualTo("develop");
        assertThat(p.after()).isEqualTo(SHA);
        assertThat(p.before()).isEqualTo(CommitSha.of(SampleWebhooks.OTHER_SHA));
        assertThat(p.pusher()).isEqualTo(Requester.of("hubot"));
        assertThat(p.deleted()).isFalse();
    }

    @Test
    void deletedBranchPushHasAZeroAfterSha() {
        WebhookEvent.Push p = (WebhookEvent.Push) parse("push", Map.of("deleted", "true"));
        assertThat(p.deleted()).isTrue();
        assertThat(p.after().isZero()).isTrue();
    }

    @Test
    void pushWithoutSenderFallsBackToThePusher() {
        ObjectNode root = SampleWebhooks.payload("push", Map.of("user", "hubot"));
        root.remove("sender");
        assertThat(((WebhookEvent.Push) parse("push", root)).pusher()).isEqualTo(Requester.of("hubot"));
    }

    @Test
    void deploymentCarriesEverythingARunNeeds() {
        WebhookEvent.DeploymentCreated d = (WebhookEvent.DeploymentCreated) parse("deployment",
                Map.of("id", "145988746", "environment", "staging", "ref", "develop", "user", "hubot", "payload", "{\"force\":true}"));
        assertThat(d.deployment().repository()).isEqualTo(APP);
        assertThat(d.deployment().id()).isEqualTo(DeploymentId.of(145988746));
        assertThat(d.deployment().sha()).isEqualTo(SHA);
        assertThat(d.deployment().ref()).isEqualTo(GitRef.of("develop"));
        assertThat(d.deployment().environment()).isEqualTo(EnvironmentName.of("staging"));
        assertThat(d.deployment().task()).isEqualTo("deploy");
        assertThat(d.deployment().requester()).isEqualTo(Requester.of("hubot"));
        assertThat(d.deployment().payloadJson()).isEqualTo("{\"force\":true}");
    }

    @Test
    void deploymentPayloadNamingWhoMergedIsCarriedAsAClaimForTheEngineToCheck() {
        WebhookEvent e = parse("deployment", Map.of("user", "autodeploy-bot", "payload", "{\"autodeploy\":{\"requester\":\"hubot\"}}"));
        assertThat(((WebhookEvent.DeploymentCreated) e).deployment().requester()).isEqualTo(Requester.of("autodeploy-bot"));
        assertThat(((WebhookEvent.DeploymentCreated) e).requestedFor()).contains(Requester.of("hubot"));
    }

    @Test
    void deploymentStatusCarriesItsStateAndLogLink() {
        WebhookEvent.DeploymentStatusCreated s = (WebhookEvent.DeploymentStatusCreated) parse("deployment_status",
                Map.of("id", "42", "state", "failure", "log_url", "https://ci.example.com/log/1"));
        assertThat(s.repo()).isEqualTo(APP);
        assertThat(s.deploymentId()).isEqualTo(DeploymentId.of(42));
        assertThat(s.state()).isEqualTo(DeploymentState.FAILURE);
        assertThat(s.logUrl()).contains("https://ci.example.com/log/1");
        assertThat(((WebhookEvent.DeploymentStatusCreated) parse("deployment_status", Map.of())).logUrl()).isEmpty();
    }

    @Test
    void unknownEnumWordsBecomeUnknown() {
        ObjectNode root = SampleWebhooks.payload("deployment_status", Map.of("state", "paused"));
        ((ObjectNode) root.path("deployment_status")).put("brand_new_field", 1);
        assertThat(((WebhookEvent.DeploymentStatusCreated) parse("deployment_status", root)).state()).isEqualTo(DeploymentState.UNKNOWN);
    }

    @Test
    void commitStatusAndCompletedChecksReportAContextState() {
        WebhookEvent.CommitStatus s = (WebhookEvent.CommitStatus) parse("status", Map.of("context", "ci/test", "state", "failure"));
        assertThat(s.sha()).isEqualTo(SHA);
        assertThat(s.context()).isEqualTo("ci/test");
        assertThat(s.state()).isEqualTo(ContextState.FAILURE);
        WebhookEvent.CheckRunCompleted run = (WebhookEvent.CheckRunCompleted) parse("check_run", Map.of("context", "lint", "state", "neutral"));
        assertThat(run.name()).isEqualTo("lint");
        assertThat(run.headSha()).isEqualTo(SHA);
        assertThat(run.state()).isEqualTo(ContextState.NEUTRAL);
        WebhookEvent.CheckSuiteCompleted suite = (WebhookEvent.CheckSuiteCompleted) parse("check_suite", Map.of("ref", "develop"));
        assertThat(suite.headBranch()).contains("develop");
        assertThat(suite.conclusion()).isEqualTo(ContextState.SUCCESS);
    }

    @Test
    void eventsTheRobotDoesNotActOnAreUnsupportedWithTheirRepository() {
        assertThat(parse("workflow_run", Map.of()))
                .isEqualTo(new WebhookEvent.Unsupported("workflow_run", Optional.of("completed"), Optional.of(APP)));
        assertThat(parse("check_run", Map.of("action", "created")))
                .isEqualTo(new WebhookEvent.Unsupported("check_run", Optional.of("created"), Optional.of(APP)));
    }

    @Test
    void everySampleEventParses() {
        for (String event : SampleWebhooks.EVENTS) {
            assertThat(parse(event, Map.of())).as(event).isNotNull();
        }
    }

    @Test
    void theSampleProtectionRuleRequestCarriesItsRunInstallationAndCommit() {
        WebhookEvent.ProtectionRuleRequested e = (WebhookEvent.ProtectionRuleRequested) parse("deployment_protection_rule",
                Map.of("run", "4242", "installation", "77", "id", "9", "user", "hubot", "environment", "staging"));
        assertThat(e.repo()).isEqualTo(APP);
        assertThat(e.runId()).isEqualTo(4242L);
        assertThat(e.installationId()).hasValue(77L);
        assertThat(e.deploymentId()).isEqualTo(DeploymentId.of(9));
        assertThat(e.sha()).isEqualTo(SHA);
        assertThat(e.environment()).isEqualTo(EnvironmentName.of("staging"));
        assertThat(e.creator()).isEqualTo(new Requester("hubot"));
        assertThat(e.trigger()).isEqualTo("push");
        assertThat(e.callbackUrl()).isEqualTo("https://api.github.com/repos/" + SampleWebhooks.REPO
                + "/actions/runs/4242/deployment_protection_rule");
    }

    @Test
    void theSampleProtectionRuleRequestFollowsTheApiUrlItIsGiven() {
        WebhookParser enterprise = WebhookParser.create("http://127.0.0.1:8181/api/v3");
        WebhookEvent e = enterprise.parse("deployment_protection_rule", "application/json", SampleWebhooks.body(
                "deployment_protection_rule", Map.of("api_url", "http://127.0.0.1:8181/api/v3/", "run", "5")));
        assertThat(((WebhookEvent.ProtectionRuleRequested) e).runId()).isEqualTo(5L);
        assertThatThrownBy(() -> parse("deployment_protection_rule", Map.of("api_url", "http://127.0.0.1:8181/api/v3")))
                .isInstanceOf(WebhookParseException.class).hasMessageContaining("deployment_callback_url");
    }

    @Test
    void statusWithAnAbbreviatedShaIsRejectedWithThePath() {
        assertThatThrownBy(() -> parse("status", Map.of("sha", "1333c018defc50bfe123e2e7acbc83bb")))
                .isInstanceOf(WebhookParseException.class)
                .hasMessageStartingWith("status event: sha: commit sha \"1333c018defc50bfe123e2e7acbc83bb\"")
                .satisfies(e -> assertThat(((WebhookParseException) e).kind()).isEqualTo(WebhookParseException.Kind.MALFORMED));
    }

    @Test
    void readsAFormEncodedDelivery() {
        byte[] json = SampleWebhooks.body("ping", Map.of());
        byte[] form = ("payload=" + URLEncoder.encode(new String(json, StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(parser.parse("ping", "application/x-www-form-urlencoded", form)).isEqualTo(parse("ping", Map.of()));
    }

    @Test
    void unsupportedContentTypeIsItsOwnKind() {
        assertThatThrownBy(() -> parser.parse("ping", "text/plain", "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(WebhookParseException.class)
                .satisfies(e -> assertThat(((WebhookParseException) e).kind()).isEqualTo(WebhookParseException.Kind.UNSUPPORTED_CONTENT_TYPE));
    }

    @Test
    void malformedDeliveriesSayWhatIsWrong() {
        assertThatThrownBy(() -> parser.parse(null, "application/json", "{}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("the X-GitHub-Event header is missing");
        assertThatThrownBy(() -> parser.parse("push", "application/json", "{\"ref\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(WebhookParseException.class).hasMessageStartingWith("the body is not valid JSON");
        assertThatThrownBy(() -> parser.parse("push", "application/json", "[1]".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("the payload is not a JSON object");
        assertThatThrownBy(() -> parser.parse("push", "application/json", "{}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("push event: repository.full_name is missing");
        assertThatThrownBy(() -> parser.parse("ping", "application/x-www-form-urlencoded", "x=1".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("the form-encoded body has no payload field");
        assertThatThrownBy(() -> parser.parse("ping", "application/json", new byte[0])).isInstanceOf(WebhookParseException.class);
        assertThat(parser.parse("ping", "application/json; charset=utf-8", "{}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new WebhookEvent.Ping(Optional.empty(), ""));
    }
}
