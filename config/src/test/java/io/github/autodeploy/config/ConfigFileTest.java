package io.github.autodeploy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.config.EchoKind;
import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.config.Execution;
import io.github.autodeploy.core.config.ExecutionKind;
import io.github.autodeploy.core.config.RobotConfig;
import io.github.autodeploy.core.config.Trigger;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    private static final Map<String, String> ENV = Map.of("GITHUB_TOKEN", "ghp_env_token", "WEBHOOK_SECRET", "s3cret",
            "SLACK_WEBHOOK", "https://hooks.slack.com/services/T/B/C");

    private static final String ARCHITECTURE_EXAMPLE = """
            github:
              api_url: https://api.github.com      # GitHub Enterprise Server: https://HOST/api/v3
              token: ${GITHUB_TOKEN}
              webhook_secret: ${WEBHOOK_SECRET}
            slack:
              webhook_url: ${SLACK_WEBHOOK}
            public_url: https://deploy.example.com
            repos:
              octo/app:
                folder: /srv/app
                required_contexts: [ci/build]
                commands:
                  - [git, fetch, origin]
                  - [git, checkout, --force, "${sha}"]
              octo/site:
                echo_text: hello
            """;

    private static final List<ExecutionKind> ECHO = List.of(new EchoKind());

    private static LoadedConfig parse(String yaml) {
        return ConfigFile.parse("autodeploy.yml", yaml, false, ENV, ECHO);
    }

    private static List<String> problems(String yaml) {
        try {
            parse(yaml);
            return List.of();
        } catch (ConfigFileException e) {
            return e.problems().stream().map(Object::toString).toList();
        }
    }

    @Test
    void readsTheArchitecturePagesExampleWithAnotherKindInPlaceOfAnsible() {
        RobotConfig c = parse(ARCHITECTURE_EXAMPLE).robot();
        assertThat(c.githubToken()).contains("ghp_env_token");
        assertThat(c.webhookSecrets()).containsExactly("s3cret");
        assertThat(c.slackWebhookUrl()).contains("https://hooks.slack.com/services/T/B/C");
        assertThat(c.publicUrl()).isEqualTo("https://deploy.example.com");
        EnvironmentRule app = c.rule(RepositoryName.of("octo/app"), EnvironmentName.PRODUCTION).orElseThrow();
        assertThat(app.execution()).isEqualTo(new Execution.Commands(List.of(List.of("git", "fetch", "origin"),
                List.of("git", "checkout", "--force", "${sha}"))));
        assertThat(app.requiredContexts().names()).contains(List.of("ci/build"));
        assertThat(app.triggeredBy(Trigger.Kind.MERGE, "main", "main")).isTrue();
        EnvironmentRule site = c.rule(RepositoryName.of("octo/site"), EnvironmentName.PRODUCTION).orElseThrow();
        assertThat(site.execution()).isEqualTo(new Execution.Planned("echo", Map.of("echo_text", "hello")));
    }

    @Test
    void readsRicherRulesAndServerSettings() {
        LoadedConfig c = parse("""
                github: {webhook_secret: [new-secret, old-secret]}
                server: {port: 9000, max_body_bytes: 1048576}
                pages: {token: "${PAGES:-page-token}"}
                engine: {workers: 2, shutdown_grace: 10s}
                repos:
                  octo/app:
                    folder: /srv/app
                    commands: ["make deploy ENV='${environment}'"]
                    notify: [started, failed]
                    environments:
                      staging: {on: push, branch: develop, step_timeout: 5m}
                      production: {required_contexts: []}
                  octo/site:
                    folder: /srv/site
                    echo_text: ${GITHUB_TOKEN}
                    echo_times: 2
                """);
        assertThat(c.server()).isEqualTo(new ServerSettings(9000, 1048576, java.util.Optional.of("page-token"),
                java.util.Optional.empty(), java.util.Optional.empty(), false));
        assertThat(c.robot().githubToken()).isEmpty();
        assertThat(c.robot().webhookSecrets()).containsExactly("new-secret", "old-secret");
        assertThat(c.robot().engine().shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        EnvironmentRule staging = c.robot().rule(RepositoryName.of("octo/app"), EnvironmentName.of("staging")).orElseThrow();
        assertThat(staging.execution()).isEqualTo(new Execution.Commands(List.of(List.of("make", "deploy", "ENV=${environment}"))));
        assertThat(staging.triggeredBy(Trigger.Kind.PUSH, "develop", "main")).isTrue();
        assertThat(staging.stepTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.robot().rule(RepositoryName.of("octo/app"), EnvironmentName.PRODUCTION).orElseThrow().requiredContexts().isNone()).isTrue();
        assertThat(c.robot().rule(RepositoryName.of("octo/site"), EnvironmentName.PRODUCTION).orElseThrow().execution())
                .isEqualTo(new Execution.Planned("echo", Map.of("echo_text", "ghp_env_token", "echo_times", "2")));
    }

    @Test
    void reportsEveryProblemWithItsLineAndPath() {
        assertThat(problems("""
                github:
                  token: ${MISSING_TOKEN}
                  webhok_secret: x
                repos:
                  octo/app:
                    foldr: /srv/app
                    commands:
                      - [make]
                      - []
                      - "deploy | tee log"
                    step_timeout: soon
                    notify: [exploded]
                """)).containsExactly(
                "line 1: github.webhook_secret: is missing; without it anyone could trigger deployments. Set the same secret as in the GitHub webhook settings",
                "line 2: github.token: environment variable MISSING_TOKEN is not set; export it, or write ${MISSING_TOKEN:-default} to give a default",
                "line 3: github.webhok_secret: unknown key; did you mean webhook_secret?",
                "line 5: repos.octo/app.folder: is missing; commands run in a folder, such as /srv/app",
                "line 6: repos.octo/app.foldr: unknown key; did you mean folder?",
                "line 9: repos.octo/app.commands[1]: has no program; write it as a list such as [git, fetch, origin]",
                "line 10: repos.octo/app.commands[2]: uses '|', which needs a shell; commands run without one, so write [sh, -c, \"...\"] if you need it, "
                        + "and have the script read deployment values from its environment, quoted (\"$AUTODEPLOY_REF\", "
                        + "not ${ref}), so that no value can run as code",
                "line 10: repos.octo/app.commands[2]: has no program; write it as a list such as [git, fetch, origin]",
                "line 11: repos.octo/app.step_timeout: \"soon\" is not a positive duration; write it like 90s, 30m or 2h",
                "line 12: repos.octo/app.notify[0]: \"exploded\" is not an event; use any of queued, started, succeeded, failed, "
                        + "errored, waiting_for_ci, blocked_by_ci, gave_up_waiting, superseded, "
                        + "locked, unlocked, lock_stolen, held, rollback, refused, forced, gate_waiting, gate_rejected");
    }

    @Test
    void aKindsProblemsAndKeysNoKindClaimsHaveTheirLines() {
        assertThat(problems("""
                github: {webhook_secret: s}
                repos:
                  octo/site:
                    echo_times: 12
                    echo_text: hi
                    ansible_playbook: site.yml
                    supersede: sometimes
                    environments:
                      staging:
                        echo_colour: red
                        requierd_contexts: []
                """)).containsExactly(
                "line 4: repos.octo/site.echo_times: is \"12\"; write a number from 1 to 9",
                "line 6: repos.octo/site.ansible_playbook: unknown key; known keys here: branch, ci_poll_interval, ci_timeout, "
                        + "commands, environments, folder, freeze, lock_on_rollback, neutral_passes, notify, on, protect, protection_rules, "
                        + "required_contexts, "
                        + "rerun_interrupted, rollback_required_contexts, slack_webhook_url, step_timeout, supersede, windows",
                "line 7: repos.octo/site.supersede: is \"sometimes\"; write true or false",
                "line 10: repos.octo/site.environments.staging.echo_colour: is not an echo option; use echo_text or echo_times",
                "line 11: repos.octo/site.environments.staging.requierd_contexts: unknown key; did you mean required_contexts?");
    }

    @Test
    void withoutAnyKindAKeyCoreDoesNotReadIsUnknown() {
        assertThatThrownBy(() -> ConfigFile.parse("a.yml", """
                github: {webhook_secret: s}
                repos:
                  octo/site: {echo_text: hi}
                """, false, Map.of()))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("line 3: repos.octo/site.echo_text: unknown key");
    }

    @Test
    void brokenYamlSaysWhere() {
        assertThat(problems("repos:\n  octo/app: [unclosed\n")).singleElement().satisfies(p ->
                assertThat(p).startsWith("line 2: not valid YAML"));
        assertThat(problems("- just\n- a list\n")).containsExactly(
                "line 1: must be a map with github, repos and the other sections; see the README's configuration reference");
    }

    @Test
    void readsJsonToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("autodeploy.json");
        Files.writeString(file, "{\"github\":{\"webhook_secret\":\"s\"},\"repos\":{\"octo/app\":{\"folder\":\"/srv\",\"commands\":[[\"make\"]]}}}");
        assertThat(ConfigFile.load(file, Map.of()).robot().rules()).hasSize(1);
        assertThat(ConfigFile.check(dir.resolve("missing.yml"), Map.of())).containsExactly(
                "the file does not exist; pass the path of your autodeploy.yml");
    }

    @Test
    void repositoryNamesWithDotsMayHaveEnvironments() {
        LoadedConfig c = parse("""
                github: {webhook_secret: s}
                repos:
                  octo/app.js:
                    folder: /srv
                    commands: [[make]]
                    environments: {staging: {}}
                """);
        assertThat(c.robot().rule(RepositoryName.of("octo/app.js"), EnvironmentName.of("staging"))).isPresent();
    }
}
