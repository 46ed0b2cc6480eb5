package io.github.autodeploy.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.config.RawProtection;
import io.github.autodeploy.core.config.RawRule;
import io.github.autodeploy.core.config.RawWindow;
import io.github.autodeploy.core.config.RawEngine;
import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.control.Role;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.ContextReport;
import io.github.autodeploy.core.model.ContextState;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.port.ProtectionRuleApi.Decision;
import io.github.autodeploy.core.port.ProtectionRuleResult;
import io.github.autodeploy.core.port.ProtectionRuleTarget;
import io.github.autodeploy.core.store.GatedRun;
import io.github.autodeploy.testkit.RecordingProtectionRules;
import io.github.autodeploy.testkit.Values;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The robot as a custom deployment protection rule: each condition (lock, window, CI pending then
 * green, CI red, approvals, self-approval, deadline) leads to exactly one decision with the right
 * comment, and status reports say what it waits for.
 */
class ProtectionGateTest {
    private static final Actor ALICE = new Actor("alice", Role.DEPLOYER);
    private static final Actor BOB = new Actor("bob", Role.DEPLOYER);
    private static final Actor VERA = new Actor("vera", Role.VIEWER);
    private static final Actor OCTOCAT = new Actor("octocat", Role.DEPLOYER);
    private static final AtomicInteger DELIVERIES = new AtomicInteger();
    private final RecordingProtectionRules github = new RecordingProtectionRules();
    private Harness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    private Harness gate(RawRule.Builder rule) {
        h = new Harness(Harness.config(rule.build(), RawEngine.defaults()), b -> b.protectionRules(github));
        h.robot.start();
        return h;
    }

    private static RawRule.Builder protectedRule(List<String> contexts) {
        return Harness.rule().requiredContexts(contexts).protection(RawProtection.on());
    }

    private static RawRule.Builder withApprovals(int required, boolean self) {
        return Harness.rule().requiredContexts(List.of()).protection(new RawProtection(Optional.of(true), Optional.of(required),
                Optional.empty(), Optional.of(self), Optional.of("10m")));
    }

    private static WebhookEvent.ProtectionRuleRequested request(long runId) {
        return request(runId, EnvironmentName.PRODUCTION, OptionalLong.of(77));
    }

    private static WebhookEvent.ProtectionRuleRequested request(long runId, EnvironmentName env, OptionalLong installation) {
        return new WebhookEvent.ProtectionRuleRequested(Values.REPO, env, "push",
                "https://api.github.com/repos/octo/app/actions/runs/" + runId + "/deployment_protection_rule", runId,
                DeploymentId.of(9000 + runId), Values.SHA, GitRef.of("main"), Values.OCTOCAT, List.of(), Values.OCTOCAT,
                installation);
    }

    private static ProtectionRuleTarget target(long runId) {
        return new ProtectionRuleTarget(Values.REPO, runId, EnvironmentName.PRODUCTION, OptionalLong.of(77));
    }

    private static String key(long runId) {
        return GatedRun.key(target(runId));
    }

    private Receipt send(WebhookEvent.ProtectionRuleRequested e) {
        return h.robot.handle(DeliveryId.of("gate-" + DELIVERIES.incrementAndGet()), e);
    }

    private void ci(ContextState state) {
        h.checks.report(Values.REPO, Values.SHA, new ContextReport("ci/build", state, Instant.parse("2026-11-27T10:00:00Z")
                .plusSeconds(DELIVERIES.incrementAndGet()), ContextReport.Source.COMMIT_STATUS));
    }

    /** Time passes a second at a time until the run has a review; then a while longer, so a second one would show. */
    private List<RecordingProtectionRules.Received> awaitDecision(long runId) {
        h.advanceUntil(Duration.ofSeconds(1), () -> !github.reviews(target(runId)).isEmpty());
        h.advanceUntil(Duration.ofSeconds(1), () -> h.robot.gatedRun(key(runId)).orElseThrow().delivery() != GatedRun.Delivery.PENDING);
        for (int i = 0; i < 5; i++) {
            h.time.advance(Duration.ofMinutes(1));
        }
        return github.reviews(target(runId));
    }

