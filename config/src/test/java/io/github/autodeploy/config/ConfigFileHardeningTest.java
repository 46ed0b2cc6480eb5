package io.github.autodeploy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.config.EchoKind;
import io.github.autodeploy.core.config.Execution;
import io.github.autodeploy.core.config.ExecutionKind;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a hostile or careless configuration gets: a problem with its line, and no secret in any message. */
class ConfigFileHardeningTest {
    private static final String KEY = "topsecret-api-key-123";
    private static final Map<String, String> ENV = Map.of("DEPLOY_API_KEY", KEY, "FLAG", "hunter2-flag",
            "EMPTY", "", "BIG", "4294985596");
    private static final List<ExecutionKind> ECHO = List.of(new EchoKind());
    private static final String VALID = """
            github: {webhook_secret: s3cret}
            repos:
              octo/app:
                folder: /srv/app
                commands: [[make, deploy]]
            """;

    private static LoadedConfig parse(String yaml) {
        return ConfigFile.parse("autodeploy.yml", yaml, false, ENV, ECHO);
    }

    static List<String> problems(String yaml) {
        try {
            parse(yaml);
            return List.of();
        } catch (ConfigFileException e) {
            return e.problems().stream().map(Object::toString).toList();
        }
    }

    @Test
    void aCredentialThatYamlReadsAsABooleanIsRefusedNotTakenAsTheTextTrueOrFalse() {
        List<String> found = problems("""
                github: {webhook_secret: yes, token: off}
                pages:
                  token: on
                store:
                  url: jdbc:postgresql://db/autodeploy
                  password: no
                repos:
                  octo/app:
                    folder: /srv/app
                    commands: [[make, deploy]]
                """);
        assertThat(found).anySatisfy(p -> assertThat(p).contains("github.webhook_secret: is read as a boolean"))
                .anySatisfy(p -> assertThat(p).contains("github.token: is read as a boolean"))
                .anySatisfy(p -> assertThat(p).contains("pages.token: is read as a boolean"))
                .anySatisfy(p -> assertThat(p).contains("store.password: is read as a boolean"))
                .allSatisfy(p -> assertThat(p).doesNotContain("\"true\"").doesNotContain("\"false\"").doesNotContain("is missing"));
        assertThat(problems("""
                github: {webhook_secret: [s3cret, on]}
                repos:
                  octo/app:
                    folder: /srv/app
                    commands: [[make, deploy]]
                """)).singleElement().satisfies(p -> assertThat(p).contains("github.webhook_secret[1]: is read as a boolean"));
        // Quoted, the same words are credentials like any other text.
        assertThat(problems("""
                github: {webhook_secret: "yes"}
                repos:
                  octo/app:
                    folder: /srv/app
                    commands: [[make, deploy]]
                """)).isEmpty();
    }

    @Test
    void anEnvironmentValueInsideAShellScriptIsRefusedWithoutShowingIt() {
        List<String> found = problems("""
                github: {webhook_secret: s3cret}
                repos:
                  octo/app:
                    folder: /srv/app
                    commands:
                      - [sh, -c, 'curl -H "key: ${DEPLOY_API_KEY}" https://deploy.example.com']
                      - [deploy, --key, "${DEPLOY_API_KEY}"]
                """);
        assertThat(found).singleElement().satisfies(p -> assertThat(p)
                .startsWith("line 6: repos.octo/app.commands[0][2]: puts the value of an environment variable into the code")
                .doesNotContain(KEY));
    }

    @Test
    void aFileThatNeverEndsIsRefusedWithoutReadingItAll() {
        assertThatThrownBy(() -> ConfigFile.load(java.nio.file.Path.of("/dev/zero"), Map.of()))
                .isInstanceOf(ConfigFileException.class).hasMessageContaining("larger than 1024 KiB");
    }

    @Test
    void blankPagesCredentialsAreProblemsNamingTheirVariable() {
        assertThat(problems(VALID + """
                pages:
                  username: admin
                  password: ${PAGES_PASSWORD:-}
                """)).containsExactly("line 8: pages.password: is empty (${PAGES_PASSWORD} is empty or not set); set it, "
                + "or remove both username and password to keep the deployments list closed");
        assertThat(problems(VALID + "pages: {token: '${EMPTY}'}\n")).containsExactly("line 6: pages.token: is empty "
                + "(${EMPTY} is empty or not set); set it, or remove the key to keep the deployments list closed");
        assertThat(problems(VALID + "pages: {token: ' '}\n")).singleElement().asString().startsWith("line 6: pages.token: is empty;");
    }

    @Test
    void serverSettingsCountABlankCredentialAsNone() {
        ServerSettings s = new ServerSettings(8080, 4096, Optional.of(""), Optional.of("admin"), Optional.of(" "), false);
        assertThat(s.pagesToken()).isEmpty();
        assertThat(s.pagesUser()).contains("admin");
        assertThat(s.pagesPassword()).isEmpty();
    }

