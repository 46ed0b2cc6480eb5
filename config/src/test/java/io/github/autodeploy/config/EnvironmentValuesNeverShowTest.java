package io.github.autodeploy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.local.InMemoryDeploymentStore;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.StepRecord;
import io.github.autodeploy.testkit.FakeCommitChecks;
import io.github.autodeploy.testkit.FakeDeploymentApi;
import io.github.autodeploy.testkit.ManualTimeSource;
import io.github.autodeploy.testkit.RecordingNotifier;
import io.github.autodeploy.testkit.ScriptedRunner;
import io.github.autodeploy.testkit.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A value the loader takes from the environment into a command reaches the process, and nothing
 * else: not the step's name, the log, GitHub's statuses or the notices.
 */
class EnvironmentValuesNeverShowTest {
    private static final String KEY = "topsecret-api-key-123";

    @Test
    void aValueFromTheEnvironmentInACommandShowsNowhere() {
        LoadedConfig config = ConfigFile.parse("autodeploy.yml", """
                github: {token: ghp_test_token_123, webhook_secret: webhook-secret-1}
                public_url: https://deploy.example.com
                repos:
                  octo/app:
                    folder: /srv/app
                    required_contexts: []
                    commands:
                      - [echo, "${DEPLOY_API_KEY}"]
                      - "fail 3 --key=${DEPLOY_API_KEY}"
                """, false, Map.of("DEPLOY_API_KEY", KEY));
        FakeDeploymentApi github = new FakeDeploymentApi();
        RecordingNotifier notifier = new RecordingNotifier();
        ScriptedRunner runner = new ScriptedRunner();
        InMemoryDeploymentStore store = InMemoryDeploymentStore.create(100, 64 * 1024);
        Autodeploy robot = Autodeploy.builder(config.robot()).deploymentApi(github).commitChecks(new FakeCommitChecks())
                .notifier(notifier).commandRunner(runner).store(store)
                .timeSource(ManualTimeSource.at("2026-11-27T10:00:00Z")).build();
        try {
            Deployment base = Values.deployment(7, Values.REPO, EnvironmentName.PRODUCTION);
            Deployment d = new Deployment(base.repository(), base.id(), base.sha(), GitRef.of("main"),
                    base.environment(), "deploy", base.requester(), base.payloadJson(), "");
            github.givenDeployment(d);
            robot.handle(DeliveryId.of("delivery-1"), new WebhookEvent.DeploymentCreated(d));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(github.states(d.id()))
                    .containsExactly(DeploymentState.QUEUED, DeploymentState.IN_PROGRESS, DeploymentState.FAILURE));

            DeploymentRecord record = robot.find(d.id()).orElseThrow();
            assertThat(record.steps()).extracting(StepRecord::name)
                    .containsExactly("echo ${DEPLOY_API_KEY}", "fail 3 --key=${DEPLOY_API_KEY}");
            List<String> log = robot.log(d.id(), 0).lines();
            assertThat(log).contains("$ echo ***", "***");
            List<String> everything = new ArrayList<>(log);
            everything.add(record.toString());
            github.statuses(d.id()).forEach(s -> everything.add(s.toString()));
            notifier.notices().forEach(n -> everything.add(n.toString()));
            assertThat(github.statuses(d.id())).last().satisfies(s ->
                    assertThat(s.update().description()).contains("fail 3 --key=${DEPLOY_API_KEY}"));
            assertThat(everything).isNotEmpty().noneMatch(s -> s.contains(KEY));
        } finally {
            runner.release();
            robot.close();
        }
    }

    @Test
    void aSyntaxErrorNamesItsLineButNeverQuotesIt() {
        List<String> yaml = problemsOf("autodeploy.yml", """
                github: {webhook_secret: "${WEBHOOK_SECRET}"}
                store:
                  password: hunter2-literal: oops
                repos:
                  octo/app: {folder: /srv/app, commands: [[make, deploy]]}
                """, false);
        assertThat(yaml).singleElement().asString().contains("line 3").contains("not valid YAML")
                .doesNotContain("hunter2-literal");
        List<String> unterminated = problemsOf("autodeploy.yml", "store: {url: \"jdbc:postgresql://db/x?password=hunter2-literal\"\n",
                false);
        assertThat(unterminated).singleElement().asString().doesNotContain("hunter2-literal");
        List<String> json = problemsOf("autodeploy.json", "{\"store\": {\"password\": hunter2-literal}}", true);
        assertThat(json).singleElement().asString().contains("not valid JSON").doesNotContain("hunter2-literal");
    }

    private static List<String> problemsOf(String name, String text, boolean json) {
        try {
            ConfigFile.parse(name, text, json, Map.of("WEBHOOK_SECRET", "s3cret-value"));
            return List.of();
        } catch (ConfigFileException e) {
            assertThat(e.getMessage()).doesNotContain("hunter2-literal");
            return e.problems().stream().map(Object::toString).toList();
        }
    }
}
