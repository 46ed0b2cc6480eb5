package io.github.autodeploy.store.jdbc;

import io.github.autodeploy.testkit.CuttableProxy;
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
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.port.Notifier;
import io.github.autodeploy.core.time.TimeSource;
import io.github.autodeploy.testkit.FakeCommitChecks;
import io.github.autodeploy.testkit.FakeDeploymentApi;
import io.github.autodeploy.testkit.ScriptedRunner;
import io.github.autodeploy.testkit.Values;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A robot whose PostgreSQL goes away while it runs, and comes back: never 202 for what it could not store, no restart needed. */
class DatabaseOutageTest {

    private static RobotConfig config() {
        RawRule rule = RawRule.builder().folder("/srv/app").commands(List.of("${task}")).requiredContexts(List.of()).build();
        return new RawConfig(new RawGitHub(Optional.empty(), Optional.of("ghp_test_token_123"), List.of("webhook-secret-1"), false),
                Optional.empty(), Optional.of("https://deploy.example.com"), Map.of("octo/app", RawRepo.of(rule)),
                new RawEngine(Optional.of(2), Optional.of(10), Optional.of("1s"), Optional.empty(), Optional.empty())).resolve();
    }

    private static Deployment deployment(FakeDeploymentApi github, long id) {
        Deployment base = Values.deployment(id);
        Deployment d = new Deployment(base.repository(), base.id(), base.sha(), GitRef.of("main"), EnvironmentName.PRODUCTION,
                "ok", base.requester(), base.payloadJson(), "");
        github.givenDeployment(d);
        return d;
    }

    @Test
    void whileTheDatabaseIsAwayDeliveriesAreRefusedAndTakenWhenItIsBack() throws Exception {
        URI real = URI.create(TestPostgres.freshSchemaUrl().substring("jdbc:".length()));
        FakeDeploymentApi github = new FakeDeploymentApi();
        ScriptedRunner runner = new ScriptedRunner();
        try (CuttableProxy proxy = new CuttableProxy(real.getHost(), real.getPort())) {
            String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.port() + real.getRawPath() + "?" + real.getRawQuery();
            try (JdbcDeploymentStore store = JdbcDeploymentStore.builder().url(viaProxy).connectTimeout(Duration.ofSeconds(1))
                    .leaseTimeout(Duration.ofSeconds(3)).build();
                 Autodeploy robot = Autodeploy.builder(config()).deploymentApi(github).commitChecks(new FakeCommitChecks())
                         .notifier(Notifier.none()).commandRunner(runner).store(store).timeSource(TimeSource.system()).build()) {
                robot.start();
                Deployment first = deployment(github, 1);
                assertThat(robot.handle(DeliveryId.of("d-1"), new WebhookEvent.DeploymentCreated(first)).kind())
                        .isEqualTo(Receipt.Kind.ACCEPTED);
                await().until(() -> github.states(first.id()).contains(DeploymentState.SUCCESS));

                proxy.cut();
                Deployment second = deployment(github, 2);
                Receipt refused = robot.handle(DeliveryId.of("d-2"), new WebhookEvent.DeploymentCreated(second));
                assertThat(refused.kind()).isEqualTo(Receipt.Kind.UNAVAILABLE);
                assertThat(refused.reason()).isEqualTo("the robot could not store this delivery; redeliver it later")
                        .doesNotContain("password");
                assertThat(robot.handle(DeliveryId.of("d-1"), new WebhookEvent.DeploymentCreated(first)).kind())
                        .as("not even a duplicate can be told apart without the store").isEqualTo(Receipt.Kind.UNAVAILABLE);
                assertThat(github.states(second.id())).isEmpty();

                proxy.mend();
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        robot.handle(DeliveryId.of("d-2"), new WebhookEvent.DeploymentCreated(second)).kind() != Receipt.Kind.UNAVAILABLE);
                await().until(() -> github.states(second.id()).contains(DeploymentState.SUCCESS));
                assertThat(github.states(second.id()))
                        .containsExactly(DeploymentState.QUEUED, DeploymentState.IN_PROGRESS, DeploymentState.SUCCESS);
                assertThat(robot.handle(DeliveryId.of("d-2"), new WebhookEvent.DeploymentCreated(second)).kind())
                        .isEqualTo(Receipt.Kind.DUPLICATE);
                assertThat(runner.started()).containsExactly("1", "2");
                assertThat(robot.find(second.id()).orElseThrow().state()).isEqualTo(DeploymentState.SUCCESS);
            }
        }
    }
}
