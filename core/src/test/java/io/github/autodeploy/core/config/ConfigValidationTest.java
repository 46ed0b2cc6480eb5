package io.github.autodeploy.core.config;

import io.github.autodeploy.core.model.NotificationKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.gate.RequiredContexts;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;

class ConfigValidationTest {
    private static final List<ExecutionKind> ECHO = List.of(new EchoKind());
    private static final RawGitHub GITHUB = RawGitHub.of("ghp_token", "s3cret");

    private static RawConfig config(Map<String, RawRepo> repos) {
        return new RawConfig(GITHUB, Optional.empty(), Optional.empty(), repos, RawEngine.defaults());
    }

    private static RawConfig one(RawRule rule) {
        return config(Map.of("octo/app", RawRepo.of(rule)));
    }

    private static RawRule.Builder seed() {
        return RawRule.builder().folder("/srv/app").commands(List.of("git", "fetch", "origin"),
                List.of("git", "checkout", "--force", "${sha}"));
    }

    @Test
    void seedToolKeysMeanProductionOnMergeIntoDefaultBranch() {
        RobotConfig c = one(seed().requiredContexts(List.of("ci/build")).build()).resolve();
        EnvironmentRule rule = c.rule(RepositoryName.of("octo/app"), EnvironmentName.PRODUCTION).orElseThrow();
        assertThat(rule.folder()).contains("/srv/app");
        assertThat(rule.requiredContexts()).isEqualTo(RequiredContexts.of(List.of("ci/build")));
        assertThat(rule.triggeredBy(Trigger.Kind.MERGE, "main", "main")).isTrue();
        assertThat(rule.triggeredBy(Trigger.Kind.MERGE, "develop", "main")).isFalse();
        assertThat(rule.triggeredBy(Trigger.Kind.PUSH, "main", "main")).isFalse();
        assertThat(rule.stepTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(rule.ciTimeout()).isEqualTo(Duration.ofMinutes(60));
        assertThat(rule.ciPollInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(rule.supersede()).isTrue();
        assertThat(rule.notifyOn()).isEqualTo(NotificationKind.DEFAULTS);
        assertThat(c.githubApiUrl()).isEqualTo("https://api.github.com");
        assertThat(c.publicUrl()).isEqualTo("http://localhost:8080");
        assertThat(c.engine()).isEqualTo(RobotConfig.Engine.defaults());
    }

    @Test
    void absentRequiredContextsMeansAllAndEmptyListMeansNone() {
        assertThat(one(seed().build()).resolve().rules().get(0).requiredContexts().isAll()).isTrue();
        assertThat(one(seed().requiredContexts(List.of()).build()).resolve().rules().get(0).requiredContexts().isNone()).isTrue();
    }

    @Test
    void environmentsInheritTheRepositoryKeysAndOverrideThem() {
        RawRepo repo = new RawRepo(seed().requiredContexts(List.of("ci/build")).build(), Map.of(
                "staging", RawRule.builder().on(List.of("push")).branch("develop").stepTimeout("90s").build(),
                "production", RawRule.builder().requiredContexts(List.of()).build()));
        RobotConfig c = config(Map.of("octo/app", repo)).resolve();
        EnvironmentRule staging = c.rule(RepositoryName.of("octo/app"), EnvironmentName.of("staging")).orElseThrow();
        assertThat(staging.folder()).contains("/srv/app");
        assertThat(staging.requiredContexts().names()).contains(List.of("ci/build"));
        assertThat(staging.triggeredBy(Trigger.Kind.PUSH, "develop", "main")).isTrue();
        assertThat(staging.triggeredBy(Trigger.Kind.MERGE, "develop", "main")).isFalse();
        assertThat(staging.stepTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.rule(RepositoryName.of("octo/app"), EnvironmentName.PRODUCTION).orElseThrow().requiredContexts().isNone()).isTrue();
    }

    @Test
    void keysCoreDoesNotReadBecomeTheOptionsOfTheKindThatClaimsThem() {
        RobotConfig c = one(RawRule.builder().folder("/srv/site").option("echo_text", "hello").option("echo_times", "2")
                .build()).resolve(ECHO);
        assertThat(c.rules().get(0).execution())
                .isEqualTo(new Execution.Planned("echo", Map.of("echo_text", "hello", "echo_times", "2")));
    }

    @Test
    void aKindValidatesItsOwnKeysWithTheirPaths() {
        assertThat(one(RawRule.builder().option("echo_times", "12").option("echo_colour", "red").build()).validate(ECHO))
                .extracting(Object::toString).containsExactly(
                        "repos.octo/app.echo_text: is missing; write what to echo",
                        "repos.octo/app.echo_colour: is not an echo option; use echo_text or echo_times",
                        "repos.octo/app.echo_times: is \"12\"; write a number from 1 to 9");
    }

    @Test
    void aKeyThatNoKindClaimsIsUnknownWithASuggestion() {
        assertThat(one(seed().option("requierd_contexts", List.of("ci")).option("echo_text", "hi").build()).validate())
                .extracting(Object::toString).containsExactly(
                        "repos.octo/app.echo_text: unknown key; known keys here: " + String.join(", ",
                                new java.util.TreeSet<>(List.of("branch", "ci_poll_interval", "ci_timeout", "commands",
                                        "environments", "folder", "neutral_passes", "notify", "on", "protect", "protection_rules", "required_contexts",
                                        "rerun_interrupted", "slack_webhook_url", "step_timeout", "supersede", "windows", "freeze",
                                        "rollback_required_contexts", "lock_on_rollback"))),
                        "repos.octo/app.requierd_contexts: unknown key; did you mean required_contexts?");
    }

    @Test
    void anInheritedKeyIsReportedOnceWhereItIsWritten() {
        RawRepo repo = new RawRepo(RawRule.builder().option("echo_text", "hi").option("echo_times", "0").build(), Map.of(
                "staging", RawRule.builder().option("echo_text", "staged").build(),
                "production", RawRule.builder().build()));
        assertThat(config(Map.of("octo/app", repo)).validate(ECHO)).extracting(Object::toString)
                .containsExactly("repos.octo/app.echo_times: is \"0\"; write a number from 1 to 9");
    }

    @Test
    void anEnvironmentSetsSomeOptionsAndInheritsTheOthersKeyByKey() {
        RawRepo repo = new RawRepo(RawRule.builder().option("echo_text", "hi").option("echo_times", "3").build(), Map.of(
                "staging", RawRule.builder().option("echo_text", "staged").build()));
        RobotConfig c = config(Map.of("octo/app", repo)).resolve(ECHO);
        assertThat(c.rules().get(0).execution())
                .isEqualTo(new Execution.Planned("echo", Map.of("echo_text", "staged", "echo_times", "3")));
    }

    @Test
    void kindsMustHaveDistinctNamesOtherThanCommands() {
        assertThatThrownBy(() -> one(seed().build()).validate(List.of(new EchoKind(), new EchoKind())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"echo\" is given twice");
    }

    @Test
    void aRawRuleRefusesAnOptionNamedLikeAKeyCoreReads() {
        assertThatThrownBy(() -> RawRule.builder().option("folder", "/srv").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"folder\" is a key core reads");
    }

    private static List<ConfigProblem> withApiUrl(String url) {
        return new RawConfig(new RawGitHub(Optional.of(url), Optional.of("ghp_token"), List.of("s3cret"), false),
                Optional.empty(), Optional.empty(), Map.of("octo/app", RawRepo.of(seed().build())), RawEngine.defaults())
                .validate();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://evil.example", "http://localhost.evil.example", "http://127.0.0.1@evil.example",
            "http://127.0.0.1.nip.io/api/v3", "http://EVIL.example:80"})
    void aPlainHttpApiUrlToAnotherMachineIsRefusedSinceTheTokenWouldTravelInClear(String url) {
        assertThat(withApiUrl(url)).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("github.api_url");
            assertThat(p.message()).contains("in clear");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://github.example.com/api/v3", "http://localhost:9000", "http://127.0.0.1:8080/api/v3",
            "http://[::1]:9000/", "https://127.0.0.1@github.example.com"})
    void anHttpsOrLoopbackApiUrlIsAccepted(String url) {
        assertThat(withApiUrl(url)).isEmpty();
    }

    @Test
    void reportsEveryProblemAtOnce() {
        RawConfig bad = new RawConfig(new RawGitHub(Optional.of("ftp://x"), Optional.empty(), List.of(), false),
                Optional.empty(), Optional.empty(), Map.of("octo/app", RawRepo.of(RawRule.builder().build()),
                "bad name", RawRepo.of(seed().build())), RawEngine.defaults());
        assertThat(bad.validate()).extracting(ConfigProblem::path)
                .containsExactly("github.api_url", "github.webhook_secret", "repos.bad name", "repos.octo/app");
        assertThatThrownBy(bad::resolve).isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("the configuration has 4 problems:")
                .satisfies(e -> assertThat(((InvalidConfigException) e).problems()).hasSize(4));
    }

    @Test
    void missingWebhookSecret() {
        RawConfig c = new RawConfig(new RawGitHub(Optional.empty(), Optional.of("t"), List.of(), false),
                Optional.empty(), Optional.empty(), Map.of("octo/app", RawRepo.of(seed().build())), RawEngine.defaults());
        assertThat(c.validate()).containsExactly(new ConfigProblem("github.webhook_secret",
                "is missing; without it anyone could trigger deployments. Set the same secret as in the GitHub webhook settings"));
    }

    @Test
    void noRepositories() {
        assertThat(config(Map.of()).validate()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("repos");
            assertThat(p.message()).startsWith("no repository is configured");
        });
    }