    @Test
    void valuesFromTheEnvironmentInCommandsAreSecretsAndStepsAreNamedAsWritten() {
        LoadedConfig c = parse("""
                github: {webhook_secret: s3cret}
                public_url: ${PUBLIC_URL:-https://deploy.example.com}
                repos:
                  octo/app:
                    folder: /srv/app
                    commands:
                      - [deploy, "${DEPLOY_API_KEY}"]
                      - "curl -H 'X-Key: ${DEPLOY_API_KEY}' ${sha}"
                """);
        assertThat(c.robot().secrets()).contains(KEY).doesNotContain("https://deploy.example.com");
        Execution.Commands commands = (Execution.Commands) c.robot()
                .rule(RepositoryName.of("octo/app"), EnvironmentName.PRODUCTION).orElseThrow().execution();
        assertThat(commands.commands()).containsExactly(List.of("deploy", KEY), List.of("curl", "-H", "X-Key: " + KEY, "${sha}"));
        assertThat(commands.names()).containsExactly("deploy ${DEPLOY_API_KEY}", "curl -H X-Key: ${DEPLOY_API_KEY} ${sha}");
    }

    @Test
    void aMistypedValueFromTheEnvironmentOrOfACredentialIsNeverEchoed() {
        List<String> problems = problems("""
                github: {webhook_secret: s3cret, api_url: "${FLAG}"}
                public_url: "x${FLAG}"
                repos:
                  octo/app:
                    folder: /srv/app
                    commands: [[make]]
                    supersede: ${FLAG}
                    step_timeout: ${FLAG}
                  octo/site: {echo_text: hi, echo_times: "${FLAG}"}
                """);
        assertThat(problems).hasSize(5).noneMatch(p -> p.contains("hunter2")).allMatch(p -> p.contains("${FLAG}"));
        assertThat(problems).contains("line 7: repos.octo/app.supersede: is the value of ${FLAG}; write true or false");
    }

    @Test
    void outOfRangeNumbersAreRejectedWithTheirKeyAndLine() {
        assertThat(problems(VALID + """
                server: {port: 4294985596, max_body_bytes: 99999999999999999999}
                engine:
                  workers: 4294967297
                  queue_capacity: ${BIG}
                  history_limit: 0
                  log_limit_bytes: 1.5
                """)).containsExactly(
                "line 6: server.port: is \"4294985596\", out of range; use a port from 1 to 65535, or 0 for any free port",
                "line 6: server.max_body_bytes: is \"99999999999999999999\", out of range; GitHub sends payloads of up to 25 MB, keep at least 1024",
                "line 8: engine.workers: is \"4294967297\", out of range; write the number of lanes that may run at once, from 1 to 2147483647",
                "line 9: engine.queue_capacity: is the value of ${BIG}, out of range; write the number of deployments that may wait, from 1 to 2147483647",
                "line 10: engine.history_limit: is \"0\", out of range; write the number of deployments kept for the pages, from 1 to 2147483647",
                "line 11: engine.log_limit_bytes: is \"1.5\"; write a whole number");
    }

    @Test
    void aKeyWrittenTwiceIsReportedWithBothLines() {
        assertThat(problems("""
                github:
                  token: ghp_abc
                  webhook_secret: s3cret
                repos:
                  octo/app:
                    folder: /srv/app
                    commands: [[make]]
                    commands: [[rm, -rf, /]]
                github:
                  webhook_secret: other
                """)).containsExactly(
                "line 8: repos.octo/app.commands: is written twice, on line 7 and on line 8; keep one (only the last would count)",
                "line 9: github: is written twice, on line 1 and on line 9; keep one (only the last would count)");
        assertThat(problems("{\"github\": {\"webhook_secret\": \"a\", \"webhook_secret\": \"b\"}, \"repos\": {}}"))
                .contains("line 1: github.webhook_secret: is written twice, on line 1 and on line 1; keep one (only the last would count)");
    }

    @Test
    void invalidUtf8SaysSoAndWhere(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("autodeploy.yml");
        byte[] head = "github: {webhook_secret: s}\nrepos:\n  octo/app: {folder: /caf".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[head.length + 3];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xC3;
        bytes[head.length + 1] = '(';
        bytes[head.length + 2] = '}';
        Files.write(file, bytes);
        assertThat(ConfigFile.check(file, Map.of())).containsExactly(
                "line 3: the file is not valid UTF-8 at byte 26 of this line (0xC3); save it as UTF-8");
    }

    @Test
    void nestingDeeperThanAThousandLevelsGetsAClearMessage() {
        String deep = "[".repeat(1200) + "]".repeat(1200);
        assertThat(problems("github: " + deep + "\n")).singleElement().asString()
                .startsWith("line 1: nests deeper than").contains("a configuration needs a few levels");
        assertThatJson("{\"github\": " + deep + "}").singleElement().asString().startsWith("line 1: nests deeper than");
    }

    private static org.assertj.core.api.ListAssert<String> assertThatJson(String json) {
        try {
            ConfigFile.parse("autodeploy.json", json, true, ENV, ECHO);
            return assertThat(List.of());
        } catch (ConfigFileException e) {
            return assertThat(e.problems().stream().map(Object::toString).toList());
        }
    }

    @Test
    void aFolderThatIsAFileSaysSo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("app"), "not a folder");
        assertThat(problems(VALID.replace("/srv/app", file.toString()))).containsExactly(
                "line 4: repos.octo/app.folder: is a file, not a folder; name the folder the commands run in");
    }

    @Test
    void aKeyMissingFromTheFileSaysWhichSection() {
        assertThat(problems("github: {webhook_secret: s3cret}\n")).containsExactly(
                "repos: no repository is configured; add one, for example repos: {octo/app: {folder: /srv/app, "
                        + "commands: [[make, deploy]]}} (repos is missing from the file)");
    }
}
