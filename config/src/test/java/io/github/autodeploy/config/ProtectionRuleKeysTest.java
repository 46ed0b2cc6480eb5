package io.github.autodeploy.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.config.GitHubApp;
import io.github.autodeploy.core.config.Protection;
import io.github.autodeploy.core.control.Role;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protection-rule keys ({@code protect}, {@code protection_rules:}) and the GitHub App that answers
 * them ({@code github.app_id}, {@code github.private_key}): read, inherited from the repository by its
 * environments, every bad value reported with its line, and the private key in no message.
 */
class ProtectionRuleKeysTest {
    private static final RepositoryName APP = RepositoryName.of("octo/app");
    private static final EnvironmentName STAGING = EnvironmentName.of("staging");
    /** A real RSA key in PKCS#8 PEM, as GitHub's "Generate a private key" gives one (converted). */
    private static String pem;
    /** A line from the middle of the key: what a leak would show. */
    private static String keyLine;

    @BeforeAll
    static void makeAKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(g.generateKeyPair().getPrivate().getEncoded());
        pem = "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
        keyLine = body.split("\n")[5];
    }

    private static Map<String, String> env() {
        return Map.of("GITHUB_APP_PRIVATE_KEY", pem, "NOT_A_KEY", "hunter2-not-a-pem-key-value");
    }

    private static LoadedConfig parse(String yaml) {
        return ConfigFile.parse("autodeploy.yml", yaml, false, env());
    }

    /** The problems of {@code yaml}, each as check-config prints it; none of them may show the key. */
    private static List<String> problems(String yaml) {
        try {
            parse(yaml);
            return List.of();
        } catch (ConfigFileException e) {
            assertThat(e.getMessage()).doesNotContain(keyLine).doesNotContain("hunter2-not-a-pem-key-value");
            return e.problems().stream().map(Object::toString).toList();
        }
    }

    private static String repo(String keys) {
        return """
                github: {webhook_secret: s3cret, token: ghp_protection_keys_token_1}
                repos:
                  octo/app:
                    folder: /srv/app
                    commands: [[make, deploy]]
                %s""".formatted(keys.indent(4));
    }

    @Test
    void aGatedRuleThatChecksCiNeedsTheTokenItReadsCiWith() {
        String noToken = """
                github: {webhook_secret: s3cret}
                repos:
                  octo/app:
                    folder: /srv/app
                    commands: [[make, deploy]]
                    protect: true
                """;
        assertThat(problems(noToken)).containsExactly("line 3: repos.octo/app.protection_rules: checks CI (required_contexts) "
                + "through github.token, which is not set; set github.token, or write required_contexts: [] to gate on locks, "
                + "windows and approvals only");
        assertThat(problems(noToken + "    required_contexts: []\n")).isEmpty();
    }

    private static Optional<Protection> protection(LoadedConfig c, EnvironmentName env) {
        return c.robot().rule(APP, env).flatMap(EnvironmentRule::protection);
    }

    @Test
    void withoutProtectKeysNoEnvironmentIsGated() {
        assertThat(protection(parse(repo("")), EnvironmentName.PRODUCTION)).isEmpty();
    }

    @Test
    void protectTrueGatesWithTheDefaults() {
        Protection p = protection(parse(repo("protect: true")), EnvironmentName.PRODUCTION).orElseThrow();
        assertThat(p).isEqualTo(Protection.defaults());
        assertThat(p.approvalsRequired()).isZero();
        assertThat(p.approvalRole()).isEqualTo(Role.DEPLOYER);
        assertThat(p.selfApproval()).isFalse();
        assertThat(p.notifyAfter()).isEqualTo(Duration.ofMinutes(30));
        assertThat(protection(parse(repo("protect: false")), EnvironmentName.PRODUCTION)).isEmpty();
    }

    @Test
    void theProtectionRulesSectionIsReadWithEveryKeyAndGatesWithoutProtect() {
        Protection p = protection(parse(repo("""
                protection_rules:
                  approvals: {required: 2, role: admin, self_approval: true}
                  notify_after: 45m
                """)), EnvironmentName.PRODUCTION).orElseThrow();
        assertThat(p).isEqualTo(new Protection(2, Role.ADMIN, true, Duration.ofMinutes(45)));
        assertThat(protection(parse(repo("protection_rules: {}")), EnvironmentName.PRODUCTION)).contains(Protection.defaults());
        assertThat(protection(parse(repo("protection_rules: {approvals: {required: 10}}")), EnvironmentName.PRODUCTION)
                .orElseThrow().approvalsRequired()).isEqualTo(10);
    }

    @Test
    void environmentsInheritTheRepositorysKeysAndMayOverrideOneOrTurnTheGateOff() {
        LoadedConfig c = parse(repo("""
                protect: true
                protection_rules:
                  approvals: {required: 1, role: admin}
                  notify_after: 10m
                environments:
                  production: {}
                  staging:
                    protection_rules: {approvals: {required: 2}}
                  dev: {protect: false}
                """));
        assertThat(protection(c, EnvironmentName.PRODUCTION)).contains(new Protection(1, Role.ADMIN, false, Duration.ofMinutes(10)));
        assertThat(protection(c, STAGING)).contains(new Protection(2, Role.ADMIN, false, Duration.ofMinutes(10)));
        assertThat(c.robot().rule(APP, EnvironmentName.of("dev"))).isPresent();
        assertThat(protection(c, EnvironmentName.of("dev"))).isEmpty();
    }

    @Test
    void anEnvironmentMayBeGatedAloneAndWithNotifyAfterOnly() {
        LoadedConfig c = parse(repo("""
                environments:
                  production: {}
                  staging: {protection_rules: {notify_after: 2h}}
                """));
        assertThat(protection(c, EnvironmentName.PRODUCTION)).isEmpty();
        assertThat(protection(c, STAGING)).contains(new Protection(0, Role.DEPLOYER, false, Duration.ofHours(2)));
    }

    @Test
    void everyBadProtectionValueIsReportedWithItsLine() {
        assertThat(problems(repo("protection_rules: {approvals: {required: -1}}"))).containsExactly(
                "line 6: repos.octo/app.protection_rules.approvals.required: is \"-1\", out of range; "
                        + "write how many approvals a run needs, from 0 to 10");
        assertThat(problems(repo("protection_rules: {approvals: {required: 11}}"))).containsExactly(
                "line 6: repos.octo/app.protection_rules.approvals.required: is \"11\", out of range; "
                        + "write how many approvals a run needs, from 0 to 10");
        assertThat(problems(repo("protection_rules: {approvals: {required: two}}"))).containsExactly(
                "line 6: repos.octo/app.protection_rules.approvals.required: is \"two\"; write a whole number");
        assertThat(problems(repo("protection_rules: {approvals: {role: viewer}}"))).containsExactly(
                "line 6: repos.octo/app.protection_rules.approvals.role: must be deployer or admin");
        assertThat(problems(repo("protection_rules: {approvals: {role: owner}}"))).containsExactly(
                "line 6: repos.octo/app.protection_rules.approvals.role: must be deployer or admin");
        assertThat(problems(repo("protection_rules: {approvals: {self_approval: maybe}}"))).containsExactly(
                "line 6: repos.octo/app.protection_rules.approvals.self_approval: is \"maybe\"; write true or false");
        assertThat(problems(repo("protect: yes please"))).containsExactly(
                "line 6: repos.octo/app.protect: is \"yes please\"; write true or false");
        assertThat(problems(repo("protection_rules: {notify_after: soon}"))).containsExactly(
                "line 6: repos.octo/app.protection_rules.notify_after: \"soon\" is not a positive duration; write it like 90s, 30m or 2h");
        assertThat(problems(repo("protection_rules: {notify_after: 0s}"))).singleElement().asString()
                .startsWith("line 6: repos.octo/app.protection_rules.notify_after: \"0s\" is not a positive duration");
    }

    @Test
    void unknownKeysAndWrongShapesInsideTheSectionAreReportedWithTheirLines() {
        assertThat(problems(repo("""
                protection_rules:
                  approvals:
                    required: 1
                    requierd: 2
                  notify_afer: 5m
                """))).containsExactly(
                "line 9: repos.octo/app.protection_rules.approvals.requierd: unknown key; did you mean required?",
                "line 10: repos.octo/app.protection_rules.notify_afer: unknown key; did you mean notify_after?");
        assertThat(problems(repo("protection_rules: true"))).containsExactly(
                "line 6: repos.octo/app.protection_rules: must be a map, such as {approvals: {required: 1, role: deployer}, "
                        + "notify_after: 30m}");
        assertThat(problems(repo("protection_rules: [approvals]"))).singleElement().asString()
                .startsWith("line 6: repos.octo/app.protection_rules: must be a map");
        assertThat(problems(repo("protection_rules: {approvals: 2}"))).containsExactly(
                "line 6: repos.octo/app.protection_rules.approvals: must be a map, such as {required: 1, role: deployer, "
                        + "self_approval: false}");
        assertThat(problems(repo("""
                environments:
                  staging:
                    protection_rules: {approvals: {required: 12}}
                """))).singleElement().asString()
                .startsWith("line 8: repos.octo/app.environments.staging.protection_rules.approvals.required: is \"12\"");
    }

    private static String github(String keys) {
        return """
                github:
                  webhook_secret: s3cret
                %s
                  token: ghp_protection_keys_token_1
                repos:
                  octo/app: {folder: /srv/app, commands: [[make, deploy]], protect: true}
                """.formatted(keys.indent(2).stripTrailing());
    }

    @Test
    void theGitHubAppIsReadFromItsIdAndAPemKeyFromTheEnvironment() {
        LoadedConfig c = parse(github("""
                app_id: 123456
                private_key: ${GITHUB_APP_PRIVATE_KEY}
                """));
        assertThat(c.robot().githubApp()).contains(new GitHubApp(123456, pem));
        assertThat(c.robot().secrets()).contains(pem.strip());
        assertThat(c.robot().githubApp().orElseThrow().toString()).doesNotContain(keyLine);
        assertThat(parse(github("")).robot().githubApp()).isEmpty();
    }

    @Test
    void aPemKeyWrittenInTheFileAsABlockIsReadToo() {
        String block = "private_key: |\n" + pem.indent(2);
        LoadedConfig c = parse(github("app_id: \"42\"\n" + block));
        assertThat(c.robot().githubApp().orElseThrow().appId()).isEqualTo(42);
        assertThat(c.robot().githubApp().orElseThrow().privateKeyPem()).contains(keyLine);
    }

    @Test
    void anAppIdWithoutAKeyAndAKeyWithoutAnAppIdAreReported() {
        assertThat(problems(github("app_id: 123456"))).containsExactly(
                "line 1: github.private_key: is missing or empty: set it to the App's private key, such as ${GITHUB_APP_PRIVATE_KEY}");
        assertThat(problems(github("private_key: ${GITHUB_APP_PRIVATE_KEY}"))).containsExactly(
                "line 1: github.app_id: is missing: set it with github.private_key (the App's id, from its settings page)");
        assertThat(problems(github("app_id: 123456\nprivate_key: ${EMPTY_KEY:-}"))).singleElement().asString()
                .contains("github.private_key: is missing or empty");
    }

    @Test
    void anAppIdThatIsNotAPositiveNumberIsReported() {
        for (String id : List.of("my-app", "-5", "0", "12.5")) {
            assertThat(problems(github("app_id: " + id + "\nprivate_key: ${GITHUB_APP_PRIVATE_KEY}"))).as(id).containsExactly(
                    "line 3: github.app_id: must be the App's id, a positive number such as 123456");
        }
    }

    @Test
    void aPrivateKeyThatIsNotPemIsReportedWithoutShowingIt() {
        List<String> fromEnv = problems(github("app_id: 123456\nprivate_key: ${NOT_A_KEY}"));
        assertThat(fromEnv).containsExactly("line 4: github.private_key: is not a PEM private key (-----BEGIN RSA PRIVATE KEY----- ...) "
                + "as GitHub gives it");
        List<String> inFile = problems(github("app_id: 123456\nprivate_key: hunter2-not-a-pem-key-value"));
        assertThat(inFile).singleElement().asString().contains("github.private_key: is not a PEM private key")
                .doesNotContain("hunter2");
        String publicKey = "private_key: |\n" + ("-----BEGIN PUBLIC KEY-----\n" + keyLine + "\n-----END PUBLIC KEY-----\n").indent(2);
        assertThat(problems(github("app_id: 123456\n" + publicKey))).singleElement().asString()
                .contains("github.private_key: is not a PEM private key");
    }

    @Test
    void aPemThatIsNoReadableRsaPrivateKeyIsReportedAtCheckTimeWithoutShowingIt() throws Exception {
        String truncated = pem.substring(0, pem.length() / 2) + "\n-----END PRIVATE KEY-----\n";
        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        String ecKey = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(ec.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        for (String bad : List.of(truncated, ecKey)) {
            assertThat(problems(github("app_id: 123456\nprivate_key: |\n" + bad.indent(2)))).singleElement().asString()
                    .contains("github.private_key: cannot be read as the App's RSA private key").doesNotContain(keyLine);
        }
    }

    @Test
    void theKeyShowsInNoMessageWhateverElseIsWrong() {
        String block = "private_key: |\n" + pem.indent(2);
        List<String> all = problems(github("app_id: nope\n" + block + "api_url: ftp://github.example.com\ntoken: [a, b]"));
        assertThat(all).isNotEmpty().allSatisfy(p -> assertThat(p).doesNotContain(keyLine).doesNotContain("PRIVATE KEY-----\n"));
        assertThat(problems(github("app_id: 1\nprivate_key: [\"" + pem.replace("\n", "\\n") + "\"]"))).isNotEmpty()
                .allSatisfy(p -> assertThat(p).doesNotContain(keyLine));
        assertThat(problems(github("app_id: 1\nprivate_key: {key: \"" + pem.replace("\n", "\\n") + "\"}"))).isNotEmpty()
                .allSatisfy(p -> assertThat(p).doesNotContain(keyLine));
    }

    @Test
    void checkListsTheProblemsOfAFileWithoutTheKey(@TempDir Path dir) throws Exception {
        String block = "private_key: |\n" + pem.indent(2);
        Path file = Files.writeString(dir.resolve("autodeploy.yml"), github("app_id: x1\n" + block)
                .replace("protect: true}", "protection_rules: {approvals: {role: viewer}}}"));
        List<String> problems = ConfigFile.check(file, env());
        assertThat(problems).isNotEmpty().allSatisfy(p -> assertThat(p).doesNotContain(keyLine));
        assertThat(problems).containsExactly("line 3: github.app_id: must be the App's id, a positive number such as 123456",
                "line 35: repos.octo/app.protection_rules.approvals.role: must be deployer or admin");
    }
}
