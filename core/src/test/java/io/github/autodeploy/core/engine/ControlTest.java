package io.github.autodeploy.core.engine;

import static io.github.autodeploy.core.model.DeploymentState.ERROR;
import static io.github.autodeploy.core.model.DeploymentState.IN_PROGRESS;
import static io.github.autodeploy.core.model.DeploymentState.QUEUED;
import static io.github.autodeploy.core.model.DeploymentState.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.config.RawEngine;
import io.github.autodeploy.core.config.RobotConfig;
import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.control.DeploySchedule;
import io.github.autodeploy.core.control.DeployWindow;
import io.github.autodeploy.core.control.Role;
import io.github.autodeploy.core.gate.RequiredContexts;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.port.NewDeployment;
import io.github.autodeploy.core.port.StatusPost;
import io.github.autodeploy.testkit.Values;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Locks, deploy windows, forced deployments, redeploys and rollbacks, through the engine on a manual clock. */
class ControlTest {
    private static final Actor ALICE = new Actor("alice", Role.DEPLOYER);
    private static final Actor BOB = new Actor("bob", Role.DEPLOYER);
    private static final Actor VIEWER = new Actor("vera", Role.VIEWER);
    private static final Actor ROOT = new Actor("root", Role.ADMIN);
    private static final EnvironmentName PROD = EnvironmentName.PRODUCTION;

    /** A deployment the robot created for a merge: its payload carries the request id. */
    private static Deployment auto(Harness h, long id, String script) {
        return given(h, id, Values.SHA, script, io.github.autodeploy.testkit.RobotPayloads.autoDeploy("webhook-secret-1",
                Values.REPO, PROD, Values.SHA, "req-" + id));
    }

    private static Deployment given(Harness h, long id, CommitSha sha, String script, String payload) {
        Deployment d = new Deployment(Values.REPO, DeploymentId.of(id), sha, GitRef.of("main"), PROD, script, Values.OCTOCAT,
                payload, "");
        h.api.givenDeployment(d);
        return d;
    }

    private static String lastDescription(Harness h, long id) {
        List<StatusPost> posts = h.api.statuses(DeploymentId.of(id));
        return posts.get(posts.size() - 1).update().description();
    }

    @Test
    void aLockedEnvironmentHoldsAnAutoDeployAndReleasesItOnUnlock() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            assertThat(h.robot.lock(Values.REPO, PROD, ALICE, "incident 4711", Optional.empty(), false).ok()).isTrue();
            h.deploy(auto(h, 1, "ok"));
            h.awaitStates(1, QUEUED, QUEUED);
            assertThat(lastDescription(h, 1)).startsWith("held: locked by alice since 2026-11-27 10:00 UTC: incident 4711");
            assertThat(h.runner.started()).isEmpty();
            assertThat(h.robot.held(DeploymentId.of(1))).isTrue();
            assertThat(h.notifier.kinds()).contains(NotificationKind.LOCKED, NotificationKind.HELD);

