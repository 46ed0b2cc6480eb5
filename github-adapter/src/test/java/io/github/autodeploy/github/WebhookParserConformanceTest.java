package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.ContextState;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Requester;
import io.github.autodeploy.core.testing.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parser against what GitHub really sends: every payload example of octokit/webhooks and the older
 * shapes of hubot-deploy, from {@code ../shared/fixtures}. The behaviour itself is tested with the
 * project's own payloads in {@link WebhookParserTest}.
 */
class WebhookParserConformanceTest {
    private static final String OCTOKIT = "github-webhooks/octokit/payload-examples/api.github.com/";
    private static final String HUBOT = "github-webhooks/hubot-deploy/";
    private static final RepositoryName HELLO = RepositoryName.of("Codertocat/Hello-World");
    private final WebhookParser parser = WebhookParser.create();

    private static Arguments fixture(String file, String event, Consumer<WebhookEvent> expect) {
        return Arguments.of(file, event, expect);
    }

    @SuppressWarnings("unchecked")
    private static <T> Consumer<WebhookEvent> is(Class<T> type, Consumer<T> more) {
        return e -> {
            assertThat(e).isInstanceOf(type);
            more.accept((T) e);
        };
    }

    static Stream<Arguments> everyFixture() {
        return Stream.of(
                fixture(OCTOKIT + "ping/payload.json", "ping", is(WebhookEvent.Ping.class, p -> {
                    assertThat(p.repository()).contains(RepositoryName.of("Octocoders/Hello-World"));
                    assertThat(p.zen()).isEqualTo("Anything added dilutes everything else.");
                })),
                fixture(OCTOKIT + "ping/with-app_id.payload.json", "ping", is(WebhookEvent.Ping.class, p ->
                        assertThat(p.zen()).isNotEmpty())),
                fixture(OCTOKIT + "pull_request/closed.payload.json", "pull_request", is(WebhookEvent.PullRequestClosed.class, p -> {
                    assertThat(p.repo()).isEqualTo(HELLO);
                    assertThat(p.number()).isEqualTo(2);
                    assertThat(p.merged()).isFalse();
                    assertThat(p.mergeCommitSha()).isEmpty();
                    assertThat(p.baseBranch()).isEqualTo(GitRef.of("master"));
                    assertThat(p.defaultBranch()).isEqualTo("master");
                    assertThat(p.author()).isEqualTo(Requester.of("Codertocat"));
                })),
                fixture(OCTOKIT + "pull_request/opened.payload.json", "pull_request", is(WebhookEvent.Unsupported.class, u ->
                        assertThat(u.action()).contains("opened"))),
                fixture(OCTOKIT + "pull_request/reopened.payload.json", "pull_request", is(WebhookEvent.Unsupported.class, u ->
                        assertThat(u.action()).contains("reopened"))),
                fixture(OCTOKIT + "pull_request/synchronize.payload.json", "pull_request", is(WebhookEvent.Unsupported.class, u ->
                        assertThat(u.repository()).contains(HELLO))),
                fixture(OCTOKIT + "push/payload.json", "push", is(WebhookEvent.Push.class, p -> {
                    assertThat(p.ref()).isEqualTo(GitRef.of("refs/tags/simple-tag"));
                    assertThat(p.deleted()).isTrue();
                    assertThat(p.after().isZero()).isTrue();
                    assertThat(p.pusher()).isEqualTo(Requester.of("Codertocat"));
                })),
                fixture(OCTOKIT + "push/1.payload.json", "push", is(WebhookEvent.Push.class, p -> assertThat(p.deleted()).isTrue())),
                fixture(OCTOKIT + "push/with-installation.payload.json", "push", is(WebhookEvent.Push.class, p ->
                        assertThat(p.repo()).isEqualTo(HELLO))),
                fixture(OCTOKIT + "push/with-new-branch.payload.json", "push", is(WebhookEvent.Push.class, p -> {
                    assertThat(p.ref().shortName()).isEqualTo("master");
                    assertThat(p.created()).isTrue();
                    assertThat(p.after()).isEqualTo(CommitSha.of("6113728f27ae82c7b1a177c8d03f9e96e0adf246"));
                })),
                fixture(OCTOKIT + "deployment/payload.json", "deployment", is(WebhookEvent.DeploymentCreated.class, d -> {
                    assertThat(d.deployment().repository()).isEqualTo(HELLO);
                    assertThat(d.deployment().id()).isEqualTo(DeploymentId.of(145988746));
                    assertThat(d.deployment().sha()).isEqualTo(CommitSha.of("f95f852bd8fca8fcc58a9a2d6c842781e32a215e"));
                    assertThat(d.deployment().ref()).isEqualTo(GitRef.of("master"));
                    assertThat(d.deployment().environment()).isEqualTo(EnvironmentName.PRODUCTION);
                    assertThat(d.deployment().task()).isEqualTo("deploy");
                    assertThat(d.deployment().requester()).isEqualTo(Requester.of("Codertocat"));
                    assertThat(d.deployment().payloadJson()).isEqualTo("{}");
                })),
                fixture(OCTOKIT + "deployment_status/payload.json", "deployment_status", is(WebhookEvent.DeploymentStatusCreated.class, s -> {
                    assertThat(s.deploymentId()).isEqualTo(DeploymentId.of(145988746));
                    assertThat(s.state()).isEqualTo(DeploymentState.SUCCESS);
                    assertThat(s.logUrl()).isEmpty();
                })),
                fixture(OCTOKIT + "status/payload.json", "status", is(WebhookEvent.CommitStatus.class, s -> {
                    assertThat(s.sha()).isEqualTo(CommitSha.of("6113728f27ae82c7b1a177c8d03f9e96e0adf246"));
                    assertThat(s.context()).isEqualTo("default");
                    assertThat(s.state()).isEqualTo(ContextState.SUCCESS);
                })),
                fixture(OCTOKIT + "status/with-installation.payload.json", "status", is(WebhookEvent.CommitStatus.class, s ->
                        assertThat(s.repo()).isEqualTo(HELLO))),
                fixture(OCTOKIT + "check_run/completed.payload.json", "check_run", is(WebhookEvent.CheckRunCompleted.class, c -> {
                    assertThat(c.name()).isEqualTo("Octocoders-linter");
                    assertThat(c.state()).isEqualTo(ContextState.SUCCESS);
                    assertThat(c.headSha()).isEqualTo(CommitSha.of("ec26c3e57ca3a959ca5aad62de7213c562f8c821"));
                })),
                fixture(OCTOKIT + "check_suite/completed.payload.json", "check_suite", is(WebhookEvent.CheckSuiteCompleted.class, c -> {
                    assertThat(c.headBranch()).contains("changes");
                    assertThat(c.conclusion()).isEqualTo(ContextState.SUCCESS);
                })),
                fixture(OCTOKIT + "workflow_run/completed.payload.json", "workflow_run", is(WebhookEvent.Unsupported.class, u -> {
                    assertThat(u.eventName()).isEqualTo("workflow_run");
                    assertThat(u.repository()).contains(RepositoryName.of("octo-org/octo-repo"));
                })),
                fixture(HUBOT + "pull_requests/pull_request_merged.json", "pull_request", is(WebhookEvent.PullRequestClosed.class, p -> {
                    assertThat(p.merged()).isTrue();
                    assertThat(p.mergeCommitSha()).contains(CommitSha.of("d137a85d827990a8075fdab2ef6998bf6b7b9180"));
                    assertThat(p.mergedBy()).contains(Requester.of("atmos"));
                    assertThat(p.repo()).isEqualTo(RepositoryName.of("atmos/hubot-deploy"));
                })),
                fixture(HUBOT + "pull_requests/pull_request_closed.json", "pull_request", is(WebhookEvent.PullRequestClosed.class, p ->
                        assertThat(p.merged()).isFalse())),
                fixture(HUBOT + "pull_requests/pull_request_opened.json", "pull_request", is(WebhookEvent.Unsupported.class, u ->
                        assertThat(u.action()).contains("opened"))),
                fixture(HUBOT + "deployments/production.json", "deployment", is(WebhookEvent.DeploymentCreated.class, d -> {
                    assertThat(d.deployment().id()).isEqualTo(DeploymentId.of(1875476));
                    assertThat(d.deployment().ref()).isEqualTo(GitRef.of("heroku"));
                    assertThat(d.deployment().requester()).isEqualTo(Requester.of("atmos"));
                    assertThat(d.deployment().payloadJson()).contains("\"name\"");
                })),
                fixture(HUBOT + "deployment_statuses/failure.json", "deployment_status", is(WebhookEvent.DeploymentStatusCreated.class, s -> {
                    assertThat(s.state()).isEqualTo(DeploymentState.FAILURE);
                    assertThat(s.logUrl()).hasValueSatisfying(u -> assertThat(u).startsWith("https://gist.github.com/"));
                })),
                fixture(HUBOT + "deployment_statuses/pending.json", "deployment_status", is(WebhookEvent.DeploymentStatusCreated.class, s ->
                        assertThat(s.state()).isEqualTo(DeploymentState.PENDING))),
                fixture(HUBOT + "deployment_statuses/success.json", "deployment_status", is(WebhookEvent.DeploymentStatusCreated.class, s ->
                        assertThat(s.deploymentId()).isEqualTo(DeploymentId.of(11627)))),
                fixture(HUBOT + "statuses/failure.json", "status", is(WebhookEvent.CommitStatus.class, s -> {
                    assertThat(s.state()).isEqualTo(ContextState.FAILURE);
                    assertThat(s.context()).isEqualTo("Janky (github)");
                })));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyFixture")
    void parsesEveryFixture(String file, String event, Consumer<WebhookEvent> expect) {
        expect.accept(parser.parse(event, "application/json", SharedFixtures.bytes(file)));
    }

    @Test
    void everyFixtureFileIsInTheTable() throws Exception {
        List<String> inTable = everyFixture().map(a -> (String) a.get()[0]).toList();
        try (Stream<Path> files = Files.walk(SharedFixtures.path("github-webhooks"))) {
            List<String> all = files.filter(p -> p.toString().endsWith(".json") && !p.toString().contains("payload-schemas"))
                    .map(p -> SharedFixtures.path("").relativize(p).toString()).toList();
            assertThat(all).allMatch(f -> inTable.contains(f) || f.endsWith("statuses/pending.json") && f.startsWith(HUBOT)
                    || f.endsWith("statuses/success.json") && f.startsWith(HUBOT + "statuses"));
        }
    }

    /** hubot-deploy's pending and success status payloads carry a 32-digit sha, which no commit has. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"statuses/pending.json", "statuses/success.json"})
    void statusWithAnAbbreviatedShaIsRejectedWithThePath(String file) {
        byte[] payload = SharedFixtures.bytes(HUBOT + file);
        assertThatThrownBy(() -> parser.parse("status", "application/json", payload))
                .isInstanceOf(WebhookParseException.class)
                .hasMessageStartingWith("status event: sha: commit sha \"1333c018defc50bfe123e2e7acbc83bb\"")
                .satisfies(e -> assertThat(((WebhookParseException) e).kind()).isEqualTo(WebhookParseException.Kind.MALFORMED));
    }
}
