package io.github.autodeploy.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.ansible.AnsiblePlanner;
import io.github.autodeploy.config.LoadedConfig;
import io.github.autodeploy.core.config.Execution;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.Requester;
import io.github.autodeploy.core.port.Notice;
import io.github.autodeploy.testkit.FakeCommitChecks;
import io.github.autodeploy.testkit.FakeDeploymentApi;
import io.github.autodeploy.testkit.RecordingNotifier;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RobotAssemblyTest {
    private static final Map<String, String> ENV = Map.of("GITHUB_TOKEN", "ghp_env_token", "WEBHOOK_SECRET", "s3cret");

    private static LoadedConfig parse(String yaml) {
        return RobotAssembly.parse("autodeploy.yml", yaml, false, ENV);
    }

    @Test
    void thePagesCredentialsAreMaskedInStatusesNoticesAndLogs(@TempDir Path dir) {
        String token = "pages-token-4711-abcdef";
        String password = "pages-password-0815";
        LoadedConfig c = parse("""
                github: {webhook_secret: hook-secret-1}
                pages:
                  token: %s
                  username: admin
                  password: %s
                repos:
                  octo/app:
                    folder: %s
                    commands:
                      - [echo, "token %s"]
                      - ["false", "%s"]
                """.formatted(token, password, dir, token, password));
        FakeDeploymentApi github = new FakeDeploymentApi();
        RecordingNotifier slack = new RecordingNotifier();
        Deployment d = new Deployment(RepositoryName.of("octo/app"), DeploymentId.of(7),
                CommitSha.of("a10867b14bb761a232cd80139fbd4c0d33264240"), GitRef.of("main"), EnvironmentName.PRODUCTION,
                "deploy", Requester.of("octocat"), "{}", "");
        github.givenDeployment(d);
        try (RobotAssembly.Assembled a = RobotAssembly.assemble(c,
                b -> b.deploymentApi(github).commitChecks(new FakeCommitChecks()).notifier(slack))) {
            a.robot().handle(DeliveryId.of("d-1"), new WebhookEvent.DeploymentCreated(d));
            // The status reaches GitHub on the outbox's thread, the notice on the lane's: wait for both.
            await().atMost(Duration.ofSeconds(30)).until(() -> github.states(d.id()).contains(DeploymentState.FAILURE)
                    && slack.notices().stream().anyMatch(n -> n.kind() == io.github.autodeploy.core.model.NotificationKind.FAILED));
            List<String> statuses = github.statuses(d.id()).stream().map(p -> p.update().description()).toList();
            List<String> notices = slack.notices().stream().map(Notice::description).toList();
            List<String> log = a.robot().log(d.id(), 0).lines();
            assertThat(statuses).anySatisfy(t -> assertThat(t).contains("false ***"));
            assertThat(notices).anySatisfy(t -> assertThat(t).contains("false ***"));
            assertThat(log).contains("token ***");
            assertThat(List.of(statuses, notices, log)).allSatisfy(texts -> assertThat(texts)
                    .noneMatch(t -> t.contains(token) || t.contains(password)));
            assertThat(a.secrets().redact(token + " " + password)).isEqualTo("*** ***");
        }
    }

    @Test
    void readsTheArchitecturePagesExampleWithItsPlaybookRule() {
        LoadedConfig c = parse("""
                github:
                  token: ${GITHUB_TOKEN}
                  webhook_secret: ${WEBHOOK_SECRET}
                public_url: https://deploy.example.com
                repos:
                  octo/app:
                    folder: /srv/app
                    required_contexts: [ci/build]
                    commands:
                      - [git, fetch, origin]
                      - [git, checkout, --force, "${sha}"]
                  octo/site:
                    ansible_hosts: hosts
                    ansible_playbook: site.yml
                """);
        assertThat(c.robot().rule(RepositoryName.of("octo/app"), EnvironmentName.PRODUCTION).orElseThrow().execution())
                .isInstanceOf(Execution.Commands.class);
        assertThat(c.robot().rule(RepositoryName.of("octo/site"), EnvironmentName.PRODUCTION).orElseThrow().execution())
                .isEqualTo(new Execution.Planned(AnsiblePlanner.KIND,
                        Map.of("ansible_hosts", "hosts", "ansible_playbook", "site.yml")));
    }

    @Test
    void ansibleOptionsAreReadAsWrittenAndInheritedKeyByKey() {
        LoadedConfig c = parse("""
                github: {webhook_secret: s}
                repos:
                  octo/site:
                    folder: /srv/site
                    ansible_hosts: hosts
                    ansible_playbook: site.yml
                    ansible_limit: web
                    ansible_extra_vars: {region: eu}
                    environments:
                      staging: {ansible_limit: staging-web}
                """);
        assertThat(c.robot().rule(RepositoryName.of("octo/site"), EnvironmentName.of("staging")).orElseThrow().execution())
                .isEqualTo(new Execution.Planned(AnsiblePlanner.KIND, Map.of("ansible_hosts", "hosts",
                        "ansible_playbook", "site.yml", "ansible_limit", "staging-web",
                        "ansible_extra_vars", Map.of("region", "eu"))));
    }

    @Test
    void checkConfigReportsAnsibleProblemsWithTheirLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("autodeploy.yml");
        Files.writeString(file, """
                github: {webhook_secret: s}
                repos:
                  octo/site:
                    ansible_hosts: [a, b]
                    ansible_playbook: site.yml
                    ansible_check: maybe
                    ansible_colour: blue
                    supersede: sometimes
                    environments:
                      staging: {ansible_forks: many}
                """);
        assertThat(RobotAssembly.check(file, Map.of())).containsExactly(
                "line 4: repos.octo/site.ansible_hosts: must be a single value, not a list",
                "line 4: repos.octo/site.ansible_hosts: is missing; name the inventory file for ansible_playbook",
                "line 6: repos.octo/site.ansible_check: is \"maybe\"; write true or false",
                "line 7: repos.octo/site.ansible_colour: is not an Ansible option; use one of ansible_check, "
                        + "ansible_extra_vars, ansible_forks, ansible_limit, ansible_playbook_command, ansible_private_key, "
                        + "ansible_skip_tags, ansible_tags, ansible_vault_password_file",
                "line 8: repos.octo/site.supersede: is \"sometimes\"; write true or false",
                "line 10: repos.octo/site.environments.staging.ansible_forks: is \"many\"; write a number from 1 to 9999");
    }

    @Test
    void aRuleWithBothCommandsAndAPlaybookIsAProblem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("autodeploy.yml");
        Files.writeString(file, """
                github: {webhook_secret: s}
                repos:
                  octo/app: {folder: /srv, commands: [[make]], ansible_playbook: site.yml}
                """);
        assertThat(RobotAssembly.check(file, Map.of())).containsExactly("line 3: repos.octo/app: has both commands and "
                + "ansible_playbook; keep one of them (or put them in separate environments)");
    }

    @Test
    void assemblesARobotThatRunsPlaybooks() {
        LoadedConfig c = parse("""
                github: {webhook_secret: s}
                repos:
                  octo/site: {ansible_hosts: hosts, ansible_playbook: site.yml}
                """);
        try (RobotAssembly.Assembled robot = RobotAssembly.assemble(c)) {
            assertThat(robot.slack()).isEmpty();
            assertThat(robot.config()).isSameAs(c);
        }
        assertThat(RobotAssembly.planners()).extracting(p -> p.kind()).containsExactly(AnsiblePlanner.KIND);
    }

    @Test
    void githubEnterpriseWebAddressComesFromItsApiAddress() {
        assertThat(RobotAssembly.webUrl("https://api.github.com")).isEqualTo("https://github.com");
        assertThat(RobotAssembly.webUrl("https://ghe.example.com/api/v3")).isEqualTo("https://ghe.example.com");
    }

    @Test
    void everyPlannerOfTheAssemblyHasItsOwnKind() {
        assertThat(RobotAssembly.planners()).extracting(p -> p.kind()).doesNotHaveDuplicates().doesNotContain("commands");
        assertThat(List.copyOf(RobotAssembly.planners())).allSatisfy(p -> assertThat(p.claims("folder")).isFalse());
    }
}