    private List<String> reports(long runId) {
        return github.reports(target(runId)).stream().map(RecordingProtectionRules.Received::comment).toList();
    }

    @Test
    void anEnvironmentNotGatedHereIsIgnoredAndNeverApproved() {
        gate(Harness.rule());
        Receipt r = send(request(1));
        assertThat(r.kind()).isEqualTo(Receipt.Kind.IGNORED);
        assertThat(r.reason()).contains("not configured for protection rules");
        h.time.advance(Duration.ofSeconds(5));
        assertThat(github.received()).isEmpty();
        assertThat(h.robot.gatedRuns(10)).isEmpty();
    }

    @Test
    void aRequestNamingNoInstallationIsIgnoredAndNeverApproved() {
        gate(protectedRule(List.of()));
        Receipt r = send(request(1, EnvironmentName.PRODUCTION, OptionalLong.empty()));
        assertThat(r.kind()).isEqualTo(Receipt.Kind.IGNORED);
        assertThat(r.reason()).contains("no GitHub App installation");
        h.time.advance(Duration.ofSeconds(5));
        assertThat(github.received()).isEmpty();
    }

    @Test
    void withoutAGitHubAppARequestIsIgnoredAndNothingIsStored() {
        h = new Harness(Harness.config(protectedRule(List.of()).build(), RawEngine.defaults()), b -> { });
        h.robot.start();
        Receipt r = send(request(1));
        assertThat(r.kind()).isEqualTo(Receipt.Kind.IGNORED);
        assertThat(r.reason()).isEqualTo("no GitHub App is configured to answer protection rules; not approved");
        assertThat(h.robot.gatedRuns(10)).isEmpty();
    }

