package io.github.autodeploy.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.config.RawConfig;
import io.github.autodeploy.core.config.RawEngine;
import io.github.autodeploy.core.config.RawGitHub;
import io.github.autodeploy.core.config.RawProtection;
import io.github.autodeploy.core.config.RawRepo;
import io.github.autodeploy.core.config.RawRule;
import io.github.autodeploy.core.config.RobotConfig;
import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.control.Role;
import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.core.engine.ControlResult;
import io.github.autodeploy.core.engine.Receipt;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.port.Notifier;
import io.github.autodeploy.core.port.ProtectionRuleApi;
import io.github.autodeploy.core.port.ProtectionRuleTarget;
import io.github.autodeploy.core.store.GatedRun;
import io.github.autodeploy.core.time.TimeSource;
import io.github.autodeploy.testkit.FakeCommitChecks;
import io.github.autodeploy.testkit.FakeDeploymentApi;
import io.github.autodeploy.testkit.RecordingProtectionRules;
import io.github.autodeploy.testkit.ScriptedRunner;
import io.github.autodeploy.testkit.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two robots on one PostgreSQL database gating the same GitHub Actions runs: a request delivered to
 * both is taken once, approvals given on either node count together, the decision is sent once, and
 * a robot started later on the same database finds it decided.
 */
class GatedTwoNodesOnPostgresTest {
    private static final Actor ALICE = new Actor("alice", Role.DEPLOYER);
    private static final Actor BOB = new Actor("bob", Role.DEPLOYER);
    private final RecordingProtectionRules github = new RecordingProtectionRules();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private String url;

    @BeforeEach
    void freshDatabase() {
        url = TestPostgres.freshSchemaUrl();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private static RobotConfig config() {
        RawRule rule = RawRule.builder().folder("/srv/app").commands(List.of("true")).requiredContexts(List.of())
                .protection(new RawProtection(Optional.of(true), Optional.of(2), Optional.empty(), Optional.empty(),
                        Optional.empty())).build();
        return new RawConfig(new RawGitHub(Optional.empty(), Optional.of("ghp_test_token_123"), List.of("webhook-secret-1"), false),
                Optional.empty(), Optional.of("https://deploy.example.com"), Map.of("octo/app", RawRepo.of(rule)),
                RawEngine.defaults()).resolve();
    }

    private Autodeploy node(String name, ProtectionRuleApi api) {
        JdbcDeploymentStore store = JdbcDeploymentStore.builder().url(url).nodeId(name).build();
        Autodeploy robot = Autodeploy.builder(config()).deploymentApi(new FakeDeploymentApi()).commitChecks(new FakeCommitChecks())
                .notifier(Notifier.none()).commandRunner(new ScriptedRunner()).store(store).protectionRules(api)
                .timeSource(TimeSource.system()).build();
        closing.add(store);
        closing.add(robot);
        robot.start();
        return robot;
    }

    private static WebhookEvent.ProtectionRuleRequested request(long runId) {
        return new WebhookEvent.ProtectionRuleRequested(Values.REPO, EnvironmentName.PRODUCTION, "push",
                "https://api.github.com/repos/octo/app/actions/runs/" + runId + "/deployment_protection_rule", runId,
                DeploymentId.of(7000 + runId), Values.SHA, GitRef.of("main"), Values.OCTOCAT, List.of(), Values.OCTOCAT,
                OptionalLong.of(77));
    }

    private static ProtectionRuleTarget target(long runId) {
        return new ProtectionRuleTarget(Values.REPO, runId, EnvironmentName.PRODUCTION, OptionalLong.of(77));
    }

    @Test
    void aRunDeliveredToBothNodesIsTakenOnceApprovedByBothAndDecidedOnce() throws Exception {
        Autodeploy a = node("node-a", github);
        Autodeploy b = node("node-b", github);
        String key = GatedRun.key(target(1));
        CompletableFuture<Receipt> one = CompletableFuture.supplyAsync(() -> a.handle(DeliveryId.of("d-1"), request(1)));
        CompletableFuture<Receipt> two = CompletableFuture.supplyAsync(() -> b.handle(DeliveryId.of("d-1b"), request(1)));
        assertThat(List.of(one.get().kind(), two.get().kind()))
                .containsExactlyInAnyOrder(Receipt.Kind.ACCEPTED, Receipt.Kind.DUPLICATE);
        // Approvals given on either node at once both count.
        CompletableFuture<ControlResult> byAlice = CompletableFuture.supplyAsync(() -> a.approveGated(key, ALICE));
        CompletableFuture<ControlResult> byBob = CompletableFuture.supplyAsync(() -> b.approveGated(key, BOB));
        assertThat(byAlice.get().ok()).as(byAlice.get().message()).isTrue();
        assertThat(byBob.get().ok()).as(byBob.get().message()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> a.gatedRun(key).orElseThrow().delivery() == GatedRun.Delivery.SENT);
        // Both nodes keep looking for a few seconds: still one review.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> github.reviews(target(1)).size() == 1);
        assertThat(github.reviews(target(1))).singleElement().satisfies(r -> {
            assertThat(r.decision()).contains(ProtectionRuleApi.Decision.APPROVED);
            assertThat(r.comment()).startsWith("Autodeploy: no CI contexts required; approved by ");
        });
        assertThat(b.gatedRun(key).orElseThrow().approvals()).extracting(GatedRun.Approval::user)
                .containsExactlyInAnyOrder("alice", "bob");
        // A robot started later on the same database finds it decided and sends nothing.
        RecordingProtectionRules later = new RecordingProtectionRules();
        Autodeploy c = node("node-c", later);
        assertThat(c.gatedRun(key).orElseThrow().state()).isEqualTo(GatedRun.State.APPROVED);
        assertThat(c.handle(DeliveryId.of("d-1c"), request(1)).kind()).isEqualTo(Receipt.Kind.DUPLICATE);
        assertThat(c.approveGated(key, ALICE)).isInstanceOf(ControlResult.Refused.class);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> later.received().isEmpty());
    }
}
