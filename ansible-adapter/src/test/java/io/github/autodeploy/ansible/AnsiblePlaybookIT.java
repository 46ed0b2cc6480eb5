package io.github.autodeploy.ansible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.config.RawConfig;
import io.github.autodeploy.core.config.RawEngine;
import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.config.RawGitHub;
import io.github.autodeploy.core.config.RawRepo;
import io.github.autodeploy.core.config.RawRule;
import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.local.InMemoryDeploymentStore;
import io.github.autodeploy.core.local.LocalCommandRunner;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.plan.CommandStep;
import io.github.autodeploy.core.port.Cancellation;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.core.plan.StepVerdict;
import io.github.autodeploy.testkit.FakeCommitChecks;
import io.github.autodeploy.testkit.FakeDeploymentApi;
import io.github.autodeploy.testkit.RecordingNotifier;
import io.github.autodeploy.testkit.Values;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code ansible-playbook} (Debian's ansible-core), on localhost with a local connection. */
class AnsiblePlaybookIT {
    @TempDir
    Path dir;
    private final AnsiblePlanner planner = AnsiblePlanner.create();
    private final LocalCommandRunner runner = LocalCommandRunner.create(Secrets.none(), Duration.ofSeconds(3));

    private record Run(StepResult result, List<String> output, CommandStep step) {
    }

    @BeforeEach
    void inventory() throws IOException {
        Files.writeString(dir.resolve("hosts"), "localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n"
                + "ghost ansible_host=127.0.0.1 ansible_port=1 ansible_connection=ssh ansible_ssh_timeout=3\n");
    }

    private EnvironmentRule rule(String playbook, Map<String, String> options, Duration timeout) {
        Map<String, String> withPlaybook = new java.util.HashMap<>(options);
        withPlaybook.put("playbook", playbook);
        EnvironmentRule r = AnsiblePlannerTest.rule(withPlaybook);
        return new EnvironmentRule(r.repository(), r.environment(), Optional.of(dir.toString()), r.execution(), r.requiredContexts(),
                r.triggers(), timeout, r.ciTimeout(), r.ciPollInterval(), false, true, false, r.notifyOn(), Optional.empty());
    }

    private Run run(String playbook, String yaml, Map<String, String> options, Duration timeout, Deployment d) throws IOException {
        Files.writeString(dir.resolve(playbook), yaml);
        CommandStep step = planner.plan(rule(playbook, options, timeout), d, dir.resolve("scratch").toString()).steps().get(0);
        List<String> out = new CopyOnWriteArrayList<>();
        StepResult result = runner.run(step, (s, line) -> out.add(line), new Cancellation());
        return new Run(result, out, step);
    }

    private StepVerdict verdict(Run r) {
        return planner.judge(r.step(), r.result(), r.output());
    }

    private static Deployment deployment() {
        Deployment d = Values.deployment(42);
        return new Deployment(d.repository(), d.id(), d.sha(), GitRef.of("main"), d.environment(), "deploy", d.requester(),
                "{\"x\":\"{{ 7*7 }}\"}", "");
    }

    private static final String WRITE = "- hosts: localhost\n  gather_facts: false\n  tasks:\n"
            + "    - copy:\n        content: \"{{ sha }} {{ deploy_environment }} {{ payload.x }} {{ ref }}\\n\"\n"
            + "        dest: \"{{ playbook_dir }}/out.txt\"\n";

    @Test
    void playbookSeesTheDeploymentsValuesAsPlainData() throws IOException {
        Run r = run("site.yml", WRITE, Map.of(), Duration.ofMinutes(2), deployment());
        assertThat(r.result().outcome()).as(String.join("\n", r.output())).isEqualTo(StepResult.Outcome.SUCCEEDED);
        assertThat(Files.readString(dir.resolve("out.txt"))).isEqualTo(Values.SHA.value() + " production {{ 7*7 }} main\n");
        assertThat(dir.resolve("scratch")).doesNotExist();
    }

    @Test
    void payloadKeysHoldingJinjaAreNeverEvaluated() throws IOException {
        Path pwned = dir.resolve("pwned");
        String key = "{{ lookup('pipe', 'touch " + pwned + "') }}";
        Deployment d = deployment();
        Deployment hostile = new Deployment(d.repository(), d.id(), d.sha(), d.ref(), d.environment(), d.task(), d.requester(),
                "{\"" + key + "\":{\"" + key + "\":\"v\"}}", "");
        String playbook = "- hosts: localhost\n  gather_facts: false\n  tasks:\n"
                + "    - set_fact:\n        k: \"{{ (payload | dict2items | first).key }}\"\n"
                + "        inner: \"{{ (payload | dict2items | first).value | dict2items | first }}\"\n"
                + "    - copy:\n        content: \"{{ k }}|{{ inner.key }}|{{ payload | to_json }}\\n\"\n"
                + "        dest: \"{{ playbook_dir }}/out.txt\"\n";
        Run r = run("keys.yml", playbook, Map.of(), Duration.ofMinutes(2), hostile);
        assertThat(r.result().outcome()).as(String.join("\n", r.output())).isEqualTo(StepResult.Outcome.SUCCEEDED);
        assertThat(pwned).doesNotExist();
        assertThat(Files.readString(dir.resolve("out.txt"))).startsWith(key + "|" + key + "|");
    }

    @Test
    void failingTaskIsAFailureNamingTheHost() throws IOException {
        Run r = run("fail.yml", "- hosts: localhost\n  gather_facts: false\n  tasks:\n    - fail:\n        msg: boom\n",
                Map.of(), Duration.ofMinutes(2), deployment());
        assertThat(r.result().exitCode()).isEqualTo(2);
        assertThat(verdict(r)).isEqualTo(new StepVerdict(DeploymentState.FAILURE, "failed on localhost (1 of 1 hosts); 0 ok"));
    }

    @Test
    void unreachableHostIsAFailureNamingIt() throws IOException {
        Run r = run("all.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n    - ping:\n", Map.of(), Duration.ofMinutes(2),
                deployment());
        assertThat(r.result().exitCode()).isEqualTo(4);
        assertThat(verdict(r)).isEqualTo(new StepVerdict(DeploymentState.FAILURE, "unreachable: ghost (1 of 2 hosts); 1 ok"));
    }

    @Test
    void syntaxErrorIsAFailure() throws IOException {
        Run r = run("broken.yml", "- hosts: all\n  tasks:\n    - copy: [\n", Map.of(), Duration.ofMinutes(2), deployment());
        assertThat(r.result().exitCode()).isEqualTo(4);
        assertThat(verdict(r).state()).isEqualTo(DeploymentState.FAILURE);
        assertThat(r.output()).anyMatch(l -> l.contains("Syntax Error"));
    }

    @Test
    void timeoutKillsAnsibleAndEveryTaskItStarted() throws IOException {
        // A sleep whose length is unique to this run finds the task's process, and its shell, afterwards.
        String marker = "6000." + (100_000 + new java.util.Random().nextInt(900_000));
        Run r = run("slow.yml", "- hosts: localhost\n  gather_facts: false\n  tasks:\n"
                + "    - shell: sleep " + marker + "\n", Map.of(), Duration.ofSeconds(8), deployment());
        assertThat(r.result().outcome()).isEqualTo(StepResult.Outcome.TIMED_OUT);
        assertThat(verdict(r).state()).isEqualTo(DeploymentState.FAILURE);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(marker))).isEmpty());
    }

    @Test
    void checkModeChangesNothingOnDisk() throws IOException {
        Run r = run("site.yml", WRITE, Map.of("check", "true"), Duration.ofMinutes(2), deployment());
        assertThat(r.result().outcome()).isEqualTo(StepResult.Outcome.SUCCEEDED);
        assertThat(dir.resolve("out.txt")).doesNotExist();
    }

    @Test
    void missingExecutableIsAnErrorThatSaysHowToInstallIt() throws IOException {
        Run r = run("site.yml", WRITE, Map.of("playbook_command", "/nonexistent/ansible-playbook"), Duration.ofMinutes(1),
                deployment());
        assertThat(r.result().outcome()).isEqualTo(StepResult.Outcome.NOT_STARTED);
        assertThat(verdict(r).state()).isEqualTo(DeploymentState.ERROR);
        assertThat(verdict(r).description()).contains("install Ansible");
    }

    @Test
    void theEngineRunsAPlaybookDeploymentAndReportsIt() throws IOException {
        Files.writeString(dir.resolve("site.yml"), WRITE);
        var config = new RawConfig(RawGitHub.of("ghp_it_token", "secret"), Optional.empty(), Optional.empty(),
                Map.of("octo/app", RawRepo.of(RawRule.builder().folder(dir.toString()).option("ansible_hosts", "hosts")
                        .option("ansible_playbook", "site.yml").requiredContexts(List.of()).build())), RawEngine.defaults())
                .resolve(List.of(planner));
        FakeDeploymentApi github = new FakeDeploymentApi();
        Deployment d = deployment();
        github.givenDeployment(d);
        try (Autodeploy robot = Autodeploy.builder(config).deploymentApi(github).commitChecks(new FakeCommitChecks())
                .notifier(new RecordingNotifier()).commandRunner(runner).store(InMemoryDeploymentStore.create(10, 1 << 20))
                .planner(planner).build()) {
            robot.handle(DeliveryId.of("it-1"), new WebhookEvent.DeploymentCreated(d));
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(github.states(d.id()))
                    .containsExactly(DeploymentState.QUEUED, DeploymentState.IN_PROGRESS, DeploymentState.SUCCESS));
            assertThat(robot.log(d.id(), 0).lines()).anyMatch(l -> l.startsWith("PLAY RECAP"));
        }
        assertThat(Files.readString(dir.resolve("out.txt"))).startsWith(Values.SHA.value());
    }
}
