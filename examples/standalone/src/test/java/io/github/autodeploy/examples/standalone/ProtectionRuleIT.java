package io.github.autodeploy.examples.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.github.sample.SampleWebhooks;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone jar as a GitHub Actions custom deployment protection rule, against a fake GitHub: a
 * signed {@code deployment_protection_rule} webhook for a protected environment is reported as waiting
 * for CI, approved once CI is green (with the installation's token, fetched with the App's JWT), a
 * redelivery changes nothing, an environment without protection is ignored, and what waits survives a
 * {@code kill -9}: the next process rejects a run whose CI failed, once, and keeps a run waiting for an
 * approval waiting.
 */
class ProtectionRuleIT {
    private static final String SECRET = "protection-rule-secret";
    private static final long APP_ID = 4242;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHA_GREEN = "1111111111111111111111111111111111111111";
    private static final String SHA_RED = "2222222222222222222222222222222222222222";
    private static final String SHA_APPROVAL = "3333333333333333333333333333333333333333";
    private static final Duration BOUND = Duration.ofSeconds(30);
    @StartStop
    private final MockWebServer githubServer = new MockWebServer();
    private final FakeGitHub github = new FakeGitHub();
    private final List<ServerProcess> servers = new ArrayList<>();
    @TempDir
    Path dir;
    private KeyPair key;

    @AfterEach
    void stopEverything() throws Exception {
        for (ServerProcess s : servers) {
            s.close();
        }
    }

    private String api() {
        return githubServer.url("/").toString().replaceAll("/$", "");
    }

    private Path config() throws Exception {
        Files.createDirectories(dir.resolve("work"));
        return Files.writeString(dir.resolve("autodeploy.yml"), """
                github:
                  api_url: %s
                  token: ghp_protection_rule_token_0123
                  webhook_secret: %s
                  app_id: %d
                  private_key: ${GITHUB_APP_PRIVATE_KEY}
                repos:
                  example/app:
                    folder: %s
                    commands: [[sh, -c, 'echo deployed >> ran.txt']]
                    required_contexts: [ci/build]
                    ci_poll_interval: 1s
                    environments:
                      production: {protect: true}
                      staging:
                        protection_rules: {approvals: {required: 1}}
                      qa: {}
                """.formatted(api(), SECRET, APP_ID, dir.resolve("work")));
    }

    private ServerProcess serve(String name, Path config) throws Exception {
        ServerProcess s = ServerProcess.start(name, config, Map.of("GITHUB_APP_PRIVATE_KEY", pem(key)));
        servers.add(s);
        return s;
    }

