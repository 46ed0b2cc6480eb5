package io.github.autodeploy.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.config.RawConfig;
import io.github.autodeploy.core.config.RawEngine;
import io.github.autodeploy.core.config.RawGitHub;
import io.github.autodeploy.core.config.RawRepo;
import io.github.autodeploy.core.config.RawRule;
import io.github.autodeploy.core.config.RobotConfig;
import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.core.engine.Receipt;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.ContextReport;
import io.github.autodeploy.core.model.ContextState;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.Requester;
import io.github.autodeploy.core.port.Notifier;
import io.github.autodeploy.core.time.TimeSource;
import io.github.autodeploy.testkit.FakeCommitChecks;
import io.github.autodeploy.testkit.FakeDeploymentApi;
import io.github.autodeploy.testkit.ScriptedRunner;
import io.github.autodeploy.testkit.Values;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A robot on a SQLite store that dies (its store is closed under it, its threads left hanging, as
 * after a kill -9) and one started on the same file after it: what the first accepted is carried on.
 */
class RobotRestartOnSqliteTest {
    private static final String PUBLIC_URL = "https://deploy.example.com";
    @TempDir
    Path dir;

    private RobotConfig config() {
        RawRule rule = RawRule.builder().folder("/srv/app").commands(List.of("${task}")).requiredContexts(List.of("ci/build"))
                .ciPollInterval("50ms").ciTimeout("10m").build();
        return new RawConfig(new RawGitHub(Optional.empty(), Optional.of("ghp_test_token_123"), List.of("webhook-secret-1"), false),
                Optional.empty(), Optional.of(PUBLIC_URL), Map.of("octo/app", RawRepo.of(rule)),
                new RawEngine(Optional.of(2), Optional.of(10), Optional.of("1s"), Optional.empty(), Optional.empty())).resolve();
    }

    private JdbcDeploymentStore store() {
        return JdbcDeploymentStore.builder().url("jdbc:sqlite:" + dir.resolve("autodeploy.db")).build();
    }

    private static Autodeploy robot(RobotConfig config, JdbcDeploymentStore store, FakeDeploymentApi api, FakeCommitChecks checks,
                                    ScriptedRunner runner) {
        return Autodeploy.builder(config).deploymentApi(api).commitChecks(checks).notifier(Notifier.none()).commandRunner(runner)
                .store(store).timeSource(TimeSource.system()).build();
    }

    private static Deployment deployment(FakeDeploymentApi api, long id, String script) {
        Deployment base = Values.deployment(id);
        Deployment d = new Deployment(base.repository(), base.id(), base.sha(), GitRef.of("main"), EnvironmentName.PRODUCTION,
                script, base.requester(), base.payloadJson(), "");
        api.givenDeployment(d);
        return d;
    }

    @Test
    void whatADeadRobotAcceptedIsCarriedOnByTheNextOneOnTheSameFile() {
        RobotConfig config = config();
        CommitSha waitingSha = CommitSha.of("1111111111111111111111111111111111111111");
        FakeDeploymentApi firstApi = new FakeDeploymentApi();
        ScriptedRunner firstRunner = new ScriptedRunner();
        JdbcDeploymentStore firstStore = store();
        Autodeploy first = robot(config, firstStore, firstApi, new FakeCommitChecks(), firstRunner);
        first.start();
        Deployment running = deployment(firstApi, 1, "block");
        Deployment queued = deployment(firstApi, 2, "ok");
        assertThat(first.handle(DeliveryId.of("d-1"), new WebhookEvent.DeploymentCreated(running)).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
        await().until(() -> firstApi.states(running.id()).contains(DeploymentState.IN_PROGRESS));
        assertThat(first.handle(DeliveryId.of("d-2"), new WebhookEvent.DeploymentCreated(queued)).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
        assertThat(first.handle(DeliveryId.of("d-3"), new WebhookEvent.PullRequestClosed(Values.REPO, 7, true, GitRef.of("main"), "main",
                Values.SHA2, Optional.of(waitingSha), Optional.of(Requester.of("hubot")), Values.OCTOCAT, Optional.of(Values.REPO),
                "Fix")).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
        // Dies: nothing it does reaches the store any more, and nothing of it is closed or ended.
        firstStore.close();

        FakeDeploymentApi api = new FakeDeploymentApi();
        api.givenDeployment(running);
        api.givenDeployment(queued);
        FakeCommitChecks checks = new FakeCommitChecks();
        ScriptedRunner runner = new ScriptedRunner();
        try (JdbcDeploymentStore store = store(); Autodeploy next = robot(config, store, api, checks, runner)) {
            next.start();
            await().until(() -> api.states(running.id()).contains(DeploymentState.ERROR));
            assertThat(api.statuses(running.id()).get(api.statuses(running.id()).size() - 1).update().description())
                    .isEqualTo("interrupted: the robot running it stopped before it ended; deploy again to retry");
            await().until(() -> api.states(queued.id()).contains(DeploymentState.SUCCESS));
            assertThat(api.states(queued.id())).endsWith(DeploymentState.IN_PROGRESS, DeploymentState.SUCCESS);
            assertThat(runner.started()).containsExactly("2");
            assertThat(next.find(running.id()).orElseThrow().state()).isEqualTo(DeploymentState.ERROR);

            // Redeliveries, with the same delivery id or a new one, are duplicates; nothing runs again.
            assertThat(next.handle(DeliveryId.of("d-1"), new WebhookEvent.DeploymentCreated(running)).kind())
                    .isEqualTo(Receipt.Kind.DUPLICATE);
            assertThat(next.handle(DeliveryId.of("d-1-again"), new WebhookEvent.DeploymentCreated(running)).kind())
                    .isEqualTo(Receipt.Kind.DUPLICATE);
            assertThat(next.handle(DeliveryId.of("d-2-again"), new WebhookEvent.DeploymentCreated(queued)).kind())
                    .isEqualTo(Receipt.Kind.DUPLICATE);

            // The merge still waits for CI, and is deployed once it is green.
            assertThat(api.created()).isEmpty();
            checks.report(Values.REPO, waitingSha, new ContextReport("ci/build", ContextState.SUCCESS, Instant.now(),
                    ContextReport.Source.COMMIT_STATUS));
            next.handle(DeliveryId.of("d-4"), new WebhookEvent.CommitStatus(Values.REPO, waitingSha, "ci/build", ContextState.SUCCESS,
                    Instant.now()));
            await().atMost(Duration.ofSeconds(20)).until(() -> api.created().size() == 1);
            assertThat(api.created().get(0).sha()).isEqualTo(waitingSha);
            assertThat(store.waiting()).isEmpty();
            assertThat(runner.started()).containsExactly("2");
        } finally {
            firstRunner.release();
        }
    }
}
