package io.github.autodeploy.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.config.RawEngine;
import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.config.RawRepo;
import io.github.autodeploy.core.config.RawRule;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.ContextReport;
import io.github.autodeploy.core.model.ContextState;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.Requester;
import io.github.autodeploy.core.port.CreateResult;
import io.github.autodeploy.core.port.NewDeployment;
import io.github.autodeploy.testkit.Values;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AutoDeployTest {
    private static final List<String> ALL_NOTICES = List.of("waiting_for_ci", "blocked_by_ci", "gave_up_waiting",
            "superseded", "errored");

    private static RawRule.Builder rule() {
        return Harness.rule().requiredContexts(List.of("ci/build")).ciPollInterval("50ms").ciTimeout("10m")
                .notifyOn(ALL_NOTICES);
    }

    private static WebhookEvent.PullRequestClosed merged(CommitSha mergeSha, String base) {
        return new WebhookEvent.PullRequestClosed(Values.REPO, 7, true, GitRef.of(base), "main", Values.SHA2,
                Optional.of(mergeSha), Optional.of(Requester.of("hubot")), Values.OCTOCAT, Optional.of(Values.REPO), "Fix");
    }

    private void ci(Harness h, CommitSha sha, ContextState state, int second) {
        h.checks.report(Values.REPO, sha, new ContextReport("ci/build", state,
                Instant.parse("2026-11-27T10:00:00Z").plusSeconds(second), ContextReport.Source.COMMIT_STATUS));
    }

    private WebhookEvent.CommitStatus statusEvent(CommitSha sha) {
        return new WebhookEvent.CommitStatus(Values.REPO, sha, "ci/build", ContextState.SUCCESS, Instant.EPOCH);
    }

    @Test
    void copiesOfOneMergeDeliveredAtOnceCreateOneDeploymentAndTheRestAreDuplicates() throws Exception {
        try (Harness h = Harness.of(rule().build())) {
            ci(h, Values.SHA, ContextState.SUCCESS, 0);
            DeliveryId delivery = DeliveryId.of("merge-sent-twice-at-once");
            int copies = 16;
            java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(copies);
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(copies);
            try {
                List<java.util.concurrent.Future<Receipt>> answers = new java.util.ArrayList<>();
                for (int i = 0; i < copies; i++) {
                    answers.add(senders.submit(() -> {
                        together.await();
                        return h.robot.handle(delivery, merged(Values.SHA, "main"));
                    }));
                }
                List<Receipt.Kind> kinds = new java.util.ArrayList<>();
                for (java.util.concurrent.Future<Receipt> a : answers) {
                    kinds.add(a.get(30, java.util.concurrent.TimeUnit.SECONDS).kind());
                }
                assertThat(kinds).containsOnlyOnce(Receipt.Kind.ACCEPTED)
                        .filteredOn(k -> k != Receipt.Kind.ACCEPTED).containsOnly(Receipt.Kind.DUPLICATE);
            } finally {
                senders.shutdownNow();
            }
            await().until(() -> h.api.created().size() == 1);
            h.advanceUntil(Duration.ofMillis(50), () -> h.time.now().isAfter(java.time.Instant.parse("2026-11-27T10:00:01Z")));
            assertThat(h.api.created()).hasSize(1);
        }
    }

    @Test
    void greenMergeCreatesADeploymentAtTheMergeCommit() {
        try (Harness h = Harness.of(rule().build())) {
            ci(h, Values.SHA, ContextState.SUCCESS, 0);
            Receipt r = h.send(merged(Values.SHA, "main"));
            assertThat(r).isEqualTo(new Receipt(Receipt.Kind.ACCEPTED, "deploying a10867b to production once CI allows"));
            await().until(() -> h.api.created().size() == 1);
            NewDeployment created = h.api.created().get(0);
            assertThat(created.sha()).isEqualTo(Values.SHA);
            assertThat(created.environment()).isEqualTo(EnvironmentName.PRODUCTION);
            assertThat(created.requiredContexts().names()).contains(List.of("ci/build"));
            assertThat(created.requester()).isEqualTo(Requester.of("hubot"));
            @SuppressWarnings("unchecked")
            Map<String, Object> ours = (Map<String, Object>) created.payload().get("autodeploy");
            assertThat(created.payload()).containsOnlyKeys("autodeploy");
            assertThat(ours).containsEntry("cause", "merge of pull request #7 by hubot").containsEntry("requester", "hubot")
                    .containsEntry("branch", "main").containsOnlyKeys("cause", "requester", "branch", "request", "seal");
            assertThat((String) ours.get("request")).as("a request id that marks this request's creates").isNotBlank();
            String sealed = io.github.autodeploy.testkit.RobotPayloads.autoDeploy("webhook-secret-1", Values.REPO,
                    EnvironmentName.PRODUCTION, Values.SHA, (String) ours.get("request"));
            assertThat(sealed).as("the robot's seal, so GitHub's copy is believed as an auto-deploy")
                    .contains("\"seal\":\"" + ours.get("seal") + "\"");
        }
    }

    @Test
    void aPayloadRequesterIsBelievedOnlyForDeploymentsTheRobotCreated() {
        try (Harness h = Harness.of(rule().build())) {
            ci(h, Values.SHA, ContextState.SUCCESS, 0);
            h.send(merged(Values.SHA, "main"));
            await().until(() -> h.api.created().size() == 1);
            DeploymentId ours = DeploymentId.of(1000);
            Deployment created = h.api.deployment(ours).orElseThrow().requestedBy(Requester.of("autodeploy-bot"));
            h.send(new WebhookEvent.DeploymentCreated(created, Optional.of(Requester.of("hubot"))));
            assertThat(h.robot.find(ours).orElseThrow().deployment().requester()).isEqualTo(Requester.of("hubot"));

            Deployment forged = h.deployment(2000, "ok");
            h.send(new WebhookEvent.DeploymentCreated(forged, Optional.of(Requester.of("the-cto"))));
            assertThat(h.robot.find(DeploymentId.of(2000)).orElseThrow().deployment().requester())
                    .isEqualTo(forged.requester()).isNotEqualTo(Requester.of("the-cto"));
        }
    }

    @Test
    void pendingCiWaitsAndAStatusEventThenDeploys() {
        try (Harness h = Harness.of(rule().build())) {
            ci(h, Values.SHA, ContextState.PENDING, 0);
            h.send(merged(Values.SHA, "main"));
            await().until(() -> h.notifier.kinds().contains(NotificationKind.WAITING_FOR_CI));
            assertThat(h.notifier.notices().get(0).contexts()).containsExactly("ci/build");
            assertThat(h.api.created()).isEmpty();
            ci(h, Values.SHA, ContextState.SUCCESS, 30);
            assertThat(h.send(statusEvent(Values.SHA)).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            h.time.advance(CiWaitingRoom.EVENT_SPACING);
            await().until(() -> h.api.created().size() == 1);
            assertThat(h.api.created().get(0).sha()).isEqualTo(Values.SHA);
        }
    }

    @Test
    void pendingThenFailedCiNotifiesAndDoesNotDeploy() {
        try (Harness h = Harness.of(rule().build())) {
            ci(h, Values.SHA, ContextState.PENDING, 0);
            h.send(merged(Values.SHA, "main"));
            await().until(() -> h.notifier.kinds().contains(NotificationKind.WAITING_FOR_CI));
            ci(h, Values.SHA, ContextState.FAILURE, 30);
            h.send(new WebhookEvent.CheckRunCompleted(Values.REPO, Values.SHA, "ci/build", ContextState.FAILURE, Instant.EPOCH));
            h.time.advance(CiWaitingRoom.EVENT_SPACING);
            await().until(() -> h.notifier.kinds().contains(NotificationKind.BLOCKED_BY_CI));
            assertThat(h.notifier.notices()).filteredOn(n -> n.kind() == NotificationKind.BLOCKED_BY_CI).singleElement()
                    .satisfies(n -> assertThat(n.description()).isEqualTo("not deployed: CI failed: ci/build (failure)"));
            assertThat(h.api.created()).isEmpty();
            assertThat(h.send(statusEvent(Values.SHA)).kind()).isEqualTo(Receipt.Kind.IGNORED);
        }
    }

    @Test
    void givesUpWaitingAtTheDeadline() {
        try (Harness h = Harness.of(rule().build())) {
            ci(h, Values.SHA, ContextState.PENDING, 0);
            h.send(merged(Values.SHA, "main"));
            await().until(() -> h.notifier.kinds().contains(NotificationKind.WAITING_FOR_CI));
            int callsBefore = h.checks.calls();
            h.time.advance(Duration.ofMillis(50));
            await().until(() -> h.checks.calls() > callsBefore);
            h.time.advance(Duration.ofMinutes(11));
            await().until(() -> h.notifier.kinds().contains(NotificationKind.GAVE_UP_WAITING));
            assertThat(h.notifier.notices()).filteredOn(n -> n.kind() == NotificationKind.GAVE_UP_WAITING).singleElement()
                    .satisfies(n -> assertThat(n.description()).isEqualTo("not deployed: gave up waiting for CI after 10 minutes"));
            assertThat(h.api.created()).isEmpty();
        }
    }

    @Test
    void aNewerCommitSupersedesOneWaitingForCi() {
        try (Harness h = Harness.of(rule().build())) {
            ci(h, Values.SHA, ContextState.PENDING, 0);
            ci(h, Values.SHA2, ContextState.PENDING, 0);
            h.send(merged(Values.SHA, "main"));
            await().until(() -> h.notifier.kinds().contains(NotificationKind.WAITING_FOR_CI));
            h.send(merged(Values.SHA2, "main"));
            await().until(() -> h.notifier.kinds().contains(NotificationKind.SUPERSEDED));
            assertThat(h.notifier.notices()).filteredOn(n -> n.kind() == NotificationKind.SUPERSEDED).singleElement()
                    .satisfies(n -> {
                        assertThat(n.sha()).contains(Values.SHA);
                        assertThat(n.description()).isEqualTo("not deployed: superseded by the newer commit b20867b");
                    });
            ci(h, Values.SHA, ContextState.SUCCESS, 30);
            assertThat(h.send(statusEvent(Values.SHA)).kind()).isEqualTo(Receipt.Kind.IGNORED);
            ci(h, Values.SHA2, ContextState.SUCCESS, 30);
            h.send(statusEvent(Values.SHA2));
            h.time.advance(CiWaitingRoom.EVENT_SPACING);
            await().until(() -> h.api.created().size() == 1);
            assertThat(h.api.created()).extracting(NewDeployment::sha).containsExactly(Values.SHA2);
        }
    }

    @Test
    void checksNotPassedFromGitHubGoesBackToWaiting() {
        try (Harness h = Harness.of(rule().build())) {
            ci(h, Values.SHA, ContextState.SUCCESS, 0);
            h.api.answerNextCreate(new CreateResult.ChecksNotPassed(Map.of("ci/build", ContextState.PENDING),
                    "Conflict: Commit status checks failed for main."));
            h.send(merged(Values.SHA, "main"));
            await().until(() -> h.api.created().size() == 1);
            h.time.advance(Duration.ofMillis(50));
            await().until(() -> h.api.created().size() == 2);
            assertThat(h.notifier.kinds()).containsExactly(NotificationKind.WAITING_FOR_CI);
            h.time.advance(Duration.ofMinutes(1));
            assertThat(h.time.waitingTasks()).isZero();
            assertThat(h.api.created()).hasSize(2);
        }
    }

    @Test
    void aCreateWhoseAnswerWasLostIsFoundInsteadOfCreatedAgain() {
        try (Harness h = Harness.of(rule().build())) {
            ci(h, Values.SHA, ContextState.SUCCESS, 0);
            h.api.loseNextCreateAnswers(1);
            h.send(merged(Values.SHA, "main"));
            await().until(() -> h.api.created().size() == 1);
            await().until(() -> h.time.waitingTasks() == 1);
            h.time.advance(Duration.ofMillis(50));
            await().until(() -> h.api.finds() == 1);
            h.time.advance(Duration.ofMinutes(1));
            assertThat(h.time.waitingTasks()).as("settled: nothing more to try").isZero();
            assertThat(h.api.created()).hasSize(1);
            assertThat(h.api.deployments()).hasSize(1);
            assertThat(h.notifier.kinds()).isEmpty();
            Deployment made = h.api.deployments().get(0).requestedBy(Requester.of("autodeploy-bot"));
            h.send(new WebhookEvent.DeploymentCreated(made, Optional.of(Requester.of("hubot"))));
            assertThat(h.robot.find(made.id()).orElseThrow().deployment().requester())
                    .as("the found deployment counts as the robot's own").isEqualTo(Requester.of("hubot"));
        }
    }

    @Test
    void aCreateWhoseAnswerWasLostBeforeItArrivedIsSentAgainOnce() {
        try (Harness h = Harness.of(rule().build())) {
            ci(h, Values.SHA, ContextState.SUCCESS, 0);
            h.api.answerNextCreate(new CreateResult.OutcomeUnknown("connection reset before GitHub read the request"));
            h.send(merged(Values.SHA, "main"));
            await().until(() -> h.api.created().size() == 1);
            await().until(() -> h.time.waitingTasks() == 1);
            h.time.advance(Duration.ofMillis(50));
            await().until(() -> h.api.created().size() == 2);
            assertThat(h.api.finds()).isEqualTo(1);
            assertThat(h.api.created().get(1).payload()).as("the same request, with the same marker")
                    .isEqualTo(h.api.created().get(0).payload());
            h.time.advance(Duration.ofMinutes(1));
            assertThat(h.api.deployments()).hasSize(1);
            assertThat(h.time.waitingTasks()).isZero();
        }
    }

    @Test
    void gitHubRefusingTheDeploymentIsReported() {
        try (Harness h = Harness.of(rule().build())) {
            ci(h, Values.SHA, ContextState.SUCCESS, 0);
            h.api.answerNextCreate(new CreateResult.Rejected("Conflict merging main into feature."));
            h.send(merged(Values.SHA, "main"));
            await().until(() -> h.notifier.kinds().contains(NotificationKind.ERRORED));
            assertThat(h.notifier.notices().get(0).description())
                    .isEqualTo("not deployed: GitHub did not create the deployment: Conflict merging main into feature.");
        }
    }

    @Test
    void pullRequestClosedWithoutMergingOrIntoAnotherBranchIsIgnored() {
        try (Harness h = Harness.of(rule().build())) {
            WebhookEvent.PullRequestClosed closed = new WebhookEvent.PullRequestClosed(Values.REPO, 9, false, GitRef.of("main"),
                    "main", Values.SHA2, Optional.empty(), Optional.empty(), Values.OCTOCAT, Optional.empty(), "Nope");
            assertThat(h.send(closed)).isEqualTo(new Receipt(Receipt.Kind.IGNORED, "pull request #9 was closed without merging"));
            assertThat(h.send(merged(Values.SHA, "develop")))
                    .isEqualTo(new Receipt(Receipt.Kind.IGNORED, "no rule of octo/app deploys on a merge to develop"));
            assertThat(h.checks.calls()).isZero();
        }
    }

    @Test
    void pushToTheRuleBranchDeploysButADeletedBranchDoesNot() {
        try (Harness h = Harness.of(rule().on(List.of("push")).branch("release").build())) {
            ci(h, Values.SHA, ContextState.SUCCESS, 0);
            WebhookEvent.Push deleted = new WebhookEvent.Push(Values.REPO, GitRef.of("refs/heads/release"), "main", Values.SHA,
                    CommitSha.of("0".repeat(40)), Values.OCTOCAT, false, true, false);
            assertThat(h.send(deleted).kind()).isEqualTo(Receipt.Kind.IGNORED);
            WebhookEvent.Push push = new WebhookEvent.Push(Values.REPO, GitRef.of("refs/heads/release"), "main", Values.SHA2,
                    Values.SHA, Values.OCTOCAT, false, false, false);
            assertThat(h.send(push).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            await().until(() -> h.api.created().size() == 1);
            assertThat(h.api.created().get(0).requester()).isEqualTo(Values.OCTOCAT);
        }
    }

    @Test
    void withoutATokenAutoDeploySaysItNeedsOne() {
        try (Harness h = new Harness(Harness.config(Map.of("octo/app", RawRepo.of(rule().build())), RawEngine.defaults(),
                Optional.empty()), b -> { })) {
            assertThat(h.send(merged(Values.SHA, "main"))).isEqualTo(new Receipt(Receipt.Kind.IGNORED,
                    "auto-deploy needs github.token to create deployments; set it, or create deployments another way"));
        }
    }

    @Test
    void absentRequiredContextsWaitsForEveryContextOfTheCommit() {
        try (Harness h = Harness.of(rule().requiredContexts(null).build())) {
            h.checks.report(Values.REPO, Values.SHA,
                    new ContextReport("ci/build", ContextState.SUCCESS, Instant.EPOCH, ContextReport.Source.COMMIT_STATUS),
                    new ContextReport("e2e", ContextState.PENDING, Instant.EPOCH, ContextReport.Source.CHECK_RUN));
            h.send(merged(Values.SHA, "main"));
            await().until(() -> h.notifier.kinds().contains(NotificationKind.WAITING_FOR_CI));
            assertThat(h.notifier.notices().get(0).contexts()).containsExactly("e2e");
        }
    }

    @Test
    void aStormOfCiEventsCostsFewApiCalls() {
        try (Harness h = Harness.of(rule().ciPollInterval("10m").build())) {
            ci(h, Values.SHA, ContextState.PENDING, 0);
            h.send(merged(Values.SHA, "main"));
            await().until(() -> h.notifier.kinds().contains(NotificationKind.WAITING_FOR_CI));
            int before = h.checks.calls();
            // A parked request looks at most once per EVENT_SPACING however many events arrive: the
            // first storm comes within the spacing of the first look, so it is folded into one later look.
            for (int second = 1; second <= 3; second++) {
                for (int i = 0; i < 200; i++) {
                    assertThat(h.send(statusEvent(Values.SHA)).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
                }
                assertThat(h.checks.calls()).isEqualTo(before + second - 1);
                h.time.advance(CiWaitingRoom.EVENT_SPACING);
                int looks = before + second;
                await().until(() -> h.checks.calls() == looks);
            }
            assertThat(h.time.waitingTasks()).as("only the poll in ten minutes").isEqualTo(1);
            assertThat(h.checks.calls()).isEqualTo(before + 3);
        }
    }
}
