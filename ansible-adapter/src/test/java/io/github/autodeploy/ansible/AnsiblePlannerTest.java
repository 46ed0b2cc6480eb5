package io.github.autodeploy.ansible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.config.Execution;
import io.github.autodeploy.core.config.RawConfig;
import io.github.autodeploy.core.config.RawEngine;
import io.github.autodeploy.core.config.RawGitHub;
import io.github.autodeploy.core.config.RawRepo;
import io.github.autodeploy.core.config.RawRule;
import io.github.autodeploy.core.gate.RequiredContexts;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.plan.CommandPlan;
import io.github.autodeploy.core.plan.CommandStep;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.core.plan.StepVerdict;
import io.github.autodeploy.testkit.Values;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnsiblePlannerTest {
    private final AnsiblePlanner planner = AnsiblePlanner.create();

    /** A playbook rule running site.yml on the inventory hosts, with {@code options} named without their ansible_ prefix. */
    static EnvironmentRule rule(Map<String, ?> options) {
        Map<String, Object> keys = new LinkedHashMap<>(Map.of("ansible_hosts", "hosts", "ansible_playbook", "site.yml"));
        options.forEach((k, v) -> keys.put("ansible_" + k, v));
        EnvironmentRule base = EnvironmentRule.commands(Values.REPO, EnvironmentName.PRODUCTION, "/srv/site",
                List.of(List.of("x")), RequiredContexts.none());
        return new EnvironmentRule(base.repository(), base.environment(), base.folder(),
                new Execution.Planned(AnsiblePlanner.KIND, keys), base.requiredContexts(), base.triggers(),
                Duration.ofMinutes(5), base.ciTimeout(), base.ciPollInterval(), false, true, false, base.notifyOn(),
                Optional.empty());
    }

    private static Deployment hostile() {
        Deployment d = Values.deployment(42);
        return new Deployment(d.repository(), d.id(), d.sha(), GitRef.of("main"), d.environment(),
                "{{lookup('pipe','id')}}", d.requester(),
                "{\"x\":\"{{ 7*7 }}\",\"n\":[1,true,null,\"a\\\"b\"],\"{{ lookup(\\\"pipe\\\",\\\"id\\\") }}\":{\"{{ 6*6 }}\":\"v\"}}", "");
    }

    @Test
    void plansOneAnsiblePlaybookStepWithTheVarsFile() {
        CommandPlan plan = planner.plan(rule(Map.of()), Values.deployment(42), "/tmp/s");
        CommandStep step = plan.steps().get(0);
        assertThat(plan.steps()).hasSize(1);
        assertThat(step.argv()).containsExactly("ansible-playbook", "-i", "hosts", "site.yml", "--extra-vars", "@/tmp/s/vars.yml");
        assertThat(step.workingDirectory()).contains("/srv/site");
        assertThat(step.timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(step.environment()).containsEntry("ANSIBLE_NOCOLOR", "1").containsEntry("ANSIBLE_FORCE_COLOR", "0")
                .containsEntry("ANSIBLE_RETRY_FILES_ENABLED", "0").containsEntry("AUTODEPLOY_SHA", Values.SHA.value())
                .doesNotContainKey("ANSIBLE_HOST_KEY_CHECKING");
        assertThat(step.files()).extracting(f -> f.path()).containsExactly("/tmp/s/vars.yml", "/tmp/s/payload.json");
    }

    @Test
    void everyOptionBecomesItsFlag() {
        Map<String, String> options = Map.of("limit", "web", "tags", "deploy", "skip_tags", "slow", "check", "true",
                "forks", "10", "vault_password_file", "/etc/vault", "private_key", "/etc/key",
                "playbook_command", "/opt/ansible/bin/ansible-playbook");
        assertThat(planner.plan(rule(options), Values.deployment(42), "/tmp/s").steps().get(0).argv()).containsExactly(
                "/opt/ansible/bin/ansible-playbook", "-i", "hosts", "site.yml", "--extra-vars", "@/tmp/s/vars.yml",
                "--limit", "web", "--tags", "deploy", "--skip-tags", "slow", "--forks", "10",
                "--vault-password-file", "/etc/vault", "--private-key", "/etc/key", "--check");
    }

    @Test
    void webhookValuesReachOnlyTheVarsFileAndEveryStringThereKeysIncludedIsUnsafe() {
        CommandStep step = planner.plan(rule(Map.of("extra_vars", "{\"region\":\"eu\",\"sha\":\"not this\"}")), hostile(), "/tmp/s")
                .steps().get(0);
        assertThat(step.argv()).noneMatch(a -> a.contains("{{"));
        String vars = step.files().get(0).content();
        assertThat(vars).isEqualTo("---\n"
                + "!unsafe \"region\": !unsafe \"eu\"\n"
                + "!unsafe \"sha\": !unsafe \"" + Values.SHA.value() + "\"\n"
                + "!unsafe \"ref\": !unsafe \"main\"\n"
                + "!unsafe \"repository\": !unsafe \"octo/app\"\n"
                + "!unsafe \"deployment_id\": !unsafe \"42\"\n"
                + "!unsafe \"requester\": !unsafe \"octocat\"\n"
                + "!unsafe \"task\": !unsafe \"{{lookup('pipe','id')}}\"\n"
                + "!unsafe \"deploy_environment\": !unsafe \"production\"\n"
                + "!unsafe \"payload\": {!unsafe \"x\": !unsafe \"{{ 7*7 }}\", !unsafe \"n\": [1, true, null, !unsafe \"a\\\"b\"], "
                + "!unsafe \"{{ lookup(\\\"pipe\\\",\\\"id\\\") }}\": {!unsafe \"{{ 6*6 }}\": !unsafe \"v\"}}\n");
    }

    @Test
    void judgesExitCodesAsAnsibleDefinesThem() {
        CommandStep step = planner.plan(rule(Map.of()), Values.deployment(42), "/tmp/s").steps().get(0);
        List<String> recap = List.of("PLAY RECAP ***", "web1 : ok=2 changed=1 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0",
                "web2 : ok=1 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0");
        assertThat(planner.judge(step, failed(2), recap))
                .isEqualTo(new StepVerdict(DeploymentState.FAILURE, "failed on web2 (1 of 2 hosts); 1 ok"));
        assertThat(planner.judge(step, failed(4), List.of("ERROR! syntax")).state()).isEqualTo(DeploymentState.FAILURE);
        assertThat(planner.judge(step, failed(1), List.of())).isEqualTo(new StepVerdict(DeploymentState.ERROR,
                "ansible-playbook stopped with an error (exit 1)"));
        assertThat(planner.judge(step, failed(5), List.of()).description()).contains("bad or incomplete options");
        assertThat(planner.judge(step, failed(250), List.of()).description()).contains("unexpected error");
        assertThat(planner.judge(step, failed(99), List.of()).state()).isEqualTo(DeploymentState.ERROR);
        StepVerdict missing = planner.judge(step, new StepResult(StepResult.Outcome.NOT_STARTED, -1, Duration.ZERO,
                "could not start ansible-playbook: error=2, No such file or directory"), List.of());
        assertThat(missing.state()).isEqualTo(DeploymentState.ERROR);
        assertThat(missing.description()).contains("apt-get install ansible-core");
        assertThat(planner.judge(step, new StepResult(StepResult.Outcome.TIMED_OUT, -1, Duration.ZERO, "timed out after 5m"),
                List.of())).isEqualTo(new StepVerdict(DeploymentState.FAILURE, "ansible-playbook timed out after 5m"));
    }

    @Test
    void extraVarsWrittenAsAMapReachTheVarsFile() {
        CommandStep step = planner.plan(rule(Map.of("extra_vars", Map.of("region", "eu"))), Values.deployment(42), "/tmp/s")
                .steps().get(0);
        assertThat(step.files().get(0).content()).startsWith("---\n!unsafe \"region\": !unsafe \"eu\"\n");
    }

    @Test
    void claimsEveryAnsibleKeyAndNoOther() {
        assertThat(planner.claims("ansible_hosts")).isTrue();
        assertThat(planner.claims("ansible_colour")).isTrue();
        assertThat(planner.claims("commands")).isFalse();
        assertThat(planner.claims("playbook")).isFalse();
    }

    @Test
    void reportsEveryBadOptionUnderItsKeyPath() {
        Map<String, Object> options = Map.of("ansible_playbook", "site.yml", "ansible_check", "yes", "ansible_forks", "0",
                "ansible_colour", "x", "ansible_extra_vars", "[1]", "ansible_limit", List.of("a", "b"));
        assertThat(planner.validate("repos.octo/site", options)).extracting(Object::toString).containsExactly(
                "repos.octo/site.ansible_check: is \"yes\"; write true or false",
                "repos.octo/site.ansible_colour: is not an Ansible option; use one of ansible_check, ansible_extra_vars, "
                        + "ansible_forks, ansible_limit, ansible_playbook_command, ansible_private_key, ansible_skip_tags, "
                        + "ansible_tags, ansible_vault_password_file",
                "repos.octo/site.ansible_extra_vars: must be a map of variables",
                "repos.octo/site.ansible_forks: is \"0\"; write a number from 1 to 9999",
                "repos.octo/site.ansible_limit: must be a single value, not a list",
                "repos.octo/site.ansible_hosts: is missing; name the inventory file for ansible_playbook");
        assertThatThrownBy(() -> planner.plan(rule(Map.of("check", "maybe")), Values.deployment(1), "/tmp/s"))
                .hasMessageContaining("ansible_check");
    }

    @Test
    void aConfigurationValidatedWithThePlannerGetsItsProblemsWithKeyPaths() {
        RawRepo repo = new RawRepo(RawRule.builder().option("ansible_hosts", "hosts").option("ansible_forks", "x").build(),
                Map.of("staging", RawRule.builder().option("ansible_playbook", "site.yml").build()));
        RawConfig raw = new RawConfig(RawGitHub.of("t", "s"), Optional.empty(), Optional.empty(),
                Map.of("octo/site", repo), RawEngine.defaults());
        assertThat(raw.validate(List.of(planner))).extracting(Object::toString).containsExactly(
                "repos.octo/site.ansible_forks: is \"x\"; write a number from 1 to 9999");
        assertThat(raw.validate()).extracting(Object::toString).contains(
                "repos.octo/site.ansible_forks: unknown key; known keys here: branch, ci_poll_interval, ci_timeout, "
                        + "commands, environments, folder, freeze, lock_on_rollback, neutral_passes, notify, on, protect, protection_rules, "
                        + "required_contexts, "
                        + "rerun_interrupted, rollback_required_contexts, slack_webhook_url, step_timeout, supersede, windows");
    }

    @Test
    void aValidPlaybookRuleResolvesToThisKind() {
        RawRule rule = RawRule.builder().option("ansible_hosts", "hosts").option("ansible_playbook", "site.yml")
                .option("ansible_limit", "web").build();
        RawConfig raw = new RawConfig(RawGitHub.of("t", "s"), Optional.empty(), Optional.empty(),
                Map.of("octo/site", RawRepo.of(rule)), RawEngine.defaults());
        assertThat(raw.resolve(List.of(planner)).rules().get(0).execution()).isEqualTo(new Execution.Planned("ansible",
                Map.of("ansible_hosts", "hosts", "ansible_playbook", "site.yml", "ansible_limit", "web")));
    }

    private static StepResult failed(int code) {
        return new StepResult(StepResult.Outcome.FAILED, code, Duration.ofSeconds(1), "exit code " + code);
    }
}