    private static String pem(KeyPair key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** The protection-rule request GitHub sends for {@code run} of {@code environment} at {@code sha}, through installation 55. */
    private byte[] request(long run, String environment, String sha, long installation) {
        return SampleWebhooks.body("deployment_protection_rule", Map.of("api_url", api(), "run", Long.toString(run),
                "environment", environment, "sha", sha, "id", Long.toString(run + 1000), "user", "octocat",
                "installation", Long.toString(installation)));
    }

    private static JsonNode answer(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void protectedActionsDeploymentsAreReportedApprovedAndRejectedOnceAcrossARestart() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        key = g.generateKeyPair();
        githubServer.setDispatcher(github);
        Path config = config();
        ServerProcess first = serve("first", config);

        // CI pending: the run is reported as waiting for it, and not decided.
        github.ci(SHA_GREEN, "pending");
        String delivery = UUID.randomUUID().toString();
        HttpResponse<String> accepted = Signed.post(first.hook(), SECRET, "deployment_protection_rule", delivery,
                request(1001, "production", SHA_GREEN, 55));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(answer(accepted).path("result").asText()).isEqualTo("accepted");
        await().atMost(BOUND).until(() -> !github.reports(1001).isEmpty());
        FakeGitHub.RuleCall waiting = github.reports(1001).get(0);
        assertThat(waiting.comment()).isEqualTo("**Autodeploy** waits: waiting for ci/build");
        assertThat(waiting.environment()).isEqualTo("production");
        assertThat(waiting.repo()).isEqualTo("example/app");
        assertThat(waiting.authorization()).isEqualTo("Bearer ghs_installation_55");
        assertThat(github.reviews(1001)).isEmpty();

        // The installation token was asked for with a JWT the App's key signed, naming the App.
        assertThat(github.tokenRequests()).isNotEmpty().allSatisfy(t -> {
            assertThat(t.installation()).isEqualTo(55);
            assertThat(t.authorization()).startsWith("Bearer ");
            assertSignedByTheApp(t.authorization().substring("Bearer ".length()));
        });

        // CI green, told by a status event: approved, once, with the installation's token.
        github.ci(SHA_GREEN, "success");
        HttpResponse<String> status = Signed.post(first.hook(), SECRET, "status",
                SampleWebhooks.body("status", Map.of("sha", SHA_GREEN, "state", "success")));
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        await().atMost(BOUND).until(() -> !github.reviews(1001).isEmpty());
        FakeGitHub.RuleCall approved = github.reviews(1001).get(0);
        assertThat(approved.state()).isEqualTo("approved");
        assertThat(approved.environment()).isEqualTo("production");
        assertThat(approved.comment()).isEqualTo("Autodeploy: CI passed on 1111111");
        assertThat(approved.authorization()).isEqualTo("Bearer ghs_installation_55");

        // GitHub's redelivery of that delivery, and a new delivery of the same run, decide nothing again.
        HttpResponse<String> redelivered = Signed.post(first.hook(), SECRET, "deployment_protection_rule", delivery,
                request(1001, "production", SHA_GREEN, 55));
        assertThat(redelivered.statusCode()).as(redelivered.body()).isEqualTo(200);
        assertThat(answer(redelivered).path("result").asText()).isEqualTo("duplicate");
        HttpResponse<String> again = Signed.post(first.hook(), SECRET, "deployment_protection_rule",
                request(1001, "production", SHA_GREEN, 55));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(answer(again).path("result").asText()).isEqualTo("duplicate");

        // An environment not configured for protection rules: 200 ignored, and nothing goes to GitHub for it.
        HttpResponse<String> unprotected = Signed.post(first.hook(), SECRET, "deployment_protection_rule",
                request(1002, "qa", SHA_GREEN, 66));
        assertThat(unprotected.statusCode()).as(unprotected.body()).isEqualTo(200);
        assertThat(answer(unprotected).path("result").asText()).isEqualTo("ignored");
        assertThat(answer(unprotected).path("reason").asText()).contains("qa").contains("not configured for protection rules");

        // A callback URL on another GitHub is refused: the robot would answer it with its App's token.
        HttpResponse<String> foreign = Signed.post(first.hook(), SECRET, "deployment_protection_rule",
                SampleWebhooks.body("deployment_protection_rule", Map.of("api_url", "http://attacker.example:" + githubServer.getPort(),
                        "run", "1005", "sha", SHA_GREEN, "installation", "55")));
        assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(400);
        assertThat(foreign.body()).contains("deployment_callback_url").contains("not on the configured GitHub API");

        // The CLI's sample request, as README's "Try it without GitHub" shows it, is taken like GitHub's.
        java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
        int code = Main.run(new String[] {"send", "deployment_protection_rule", "--to", first.hook(), "--secret", SECRET,
                "--api-url", api(), "--run", "1006", "--sha", SHA_GREEN, "--installation", "55"},
                new java.io.PrintStream(sent, true, StandardCharsets.UTF_8), System.err, Map.of());
        assertThat(code).as(sent.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(sent.toString(StandardCharsets.UTF_8)).contains("-> 202");
        await().atMost(BOUND).until(() -> github.reviews(1006).size() == 1);
        assertThat(github.reviews(1006).get(0).state()).isEqualTo("approved");

        // A run whose CI is pending, and one that waits for an approval, when the robot is killed.
        github.ci(SHA_RED, "pending");
        assertThat(Signed.post(first.hook(), SECRET, "deployment_protection_rule", request(1003, "production", SHA_RED, 55))
                .statusCode()).isEqualTo(202);
        assertThat(Signed.post(first.hook(), SECRET, "deployment_protection_rule", request(1004, "staging", SHA_APPROVAL, 55))
                .statusCode()).isEqualTo(202);
        await().atMost(BOUND).until(() -> !github.reports(1003).isEmpty() && !github.reports(1004).isEmpty());
        assertThat(github.reports(1003)).extracting(FakeGitHub.RuleCall::comment).containsExactly("**Autodeploy** waits: waiting for ci/build");
        assertThat(github.reports(1004)).extracting(FakeGitHub.RuleCall::comment).containsExactly("**Autodeploy** waits: 0 of 1 approvals");
        first.kill();

        // The next process on the same SQLite store knows both runs and decides what it can, once.
        ServerProcess second = serve("second", config);
        HttpResponse<String> known = Signed.post(second.hook(), SECRET, "deployment_protection_rule",
                request(1004, "staging", SHA_APPROVAL, 55));
        assertThat(known.statusCode()).as(known.body()).isEqualTo(200);
        assertThat(answer(known).path("result").asText()).isEqualTo("duplicate");
        github.ci(SHA_RED, "failure");
        await().atMost(BOUND).until(() -> !github.reviews(1003).isEmpty());
        FakeGitHub.RuleCall rejected = github.reviews(1003).get(0);
        assertThat(rejected.state()).isEqualTo("rejected");
        assertThat(rejected.comment()).isEqualTo("CI failed on 2222222: ci/build (failure)");
        assertThat(rejected.authorization()).isEqualTo("Bearer ghs_installation_55");

        // A few of the gate's looks later (it looks every second, and asks CI every second here):
        // still one decision per run, none for the run waiting for an approval, nothing for the ignored one.
        HttpResponse<String> redCi = Signed.post(second.hook(), SECRET, "status",
                SampleWebhooks.body("status", Map.of("sha", SHA_RED, "state", "failure")));
        assertThat(redCi.statusCode()).isEqualTo(200);
        await().during(Duration.ofSeconds(3)).atMost(BOUND).until(() -> github.reviews(1003).size() == 1
                && github.reviews(1001).size() == 1 && github.reviews(1004).isEmpty());
        assertThat(github.ruleCalls(1001)).extracting(FakeGitHub.RuleCall::state).containsExactly("", "approved");
        assertThat(github.ruleCalls(1003)).extracting(FakeGitHub.RuleCall::state).containsExactly("", "rejected");
        assertThat(github.ruleCalls(1004)).extracting(FakeGitHub.RuleCall::comment).containsExactly("**Autodeploy** waits: 0 of 1 approvals");
        assertThat(github.ruleCalls(1002)).isEmpty();
        assertThat(github.ruleCalls(1005)).isEmpty();
        assertThat(github.reviews(1006)).hasSize(1);
        assertThat(github.tokenRequests()).extracting(FakeGitHub.TokenRequest::installation).doesNotContain(66L);
        assertThat(Files.exists(dir.resolve("work/ran.txt"))).as("a gated Actions run is GitHub's to run, not the robot's").isFalse();
        assertThat(String.join("\n", first.output()) + String.join("\n", second.output()))
                .doesNotContain(pem(key).split("\n")[3]);
    }

    /** {@code jwt} is RS256 under the App's key and names the App as its issuer. */
    private void assertSignedByTheApp(String jwt) {
        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key.getPublic());
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            assertThat(rs256.verify(Base64.getUrlDecoder().decode(parts[2]))).as("signed with the App's key").isTrue();
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            assertThat(header.path("alg").asText()).isEqualTo("RS256");
            assertThat(claims.path("iss").asText()).isEqualTo(Long.toString(APP_ID));
            assertThat(claims.path("exp").asLong()).isGreaterThan(claims.path("iat").asLong());
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