    @Test
    void repositoryKeyThatIsNotOwnerSlashName() {
        assertThat(config(Map.of("octo", RawRepo.of(seed().build()))).validate()).singleElement()
                .hasToString("repos.octo: repository \"octo\" must be written owner/name, for example octo/app");
    }

    @Test
    void nothingToRun() {
        assertThat(one(RawRule.builder().folder("/srv").build()).validate()).singleElement()
                .hasToString("repos.octo/app: has nothing to run; add commands (a list of argv lists)");
        assertThat(one(RawRule.builder().folder("/srv").build()).validate(ECHO)).singleElement()
                .hasToString("repos.octo/app: has nothing to run; add commands (a list of argv lists) or echo_text");
    }

    @Test
    void bothCommandsAndAnotherKind() {
        assertThat(one(seed().option("echo_text", "hi").build()).validate(ECHO)).singleElement()
                .hasToString("repos.octo/app: has both commands and echo_text; keep one of them (or put them in separate environments)");
    }

    @Test
    void emptyCommand() {
        assertThat(one(RawRule.builder().folder("/srv").commands(List.of("make"), List.of()).build()).validate())
                .singleElement().hasToString("repos.octo/app.commands[1]: has no program; write it as a list such as [git, fetch, origin]");
    }

    @Test
    void emptyCommandList() {
        assertThat(one(RawRule.builder().folder("/srv").commands(List.of()).build()).validate())
                .singleElement().hasToString("repos.octo/app.commands: is empty; add at least one command, such as [make, deploy]");
    }