    @Test
    void anOpenEnvironmentWithoutContextsIsApprovedOnceAndARedeliveryChangesNothing() {
        gate(protectedRule(List.of()));
        assertThat(send(request(1)).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
        assertThat(send(request(1)).kind()).isEqualTo(Receipt.Kind.DUPLICATE);
        List<RecordingProtectionRules.Received> reviews = awaitDecision(1);
        assertThat(reviews).hasSize(1);
        assertThat(reviews.get(0).decision()).contains(Decision.APPROVED);
        assertThat(reviews.get(0).comment()).isEqualTo("Autodeploy: no CI contexts required");
        GatedRun run = h.robot.gatedRun(key(1)).orElseThrow();
        assertThat(run.state()).isEqualTo(GatedRun.State.APPROVED);
        assertThat(run.delivery()).isEqualTo(GatedRun.Delivery.SENT);
    }

    @Test
    void aLockedEnvironmentWaitsSayingWhoLockedItAndIsApprovedOnUnlock() {
        gate(protectedRule(List.of()));
        assertThat(h.robot.lock(Values.REPO, EnvironmentName.PRODUCTION, ALICE, "incident 4711", Optional.empty(), false).ok())
                .isTrue();
        send(request(1));
        h.advanceUntil(Duration.ofSeconds(1), () -> !reports(1).isEmpty());
        assertThat(reports(1)).containsExactly("**Autodeploy** waits: locked by alice since 2026-11-27 10:00 UTC: incident 4711");
        h.time.advance(Duration.ofMinutes(5));
        assertThat(github.reviews(target(1))).isEmpty();
        assertThat(reports(1)).hasSize(1);
        assertThat(h.robot.unlock(Values.REPO, EnvironmentName.PRODUCTION, ALICE, false).ok()).isTrue();
        List<RecordingProtectionRules.Received> reviews = awaitDecision(1);
        assertThat(reviews).singleElement().satisfies(r -> assertThat(r.decision()).contains(Decision.APPROVED));
    }

    @Test
    void aSecretInALocksReasonNeverReachesGitHub() {
        gate(protectedRule(List.of()));
        h.robot.lock(Values.REPO, EnvironmentName.PRODUCTION, ALICE, "rotating " + Harness.TOKEN, Optional.empty(), false);
        send(request(1));
        h.advanceUntil(Duration.ofSeconds(1), () -> !reports(1).isEmpty());
        assertThat(reports(1)).singleElement().satisfies(r -> assertThat(r).doesNotContain(Harness.TOKEN).contains("rotating"));
    }

    @Test
    void outsideTheDeployWindowItWaitsAndIsApprovedWhenTheWindowOpens() {
        // The harness starts on Friday 2026-11-27 10:00 UTC; the window opens on Mondays at 09:00 UTC.
        gate(protectedRule(List.of()).windows(List.of(RawWindow.weekly("mon", "09:00", "8h", "UTC"))));
        send(request(1));
        h.advanceUntil(Duration.ofSeconds(1), () -> !reports(1).isEmpty());
        assertThat(reports(1).get(0)).startsWith("**Autodeploy** waits: outside the deploy window; opens Mon");
        h.time.advance(Duration.ofHours(1));
        assertThat(github.reviews(target(1))).isEmpty();
        h.advanceUntil(Duration.ofMinutes(10), () -> !github.reviews(target(1)).isEmpty());
        assertThat(h.time.now()).isAfterOrEqualTo(Instant.parse("2026-11-30T09:00:00Z"));
        assertThat(awaitDecision(1)).singleElement().satisfies(r -> assertThat(r.decision()).contains(Decision.APPROVED));
    }

    @Test
    void ciPendingThenGreenReportsTheWaitThenApprovesOnce() {
        gate(protectedRule(List.of("ci/build")));
        ci(ContextState.PENDING);
        send(request(1));
        h.advanceUntil(Duration.ofSeconds(1), () -> !reports(1).isEmpty());
        assertThat(reports(1)).containsExactly("**Autodeploy** waits: waiting for ci/build");
        ci(ContextState.SUCCESS);
        h.robot.handle(DeliveryId.of("status-" + DELIVERIES.incrementAndGet()), new WebhookEvent.CommitStatus(Values.REPO,
                Values.SHA, "ci/build", ContextState.SUCCESS, h.time.now()));
        List<RecordingProtectionRules.Received> reviews = awaitDecision(1);
        assertThat(reviews).singleElement().satisfies(r -> {
            assertThat(r.decision()).contains(Decision.APPROVED);
            assertThat(r.comment()).isEqualTo("Autodeploy: CI passed on a10867b");
        });
        assertThat(reports(1)).hasSize(1);
    }

    @Test
    void withEveryContextRequiredACommitNothingReportedOnWaitsAndIsNeverApprovedForWantOfContexts() {
        gate(Harness.rule().requiredContexts(null).protection(RawProtection.on()).ciTimeout("10m"));
        send(request(1));
        h.advanceUntil(Duration.ofSeconds(1), () -> !reports(1).isEmpty());
        assertThat(reports(1)).containsExactly("**Autodeploy** waits: waiting for CI: nothing has reported on a10867b yet");
        assertThat(awaitDecision(1)).singleElement().satisfies(r -> {
            assertThat(r.decision()).contains(Decision.REJECTED);
            assertThat(r.comment()).isEqualTo("gave up after 10 min waiting: waiting for CI: nothing has reported on a10867b yet");
        });
    }

    @Test
    void ciRedRejectsOnceAndTellsTheTeam() {
        gate(protectedRule(List.of("ci/build")));
        ci(ContextState.FAILURE);
        send(request(1));
        List<RecordingProtectionRules.Received> reviews = awaitDecision(1);
        assertThat(reviews).singleElement().satisfies(r -> {
            assertThat(r.decision()).contains(Decision.REJECTED);
            assertThat(r.comment()).isEqualTo("CI failed on a10867b: ci/build (failure)");
        });
        assertThat(h.notifier.notices()).filteredOn(n -> n.kind() == NotificationKind.GATE_REJECTED).singleElement()
                .satisfies(n -> assertThat(n.description()).isEqualTo("CI failed on a10867b: ci/build (failure)"));
    }

    @Test
    void decisionsAreMeasuredWithHowLongTheRunWaitedAndWhoDecided() {
        io.github.autodeploy.testkit.RecordingMetrics metrics = new io.github.autodeploy.testkit.RecordingMetrics();
        h = new Harness(Harness.config(withApprovals(1, false).build(), RawEngine.defaults()),
                b -> b.protectionRules(github).metrics(metrics));
        h.robot.start();
        send(request(1));
        send(request(2));
        h.time.advance(Duration.ofMinutes(3));
        assertThat(h.robot.approveGated(key(1), ALICE).ok()).isTrue();
        assertThat(h.robot.rejectGated(key(2), ALICE, "not today").ok()).isTrue();
        awaitDecision(1);
        assertThat(metrics.timings()).containsEntry("gated octo/app production approved robot", List.of(Duration.ofMinutes(3)))
                .containsEntry("gated octo/app production rejected user", List.of(Duration.ofMinutes(3)));
    }

    @Test
    void theDeadlineRejectsARunStillWaitingForCi() {
        gate(protectedRule(List.of("ci/build")).ciTimeout("20m"));
        ci(ContextState.PENDING);
        send(request(1));
        h.advanceUntil(Duration.ofMinutes(1), () -> !github.reviews(target(1)).isEmpty());
        List<RecordingProtectionRules.Received> reviews = awaitDecision(1);
        assertThat(reviews).singleElement().satisfies(r -> {
            assertThat(r.decision()).contains(Decision.REJECTED);
            assertThat(r.comment()).isEqualTo("gave up after 20 min waiting: waiting for ci/build");
        });
    }

    @Test
    void approvalsAreCountedAndTheRunIsApprovedWithTheLastOne() {
        gate(withApprovals(2, false));
        send(request(1));
        h.advanceUntil(Duration.ofSeconds(1), () -> !reports(1).isEmpty());
        assertThat(reports(1)).containsExactly("**Autodeploy** waits: 0 of 2 approvals");
        assertThat(h.robot.approveGated(key(1), ALICE).ok()).isTrue();
        assertThat(h.robot.approveGated(key(1), ALICE)).isInstanceOf(ControlResult.Refused.class)
                .satisfies(r -> assertThat(((ControlResult.Refused) r).why()).isEqualTo(ControlResult.Why.CONFLICT));
        h.advanceUntil(Duration.ofSeconds(1), () -> reports(1).size() == 2);
        assertThat(reports(1)).endsWith("**Autodeploy** waits: 1 of 2 approvals");
        assertThat(github.reviews(target(1))).isEmpty();
        assertThat(h.robot.approveGated(key(1), BOB).ok()).isTrue();
        assertThat(awaitDecision(1)).singleElement().satisfies(r -> {
            assertThat(r.decision()).contains(Decision.APPROVED);
            assertThat(r.comment()).isEqualTo("Autodeploy: no CI contexts required; approved by alice, bob");
        });
        assertThat(h.robot.approveGated(key(1), new Actor("carol", Role.ADMIN))).isInstanceOf(ControlResult.Refused.class);
    }

    @Test
    void anApprovalCountsOnlyWhileItsUserMayStillApprove() {
        java.util.Map<String, Role> users = new java.util.concurrent.ConcurrentHashMap<>(Map.of("alice", Role.DEPLOYER, "bob",
                Role.DEPLOYER, "carol", Role.ADMIN));
        h = new Harness(Harness.config(withApprovals(2, false).build(), RawEngine.defaults()),
                b -> b.protectionRules(github).approvers(name -> Optional.ofNullable(users.get(name))));
        h.robot.start();
        send(request(1));
        assertThat(h.robot.approveGated(key(1), ALICE).ok()).isTrue();
        users.put("alice", Role.VIEWER); // demoted after she approved
        ControlResult bob = h.robot.approveGated(key(1), BOB);
        assertThat(bob.message()).isEqualTo("bob approved run 1 (1 of 2)");
        h.advanceUntil(Duration.ofSeconds(1), () -> h.robot.gatedRun(key(1)).orElseThrow().reason().equals("1 of 2 approvals"));
        h.time.advance(Duration.ofMinutes(1));
        assertThat(github.reviews(target(1))).isEmpty();
        users.remove("bob"); // removed from the users
        assertThat(h.robot.approveGated(key(1), new Actor("carol", Role.ADMIN)).message()).isEqualTo("carol approved run 1 (1 of 2)");
        users.put("alice", Role.DEPLOYER);
        assertThat(awaitDecision(1)).singleElement().satisfies(r ->
                assertThat(r.comment()).isEqualTo("Autodeploy: no CI contexts required; approved by alice, carol"));
    }

    @Test
    void theRunsOwnCreatorMayNotApproveItAndAViewerMayNotDecide() {
        gate(withApprovals(1, false));
        send(request(1));
        ControlResult self = h.robot.approveGated(key(1), OCTOCAT);
        assertThat(self).isInstanceOf(ControlResult.Refused.class);
        assertThat(((ControlResult.Refused) self).why()).isEqualTo(ControlResult.Why.FORBIDDEN);
        assertThat(self.message()).isEqualTo("octocat started run 1 and may not approve it (self_approval: false)");
        ControlResult viewer = h.robot.approveGated(key(1), VERA);
        assertThat(((ControlResult.Refused) viewer).why()).isEqualTo(ControlResult.Why.FORBIDDEN);
        assertThat(viewer.message()).contains("needs the deployer role; vera is a viewer");
        assertThat(((ControlResult.Refused) h.robot.approveGated("octo/app#404@production", ALICE)).why())
                .isEqualTo(ControlResult.Why.NOT_FOUND);
        h.time.advance(Duration.ofMinutes(5));
        assertThat(github.reviews(target(1))).isEmpty();
        assertThat(h.robot.gatedRun(key(1)).orElseThrow().approvals()).isEmpty();
    }

    @Test
    void selfApprovalCountsWhereTheRuleAllowsIt() {
        gate(withApprovals(1, true));
        send(request(1));
        assertThat(h.robot.approveGated(key(1), OCTOCAT).ok()).isTrue();
        assertThat(awaitDecision(1)).singleElement().satisfies(r -> assertThat(r.decision()).contains(Decision.APPROVED));
    }

    @Test
    void aUserRejectsByHandWithAReasonOnceAndTheTeamIsTold() {
        gate(withApprovals(1, false));
        send(request(1));
        assertThat(((ControlResult.Refused) h.robot.rejectGated(key(1), ALICE, " ")).why()).isEqualTo(ControlResult.Why.INVALID);
        assertThat(h.robot.rejectGated(key(1), ALICE, "wrong commit").ok()).isTrue();
        assertThat(((ControlResult.Refused) h.robot.rejectGated(key(1), BOB, "again")).why()).isEqualTo(ControlResult.Why.CONFLICT);
        assertThat(((ControlResult.Refused) h.robot.approveGated(key(1), BOB)).why()).isEqualTo(ControlResult.Why.CONFLICT);
        assertThat(awaitDecision(1)).singleElement().satisfies(r -> {
            assertThat(r.decision()).contains(Decision.REJECTED);
            assertThat(r.comment()).isEqualTo("Rejected by alice: wrong commit");
        });
        assertThat(h.notifier.notices()).filteredOn(n -> n.kind() == NotificationKind.GATE_REJECTED).singleElement()
                .satisfies(n -> assertThat(n.actor()).contains("alice"));
    }

    @Test
    void aLongWaitIsAnnouncedOnce() {
        gate(withApprovals(1, false));
        send(request(1));
        h.advanceUntil(Duration.ofMinutes(1), () -> h.notifier.notices().stream().anyMatch(n -> n.kind() == NotificationKind.GATE_WAITING));
        h.time.advance(Duration.ofMinutes(5));
        h.time.advance(Duration.ofMinutes(5));
        assertThat(h.notifier.notices()).filteredOn(n -> n.kind() == NotificationKind.GATE_WAITING).singleElement()
                .satisfies(n -> assertThat(n.description()).startsWith("Actions run 1 has waited 10 min: 0 of 1 approvals"));
    }

    @Test
    void reportsStopAtTenWhileTheReasonKeepsChanging() {
        gate(withApprovals(1, false));
        send(request(1));
        for (int i = 0; i < 14; i++) {
            h.robot.lock(Values.REPO, EnvironmentName.PRODUCTION, ALICE, "incident " + i, Optional.empty(), false);
            String locked = "incident " + i;
            h.advanceUntil(Duration.ofSeconds(1), () -> h.robot.gatedRun(key(1)).orElseThrow().reason().endsWith(locked));
            h.robot.unlock(Values.REPO, EnvironmentName.PRODUCTION, ALICE, false);
            h.advanceUntil(Duration.ofSeconds(1), () -> h.robot.gatedRun(key(1)).orElseThrow().reason().equals("0 of 1 approvals"));
        }
        assertThat(reports(1)).hasSize(GatedRun.MAX_REPORTS);
        assertThat(h.robot.gatedRun(key(1)).orElseThrow().reportsSent()).isEqualTo(GatedRun.MAX_REPORTS);
        assertThat(github.reviews(target(1))).isEmpty();
    }

    /** Lets {@code minutes} minutes pass a minute at a time, giving the robot's threads time to act on each. */
    private void passMinutes(int minutes) {
        AtomicInteger steps = new AtomicInteger();
        h.advanceUntil(Duration.ofMinutes(1), () -> steps.incrementAndGet() >= minutes);
    }

    @Test
    void aLostAnswerIsSentAgainUntilGitHubHasItAndNeverWithAnotherDecision() {
        gate(protectedRule(List.of()));
        github.answerNext(new ProtectionRuleResult.OutcomeUnknown("connection reset"));
        send(request(1));
        h.advanceUntil(Duration.ofSeconds(1), () -> h.robot.gatedRun(key(1)).orElseThrow().delivery() == GatedRun.Delivery.UNKNOWN);
        assertThat(github.reviews(target(1))).hasSize(1);
        // Two minutes on, the same approval goes again and GitHub takes it; then nothing more is sent.
        h.advanceUntil(Duration.ofSeconds(10), () -> h.robot.gatedRun(key(1)).orElseThrow().delivery() == GatedRun.Delivery.SENT);
        passMinutes(10);
        assertThat(github.reviews(target(1))).hasSize(2).allSatisfy(r -> {
            assertThat(r.decision()).contains(Decision.APPROVED);
            assertThat(r.comment()).isEqualTo("Autodeploy: no CI contexts required");
        });
    }

    @Test
    void aSecondReviewGitHubRefusesEndsTheTries() {
        gate(protectedRule(List.of()));
        github.answerNext(new ProtectionRuleResult.OutcomeUnknown("connection reset"));
        github.answerNext(new ProtectionRuleResult.Refused(422, "No pending deployment requests to approve or reject"));
        send(request(1));
        h.advanceUntil(Duration.ofSeconds(10), () -> h.robot.gatedRun(key(1)).orElseThrow().delivery() == GatedRun.Delivery.REFUSED);
        int calls = github.calls();
        passMinutes(10);
        assertThat(github.calls()).isEqualTo(calls);
    }

    @Test
    void aLostAnswerIsNotSentAgainPastAnHour() {
        gate(protectedRule(List.of()));
        for (int i = 0; i < 60; i++) {
            github.answerNext(new ProtectionRuleResult.OutcomeUnknown("timeout"));
        }
        send(request(1));
        h.advanceUntil(Duration.ofSeconds(1), () -> !github.reviews(target(1)).isEmpty());
        passMinutes(70);
        int sent = github.reviews(target(1)).size();
        assertThat(sent).as("one send and a resend every 2 minutes for an hour").isBetween(15, 32);
        passMinutes(30);
        assertThat(github.reviews(target(1))).hasSize(sent);
        assertThat(h.robot.gatedRun(key(1)).orElseThrow().delivery()).isEqualTo(GatedRun.Delivery.UNKNOWN);
    }

    @Test
    void aReRunOfADecidedRunIsGatedAnewAndARedeliveryIsNot() {
        gate(withApprovals(1, false));
        send(request(1));
        assertThat(h.robot.rejectGated(key(1), ALICE, "not now").ok()).isTrue();
        awaitDecision(1);
        WebhookEvent.ProtectionRuleRequested first = request(1);
        WebhookEvent.ProtectionRuleRequested rerun = new WebhookEvent.ProtectionRuleRequested(first.repo(), first.environment(),
                first.trigger(), first.callbackUrl(), first.runId(), DeploymentId.of(9999), first.sha(), first.ref(),
                first.creator(), first.pullRequests(), first.sender(), first.installationId());
        assertThat(send(first).kind()).isEqualTo(Receipt.Kind.DUPLICATE);
        assertThat(send(rerun).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
        assertThat(send(rerun).kind()).isEqualTo(Receipt.Kind.DUPLICATE);
        GatedRun again = h.robot.gatedRun(key(1)).orElseThrow();
        assertThat(again.waiting()).isTrue();
        assertThat(again.deploymentId()).isEqualTo(DeploymentId.of(9999));
        assertThat(h.robot.approveGated(key(1), BOB).ok()).isTrue();
        h.advanceUntil(Duration.ofSeconds(1), () -> github.reviews(target(1)).size() == 2);
        assertThat(github.reviews(target(1)).get(1).decision()).contains(Decision.APPROVED);
    }

    @Test
    void aRejectionsReasonLosesControlCharactersAndALongOneIsRefused() {
        gate(withApprovals(1, false));
        send(request(1));
        assertThat(((ControlResult.Refused) h.robot.rejectGated(key(1), ALICE, "x".repeat(501))).why())
                .isEqualTo(ControlResult.Why.INVALID);
        assertThat(h.robot.rejectGated(key(1), ALICE, "bad\n\u0000\u001b[31mfake line\u202e").ok()).isTrue();
        assertThat(awaitDecision(1)).singleElement().satisfies(r ->
                assertThat(r.comment()).isEqualTo("Rejected by alice: bad   [31mfake line"));
    }

    @Test
    void twoRobotsOnOneStoreDecideARunOnce() {
        gate(withApprovals(1, false));
        Harness second = new Harness(h.config, b -> b.protectionRules(github).store(h.store).timeSource(h.time));
        try {
            second.robot.start();
            send(request(1));
            assertThat(second.robot.approveGated(key(1), ALICE).ok()).isTrue();
            assertThat(awaitDecision(1)).hasSize(1);
            assertThat(h.robot.gatedRun(key(1)).orElseThrow().state()).isEqualTo(GatedRun.State.APPROVED);
        } finally {
            second.close();
        }
    }

    @Test
    void everyGatedRunIsListedWithWhatItWaitsFor() {
        gate(withApprovals(1, false));
        send(request(1));
        send(request(2));
        await().untilAsserted(() -> assertThat(h.robot.gatedRuns(10)).extracting(GatedRun::key)
                .containsExactlyInAnyOrder(key(1), key(2)));
        h.advanceUntil(Duration.ofSeconds(1), () -> h.robot.gatedRuns(10).stream().allMatch(r -> r.reason().equals("0 of 1 approvals")));
        assertThat(h.robot.gatedRuns(10)).allSatisfy(r -> {
            assertThat(r.creator()).isEqualTo("octocat");
            assertThat(r.waiting()).isTrue();
        });
    }
}
