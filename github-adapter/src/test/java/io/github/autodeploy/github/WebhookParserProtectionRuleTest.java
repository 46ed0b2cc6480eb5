package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Requester;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code deployment_protection_rule} event, on a payload built from GitHub's JSON schema (every
 * property the schema names, with realistic values; {@code WebhookParserConformanceTest} checks it against
 * the schema): each field read into its validated type, and a hostile value in any field a malformed
 * delivery (400) whose message names the field, never another exception.
 */
class WebhookParserProtectionRuleTest {
    static final String RESOURCE = "/webhooks/deployment_protection_rule-requested.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CALLBACK = "https://api.github.com/repos/octo-org/octo-app/actions/runs/9876543210/deployment_protection_rule";
    private final WebhookParser parser = WebhookParser.create();

    static ObjectNode payload() {
        try (InputStream in = WebhookParserProtectionRuleTest.class.getResourceAsStream(RESOURCE)) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static WebhookEvent parse(WebhookParser parser, JsonNode payload) {
        return parser.parse("deployment_protection_rule", "application/json", payload.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void readsEveryFieldTheGateNeeds() {
        WebhookEvent.ProtectionRuleRequested e = (WebhookEvent.ProtectionRuleRequested) parse(parser, payload());
        assertThat(e.repo()).isEqualTo(RepositoryName.of("octo-org/octo-app"));
        assertThat(e.repository()).contains(e.repo());
        assertThat(e.environment()).isEqualTo(EnvironmentName.PRODUCTION);
        assertThat(e.trigger()).isEqualTo("push");
        assertThat(e.callbackUrl()).isEqualTo(CALLBACK);
        assertThat(e.runId()).isEqualTo(9_876_543_210L);
        assertThat(e.deploymentId()).isEqualTo(DeploymentId.of(1_481_729_503L));
        assertThat(e.sha()).isEqualTo(CommitSha.of("f95f852bd8fca8fcc58a9a2d6c842781e32a215e"));
        assertThat(e.ref()).isEqualTo(GitRef.of("main"));
        assertThat(e.creator()).isEqualTo(Requester.of("octocat"));
        assertThat(e.pullRequests()).containsExactly(7);
        assertThat(e.sender()).isEqualTo(Requester.of("octocat"));
        assertThat(e.installationId()).isEqualTo(OptionalLong.of(42_424_242L));
    }

    @Test
    void withoutInstallationOrPullRequestsThoseAreEmpty() {
        ObjectNode p = payload();
        p.remove("installation");
        p.remove("pull_requests");
        WebhookEvent.ProtectionRuleRequested e = (WebhookEvent.ProtectionRuleRequested) parse(parser, p);
        assertThat(e.installationId()).isEmpty();
        assertThat(e.pullRequests()).isEmpty();
    }

    @Test
    void anotherActionIsIgnoredAsUnknownActionsAre() {
        ObjectNode p = payload();
        p.put("action", "completed");
        assertThat(parse(parser, p)).isEqualTo(new WebhookEvent.Unsupported("deployment_protection_rule",
                java.util.Optional.of("completed"), java.util.Optional.of(RepositoryName.of("octo-org/octo-app"))));
    }

    @Test
    void aBotCreatorIsAValidLogin() {
        ObjectNode p = payload();
        ((ObjectNode) p.path("deployment").path("creator")).put("login", "github-actions[bot]");
        assertThat(((WebhookEvent.ProtectionRuleRequested) parse(parser, p)).creator()).isEqualTo(Requester.of("github-actions[bot]"));
    }

    private static Arguments set(String path, Object value, String message) {
        return Arguments.of(path, value, message);
    }

    static Stream<Arguments> hostileValues() {
        String runs = "/actions/runs/9876543210/deployment_protection_rule";
        return Stream.of(
                set("environment", null, "environment is missing"),
                set("environment", "", "environment"),
                set("environment", "prod\u0007", "environment"),
                set("environment", "e".repeat(300), "environment"),
                set("event", null, "event is missing"),
                set("event", "", "event \"\" is not a GitHub event name"),
                set("event", "push;rm -rf /", "is not a GitHub event name"),
                set("event", "push\n", "is not a GitHub event name"),
                set("deployment_callback_url", null, "deployment_callback_url is missing"),
                set("deployment_callback_url", "not a url", "deployment_callback_url \"not a url\" is refused: it is not a URL"),
                set("deployment_callback_url", "http://api.github.com/repos/octo-org/octo-app" + runs, "it is not https"),
                set("deployment_callback_url", "https://evil.example/repos/octo-org/octo-app" + runs, "not on the configured GitHub API https://api.github.com"),
                set("deployment_callback_url", "https://api.github.com.evil.example/repos/octo-org/octo-app" + runs, "not on the configured GitHub API"),
                set("deployment_callback_url", "https://api.github.com:8443/repos/octo-org/octo-app" + runs, "not on the configured GitHub API"),
                set("deployment_callback_url", "https://token@api.github.com/repos/octo-org/octo-app" + runs, "user info, a query or a fragment"),
                set("deployment_callback_url", "https://api.github.com/repos/octo-org/octo-app" + runs + "?x=1", "user info, a query or a fragment"),
                set("deployment_callback_url", "https://api.github.com/repos/octo-org/octo-app" + runs + "#f", "user info, a query or a fragment"),
                set("deployment_callback_url", "https://api.github.com/repos/octo-org/other-app" + runs, "names another repository than the event's octo-org/octo-app"),
                set("deployment_callback_url", "https://api.github.com/repos/octo-org/octo-app/../other" + runs, "its path is not"),
                set("deployment_callback_url", "https://api.github.com/repos/octo%2Dorg/octo-app" + runs, "names another repository"),
                set("deployment_callback_url", "https://api.github.com/repos/octo-org/octo-app/actions/runs/0/deployment_protection_rule", "its path is not"),
                set("deployment_callback_url", "https://api.github.com/repos/octo-org/octo-app/actions/runs/-5/deployment_protection_rule", "its path is not"),
                set("deployment_callback_url", "https://api.github.com/repos/octo-org/octo-app/actions/runs/99999999999999999999/deployment_protection_rule", "its path is not"),
                set("deployment_callback_url", "https://api.github.com/repos/octo-org/octo-app/actions/runs/9999999999999999999/deployment_protection_rule", "run id is too large"),
                set("deployment_callback_url", "https://api.github.com/repos/octo-org/octo-app/actions/runs/12/pending_deployments", "its path is not"),
                set("deployment_callback_url", "javascript:alert(1)", "it is not https"),
                set("deployment_callback_url", "https:opaque", "not on the configured GitHub API"),
                set("deployment.id", null, "deployment.id is missing"),
                set("deployment.id", "12x", "deployment.id \"12x\" is not a number"),
                set("deployment.id", -3, "deployment"),
                set("deployment.sha", "abc", "deployment.sha"),
                set("deployment.sha", null, "deployment.sha is missing"),
                set("deployment.ref", "main;id>/tmp/pwned", "deployment.ref"),
                set("deployment.ref", null, "deployment.ref is missing"),
                set("deployment.creator.login", "-mallory", "deployment.creator.login"),
                set("deployment", null, "deployment.id is missing"),
                set("sender.login", "a b", "sender.login"),
                set("sender", null, "sender.login is missing"),
                set("repository.full_name", "no-slash", "repository.full_name"),
                set("repository", null, "repository.full_name is missing"),
                set("installation.id", "42", "installation.id is not a positive number"),
                set("installation.id", -1, "installation.id is not a positive number"),
                set("installation.id", 0, "installation.id is not a positive number"),
                set("installation.id", 1.5, "installation.id is not a positive number"),
                set("pull_requests", "7", "pull_requests is not a list"),
                set("pull_requests", List.of(-7), "pull_requests[0].number is missing or not a positive number"),
                set("pull_requests", List.of(0), "pull_requests[0].number"),
                set("pull_requests", List.of(3_000_000_000L), "pull_requests[0].number"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("hostileValues")
    void aHostileValueIsAMalformedDeliveryNamingTheField(String path, Object value, String message) {
        ObjectNode p = payload();
        String[] parts = path.split("\\.");
        ObjectNode parent = p;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = (ObjectNode) parent.path(parts[i]);
        }
        String field = parts[parts.length - 1];
        if (value == null) {
            parent.remove(field);
        } else if (value instanceof List<?> numbers) {
            ArrayNode prs = parent.putArray(field);
            numbers.forEach(n -> prs.addObject().put("number", ((Number) n).longValue()));
        } else {
            parent.set(field, JSON.valueToTree(value));
        }
        assertThatThrownBy(() -> parse(parser, p))
                .isInstanceOfSatisfying(WebhookParseException.class,
                        e -> assertThat(e.kind()).isEqualTo(WebhookParseException.Kind.MALFORMED))
                .hasMessageStartingWith("deployment_protection_rule event: ")
                .hasMessageContaining(message);
    }

    @Test
    void onGitHubEnterpriseTheCallbackMustBeOnItsApi() {
        WebhookParser ghes = WebhookParser.create("https://ghe.example.com/api/v3/");
        ObjectNode p = payload();
        p.put("deployment_callback_url", "https://GHE.example.com/api/v3/repos/octo-org/octo-app/actions/runs/55/deployment_protection_rule");
        assertThat(((WebhookEvent.ProtectionRuleRequested) parse(ghes, p)).runId()).isEqualTo(55);
        assertThatThrownBy(() -> parse(ghes, payload())).hasMessageContaining("not on the configured GitHub API https://ghe.example.com/api/v3");
        p.put("deployment_callback_url", "https://ghe.example.com/repos/octo-org/octo-app/actions/runs/55/deployment_protection_rule");
        assertThatThrownBy(() -> parse(ghes, p)).hasMessageContaining("its path is not https://ghe.example.com/api/v3/repos/OWNER/REPO");
    }

    @Test
    void plainHttpIsAcceptedOnlyWhenTheApiItselfIsHttp() {
        WebhookParser test = WebhookParser.create("http://127.0.0.1:8089");
        ObjectNode p = payload();
        p.put("deployment_callback_url", "http://127.0.0.1:8089/repos/octo-org/octo-app/actions/runs/8/deployment_protection_rule");
        assertThat(((WebhookEvent.ProtectionRuleRequested) parse(test, p)).runId()).isEqualTo(8);
        p.put("deployment_callback_url", "http://127.0.0.1:9999/repos/octo-org/octo-app/actions/runs/8/deployment_protection_rule");
        assertThatThrownBy(() -> parse(test, p)).hasMessageContaining("not on the configured GitHub API");
        assertThatThrownBy(() -> parse(parser, p)).hasMessageContaining("it is not https");
    }

    @Test
    void anApiUrlThatIsNotHttpIsRefusedWhenTheParserIsMade() {
        assertThatThrownBy(() -> WebhookParser.create("ftp://example.com")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an http(s) URL");
        assertThatThrownBy(() -> WebhookParser.create("https://exa mple.com")).isInstanceOf(IllegalArgumentException.class);
    }
}