    @Test
    void commandsWithoutFolder() {
        assertThat(one(RawRule.builder().commands(List.of("make")).build()).validate()).singleElement()
                .hasToString("repos.octo/app.folder: is missing; commands run in a folder, such as /srv/app");
    }

    @Test
    void unknownPlaceholder() {
        assertThat(one(RawRule.builder().folder("/srv").commands(List.of("deploy", "--token=${GITHUB_TOKEN}")).build()).validate())
                .singleElement().hasToString("repos.octo/app.commands[0][1]: uses ${GITHUB_TOKEN}, which is not a placeholder; "
                        + "use one of deployment_id, environment, ref, repository, requester, sha, task");
    }

    @Test
    void badDuration() {
        assertThat(one(seed().stepTimeout("soon").build()).validate()).singleElement()
                .hasToString("repos.octo/app.step_timeout: \"soon\" is not a positive duration; write it like 90s, 30m or 2h");
        assertThat(one(seed().ciTimeout("PT0S").build()).validate()).extracting(ConfigProblem::path)
                .containsExactly("repos.octo/app.ci_timeout");
    }

    @Test
    void unknownTrigger() {
        assertThat(one(seed().on(List.of("merge", "tag")).build()).validate()).singleElement()
                .hasToString("repos.octo/app.on[1]: \"tag\" is not a trigger; use merge, push, or [] to deploy only what others create");
    }