            assertThat(h.robot.unlock(Values.REPO, PROD, ALICE, false).ok()).isTrue();
            h.awaitStates(1, QUEUED, QUEUED, IN_PROGRESS, SUCCESS);
            assertThat(h.notifier.notices()).filteredOn(n -> n.kind() == NotificationKind.UNLOCKED).singleElement()
                    .satisfies(n -> assertThat(n.actor()).contains("alice"));
        }
    }

    @Test
    void anAutoDeployQueuedBehindARunningOneInALockedEnvironmentIsHeldWhileItWaits() {
        try (Harness h = Harness.of(Harness.rule().supersede(false).build())) {
            h.deploy(auto(h, 1, "block"));
            h.awaitStates(1, QUEUED, IN_PROGRESS);
            h.robot.lock(Values.REPO, PROD, ALICE, "bad release", Optional.empty(), false);
            h.deploy(auto(h, 2, "ok"));
            // Judged as it is queued, not when its turn comes: its status says why while deployment 1 still runs.
            h.awaitStates(2, QUEUED, QUEUED);
            assertThat(lastDescription(h, 2)).startsWith("held: locked by alice");
            assertThat(h.robot.held(DeploymentId.of(2))).isTrue();
            assertThat(h.runner.started()).containsExactly("1");
            h.runner.release();
            h.awaitStates(1, QUEUED, IN_PROGRESS, SUCCESS);
        }
    }

    @Test
    void aLockTakenWhileADeploymentWaitsHoldsItWhenItsTurnComes() {
        try (Harness h = Harness.of(Harness.rule().supersede(false).build())) {
            h.deploy(auto(h, 1, "block"));
            h.awaitStates(1, QUEUED, IN_PROGRESS);
            h.deploy(auto(h, 2, "ok"));
            h.robot.lock(Values.REPO, PROD, ALICE, "bad release", Optional.empty(), false);
            h.runner.release();
            h.awaitStates(1, QUEUED, IN_PROGRESS, SUCCESS);
            h.awaitStates(2, QUEUED, QUEUED);
            assertThat(lastDescription(h, 2)).contains("locked by alice");
            assertThat(h.runner.started()).containsExactly("1");
        }
    }

    @Test
    void aDeploymentMadeElsewhereIsRefusedWithWhoLockedItAndWhy() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            h.robot.lock(Values.REPO, PROD, ALICE, "incident 4711", Optional.empty(), false);
            h.deploy(h.deployment(1, "ok"));
            h.awaitStates(1, QUEUED, ERROR);
            assertThat(lastDescription(h, 1)).startsWith("not deployed (force: payload autodeploy.force + .reason): locked by alice since 2026-11-27 10:00 UTC: incident 4711");
            assertThat(h.notifier.kinds()).contains(NotificationKind.REFUSED);
            assertThat(h.runner.started()).isEmpty();
        }
    }

    @Test
    void aForcedDeploymentPassesTheLockAndIsRecordedWithWhoAndWhy() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            h.robot.lock(Values.REPO, PROD, ALICE, "incident 4711", Optional.empty(), false);
            h.deploy(given(h, 1, Values.SHA, "ok", "{\"autodeploy\":{\"force\":true,\"reason\":\"the hotfix\"}}"));
            h.awaitStates(1, QUEUED, QUEUED, IN_PROGRESS, SUCCESS);
            assertThat(h.api.statuses(DeploymentId.of(1)).get(1).update().description())
                    .startsWith("forced by octocat past: locked by alice").contains("(reason: the hotfix)");
            assertThat(h.notifier.kinds()).contains(NotificationKind.FORCED);

            h.deploy(given(h, 2, Values.SHA, "ok", "{\"autodeploy\":{\"force\":true}}"));
            h.awaitStates(2, QUEUED, ERROR);
            assertThat(lastDescription(h, 2)).contains("forcing needs autodeploy.reason");
        }
    }

    @Test
    void aPayloadNamingAUserWithoutTheRobotsSealIsNotBelieved() {
        try (Harness h = Harness.of(Harness.rule().supersede(false).build())) {
            h.robot.lock(Values.REPO, PROD, ALICE, "incident 4711", Optional.empty(), false);
            h.deploy(given(h, 1, Values.SHA, "ok",
                    "{\"autodeploy\":{\"by\":\"alice\",\"force\":true,\"rollback_of\":1,\"request\":\"x\"}}"));
            h.awaitStates(1, QUEUED, ERROR);
            assertThat(lastDescription(h, 1)).contains("forcing needs autodeploy.reason");
            h.deploy(given(h, 2, Values.SHA, "ok",
                    "{\"autodeploy\":{\"by\":\"bob\",\"reason\":\"r\",\"request\":\"y\",\"seal\":\"00ff\"}}"));
            h.awaitStates(2, QUEUED, ERROR);
            assertThat(lastDescription(h, 2)).contains("): locked by alice");
            assertThat(h.runner.started()).isEmpty();
        }
    }

    @Test
    void anAutoDeployMarkWithoutTheRobotsSealIsADeploymentMadeElsewhere() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            h.robot.lock(Values.REPO, PROD, ALICE, "incident 4711", Optional.empty(), false);
            h.deploy(given(h, 1, Values.SHA, "ok", "{\"autodeploy\":{\"request\":\"r1\",\"cause\":\"merge\"}}"));
            h.awaitStates(1, QUEUED, ERROR);
            assertThat(lastDescription(h, 1)).startsWith("not deployed (force: payload autodeploy.force + .reason): locked by alice");
            assertThat(h.robot.held(DeploymentId.of(1))).isFalse();
        }
    }

    @Test
    void aDeployWindowHoldsAnAutoDeployUntilItOpens() {
        // 10:00 UTC on a Friday; the window opens every day at 12:00 for an hour.
        DeploySchedule noon = DeploySchedule.of(List.of(DeployWindow.cron("0 12 * * *", Duration.ofHours(1), ZoneOffset.UTC)),
                List.of());
        RobotConfig base = Harness.config(Harness.rule().build(), RawEngine.defaults());
        RobotConfig config = new RobotConfig(base.githubApiUrl(), base.githubToken(), base.webhookSecrets(),
                base.legacySha1Signatures(), base.slackWebhookUrl(), base.publicUrl(),
                base.rules().stream().map(r -> r.withSchedule(noon)).toList(), base.engine(), base.environmentValues(),
                base.store());
        try (Harness h = new Harness(config, b -> { })) {
            h.robot.start();
            h.deploy(given(h, 1, Values.SHA, "ok", "{}"));
            h.awaitStates(1, QUEUED, ERROR);
            assertThat(lastDescription(h, 1)).startsWith("not deployed (force: payload autodeploy.force + .reason): outside the deploy window; opens Fri 12:00 UTC");
            h.deploy(auto(h, 2, "ok"));
            h.awaitStates(2, QUEUED, QUEUED);
            assertThat(lastDescription(h, 2)).startsWith("held: outside the deploy window; opens Fri 12:00 UTC");

            h.time.advance(Duration.ofMinutes(119));
            h.advanceUntil(Duration.ofMillis(100), () -> h.api.states(DeploymentId.of(2)).contains(SUCCESS));
            assertThat(h.time.now()).isAfterOrEqualTo(java.time.Instant.parse("2026-11-27T12:00:00Z"));
            assertThat(h.runner.started()).containsExactly("2");
            h.awaitStates(2, QUEUED, QUEUED, IN_PROGRESS, SUCCESS);
        }
    }

    @Test
    void anotherUsersLockIsRemovedOnlyByStealingItWhichIsAnnounced() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            h.robot.lock(Values.REPO, PROD, ALICE, "incident 4711", Optional.empty(), false);
            ControlResult taken = h.robot.lock(Values.REPO, PROD, BOB, "release", Optional.empty(), false);
            assertThat(taken).isInstanceOf(ControlResult.Refused.class);
            assertThat(((ControlResult.Refused) taken).why()).isEqualTo(ControlResult.Why.CONFLICT);
            assertThat(taken.message()).contains("locked by alice", "steal");
            assertThat(h.robot.unlock(Values.REPO, PROD, BOB, false).ok()).isFalse();
            ControlResult deployerSteals = h.robot.lock(Values.REPO, PROD, BOB, "release", Optional.empty(), true);
            assertThat(((ControlResult.Refused) deployerSteals).why()).isEqualTo(ControlResult.Why.FORBIDDEN);
            assertThat(deployerSteals.message()).isEqualTo("taking over the lock of alice needs the admin role; bob is a deployer");
            assertThat(h.robot.lock(Values.REPO, PROD, ALICE, "incident 4711, now until noon",
                    Optional.of(Duration.ofHours(2)), false).ok()).as("the holder changes their own lock").isTrue();
            assertThat(h.robot.lock(Values.REPO, PROD, ROOT, "release", Optional.empty(), true).ok()).isTrue();
            assertThat(h.store.lockOf(Values.REPO, PROD)).hasValueSatisfying(l -> assertThat(l.holder()).isEqualTo("root"));
            assertThat(h.notifier.notices()).filteredOn(n -> n.kind() == NotificationKind.LOCK_STOLEN).singleElement()
                    .satisfies(n -> {
                        assertThat(n.actor()).contains("root");
                        assertThat(n.description()).contains("took over the lock of alice (incident 4711, now until noon)");
                    });
        }
    }

    @Test
    void actionsCheckTheRoleTheEnvironmentAndTheReason() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            ControlResult viewer = h.robot.lock(Values.REPO, PROD, VIEWER, "x", Optional.empty(), false);
            assertThat(((ControlResult.Refused) viewer).why()).isEqualTo(ControlResult.Why.FORBIDDEN);
            assertThat(viewer.message()).isEqualTo("locking needs the deployer role; vera is a viewer");
            ControlResult unknown = h.robot.lock(Values.REPO, EnvironmentName.of("moon"), ALICE, "x", Optional.empty(), false);
            assertThat(((ControlResult.Refused) unknown).why()).isEqualTo(ControlResult.Why.NOT_FOUND);
            ControlResult blank = h.robot.lock(Values.REPO, PROD, ALICE, " \n", Optional.empty(), false);
            assertThat(((ControlResult.Refused) blank).why()).isEqualTo(ControlResult.Why.INVALID);
            ControlResult tooLong = h.robot.lock(Values.REPO, PROD, ALICE, "x".repeat(501), Optional.empty(), false);
            assertThat(((ControlResult.Refused) tooLong).why()).isEqualTo(ControlResult.Why.INVALID);
            assertThat(tooLong.message()).contains("at most 500 characters; this one has 501");
            assertThat(h.robot.lock(Values.REPO, PROD, ALICE, "evil \u202Egnirts\u202C", Optional.of(Duration.ofMinutes(1)), false)
                    .ok()).isTrue();
            assertThat(h.store.lockOf(Values.REPO, PROD)).hasValueSatisfying(l -> assertThat(l.reason()).isEqualTo("evil  gnirts"));
            h.robot.unlock(Values.REPO, PROD, ALICE, false);
            ControlResult forever = h.robot.lock(Values.REPO, PROD, ALICE, "x", Optional.of(Duration.ofDays(365)), false);
            assertThat(((ControlResult.Refused) forever).why()).isEqualTo(ControlResult.Why.INVALID);
            ControlResult never = h.robot.rollback(Values.REPO, PROD, Values.SHA2, ALICE, "");
            assertThat(((ControlResult.Refused) never).why()).isEqualTo(ControlResult.Why.CONFLICT);
            assertThat(never.message()).contains("never deployed successfully");
            assertThat(h.api.created()).isEmpty();
        }
    }

    @Test
    void aRollbackCreatesADeploymentAtTheRecordedShaThatRunsPastALock() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            h.deploy(given(h, 1, Values.SHA, "ok", "{}"));
            h.awaitStates(1, QUEUED, IN_PROGRESS, SUCCESS);
            h.deploy(given(h, 2, Values.SHA2, "ok", "{}"));
            h.awaitStates(2, QUEUED, IN_PROGRESS, SUCCESS);
            h.robot.lock(Values.REPO, PROD, BOB, "incident", Optional.empty(), false);

            ControlResult noReason = h.robot.rollback(Values.REPO, PROD, Values.SHA, ALICE, "");
            assertThat(((ControlResult.Refused) noReason).why()).isEqualTo(ControlResult.Why.INVALID);
            ControlResult done = h.robot.rollback(Values.REPO, PROD, Values.SHA, ALICE, "bad release");
            assertThat(done.ok()).isTrue();
            NewDeployment created = h.api.created().get(0);
            assertThat(created.sha()).isEqualTo(Values.SHA);
            assertThat(created.environment()).isEqualTo(PROD);
            assertThat(created.requiredContexts()).isEqualTo(RequiredContexts.none());
            @SuppressWarnings("unchecked")
            Map<String, Object> ours = (Map<String, Object>) created.payload().get("autodeploy");
            assertThat(ours).containsEntry("by", "alice").containsEntry("rollback", true).containsEntry("force", true)
                    .containsEntry("rollback_of", 1L).containsEntry("reason", "bad release");
            assertThat(h.notifier.notices()).filteredOn(n -> n.kind() == NotificationKind.ROLLBACK).singleElement()
                    .satisfies(n -> assertThat(n.actor()).contains("alice"));

            DeploymentId id = ((ControlResult.Done) done).deployment().orElseThrow();
            Deployment rollback = h.api.deployment(id).orElseThrow();
            h.deploy(new Deployment(rollback.repository(), rollback.id(), rollback.sha(), rollback.ref(), PROD, "ok",
                    rollback.requester(), rollback.payloadJson(), rollback.description()));
            h.awaitStates(id.value(), QUEUED, QUEUED, IN_PROGRESS, SUCCESS);
            assertThat(h.api.statuses(id).get(1).update().description()).startsWith("forced by alice past: locked by bob");
        }
    }

    @Test
    void aDeploymentThatNeverRanIsRedeployedOnlyToACommitThatSucceededThere() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            h.robot.lock(Values.REPO, PROD, ALICE, "incident", Optional.empty(), false);
            h.deploy(given(h, 1, Values.SHA2, "ok", "{}"));
            h.awaitStates(1, QUEUED, ERROR);
            ControlResult refused = h.robot.redeploy(DeploymentId.of(1), ALICE, "retry");
            assertThat(((ControlResult.Refused) refused).why()).isEqualTo(ControlResult.Why.CONFLICT);
            assertThat(refused.message()).contains("never ran", "never deployed successfully");
            assertThat(h.api.created()).isEmpty();
        }
    }

    @Test
    void abortAndRollBackCancelsTheRunAndDeploysTheLastSuccessfulSha() {
        RobotConfig base = Harness.config(Harness.rule().build(), RawEngine.defaults());
        RobotConfig config = new RobotConfig(base.githubApiUrl(), base.githubToken(), base.webhookSecrets(),
                base.legacySha1Signatures(), base.slackWebhookUrl(), base.publicUrl(),
                base.rules().stream().map(r -> r.withRollback(RequiredContexts.none(), true)).toList(), base.engine(),
                base.environmentValues(), base.store());
        try (Harness h = new Harness(config, b -> { })) {
            h.deploy(given(h, 1, Values.SHA, "ok", "{}"));
            h.awaitStates(1, QUEUED, IN_PROGRESS, SUCCESS);
            h.deploy(given(h, 2, Values.SHA2, "block", "{}"));
            h.awaitStates(2, QUEUED, IN_PROGRESS);

            ControlResult done = h.robot.abortAndRollBack(DeploymentId.of(2), ALICE, "it broke");
            assertThat(done.ok()).as(done.message()).isTrue();
            await().untilAsserted(() -> assertThat(h.api.states(DeploymentId.of(2))).hasSize(3).last().isNotEqualTo(SUCCESS));
            assertThat(h.api.created()).singleElement().satisfies(c -> {
                assertThat(c.sha()).isEqualTo(Values.SHA);
                @SuppressWarnings("unchecked") Map<String, Object> ours = (Map<String, Object>) c.payload().get("autodeploy");
                assertThat(ours).containsEntry("aborted", 2L);
            });
            assertThat(h.store.lockOf(Values.REPO, PROD)).hasValueSatisfying(l -> {
                assertThat(l.holder()).isEqualTo("alice");
                assertThat(l.reason()).isEqualTo("rolled back to a10867b: it broke");
            });
        }
    }
}