    @Test
    void badBranch() {
        assertThat(one(seed().branch("-main").build()).validate()).singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo("repos.octo/app.branch"));
    }

    @Test
    void unknownNotification() {
        assertThat(one(seed().notifyOn(List.of("started", "exploded")).build()).validate()).singleElement()
                .satisfies(p -> {
                    assertThat(p.path()).isEqualTo("repos.octo/app.notify[1]");
                    assertThat(p.message()).startsWith("\"exploded\" is not an event; use any of queued, started");
                });
    }

    @Test
    void blankRequiredContext() {
        assertThat(one(seed().requiredContexts(List.of("ci/build", " ")).build()).validate()).singleElement()
                .hasToString("repos.octo/app.required_contexts[1]: is empty; write the context's name as GitHub shows it, such as ci/build");
    }

    @Test
    void badEnvironmentName() {
        assertThat(config(Map.of("octo/app", new RawRepo(seed().build(), Map.of(" prod", RawRule.builder().build()))))
                .validate()).singleElement().satisfies(p -> assertThat(p.path()).isEqualTo("repos.octo/app.environments. prod"));
    }

    @Test
    void slackUrlThatIsNotHttps() {
        RawConfig c = new RawConfig(GITHUB, Optional.of("http://hooks.slack.com/x"), Optional.empty(),
                Map.of("octo/app", RawRepo.of(seed().slackWebhookUrl("nope").build())), RawEngine.defaults());
        assertThat(c.validate()).extracting(ConfigProblem::path)
                .containsExactly("slack.webhook_url", "repos.octo/app.slack_webhook_url");
    }

    @Test
    void engineLimitsMustBePositive() {
        RawConfig c = new RawConfig(GITHUB, Optional.empty(), Optional.of("https://deploy.example.com/"),
                Map.of("octo/app", RawRepo.of(seed().build())),
                new RawEngine(Optional.of(0), Optional.of(-1), Optional.of("x"), Optional.of(0), Optional.of(10L)));
        assertThat(c.validate()).extracting(ConfigProblem::path).containsExactly("engine.workers",
                "engine.queue_capacity", "engine.shutdown_grace", "engine.history_limit", "engine.log_limit_bytes");
    }

    @Test
    void publicUrlLosesItsTrailingSlash() {
        RawConfig c = new RawConfig(GITHUB, Optional.empty(), Optional.of("https://deploy.example.com/"),
                Map.of("octo/app", RawRepo.of(seed().build())), RawEngine.defaults());
        assertThat(c.resolve().publicUrl()).isEqualTo("https://deploy.example.com");
    }

    @Test
    void secretsListsTokenWebhookSecretsAndSlackUrls() {
        RawConfig c = new RawConfig(GITHUB, Optional.of("https://hooks.slack.com/services/T/B/X"),
                Optional.empty(), Map.of("octo/app", RawRepo.of(seed().slackWebhookUrl("https://hooks.slack.com/services/T/B/Y").build())),
                RawEngine.defaults());
        assertThat(c.resolve().secrets()).containsExactlyInAnyOrder("s3cret", "ghp_token",
                "https://hooks.slack.com/services/T/B/X", "https://hooks.slack.com/services/T/B/Y");
    }
}
