package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.model.GitRef;

import static io.github.autodeploy.core.model.DeploymentState.ERROR;
import static io.github.autodeploy.core.model.DeploymentState.FAILURE;
import static io.github.autodeploy.core.model.DeploymentState.INACTIVE;
import static io.github.autodeploy.core.model.DeploymentState.IN_PROGRESS;
import static io.github.autodeploy.core.model.DeploymentState.QUEUED;
import static io.github.autodeploy.core.model.DeploymentState.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.config.RawEngine;
import io.github.autodeploy.core.config.RobotConfig;
import io.github.autodeploy.core.config.RawRepo;
import io.github.autodeploy.core.config.RawRule;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.local.InMemoryDeploymentStore;
import io.github.autodeploy.core.local.LocalCommandRunner;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.plan.EchoPlanner;
import io.github.autodeploy.core.port.ApiException;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.port.Notifier;
import io.github.autodeploy.core.port.StatusPost;
import io.github.autodeploy.testkit.ScriptedRunner;
import io.github.autodeploy.testkit.FakeCommitChecks;
import io.github.autodeploy.testkit.FakeDeploymentApi;
import io.github.autodeploy.testkit.Values;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExecutionTest {

    @Test
    void deploymentRunsItsCommandsAndReportsEachStepWithTheLogLink() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            Receipt receipt = h.deploy(h.deployment(42, "echo deploying"));
            assertThat(receipt.kind()).isEqualTo(Receipt.Kind.ACCEPTED);

            h.awaitStates(42, QUEUED, IN_PROGRESS, SUCCESS);
            List<StatusPost> posts = h.api.statuses(DeploymentId.of(42));
            DeploymentRecord record = h.robot.find(DeploymentId.of(42)).orElseThrow();
            assertThat(posts).allSatisfy(p -> assertThat(p.logUrl())
                    .isEqualTo(Harness.PUBLIC_URL + "/deployments/42/" + record.pageKey()));
            assertThat(record.pageKey()).hasSizeGreaterThanOrEqualTo(22);
            assertThat(posts.get(1).update().description()).isEqualTo("deploying a10867b to production");
            assertThat(posts.get(2).update().description()).startsWith("deployed a10867b to production in ");
            assertThat(h.robot.log(DeploymentId.of(42), 0).lines()).contains("$ echo deploying", "deploying");
            await().untilAsserted(() -> assertThat(h.notifier.kinds())
                    .containsExactly(NotificationKind.STARTED, NotificationKind.SUCCEEDED));
            assertThat(h.notifier.notices().get(1).duration()).isPresent();
            assertThat(record.steps()).singleElement().satisfies(s -> assertThat(s.name()).isEqualTo("${task}"));
        }
    }

    @Test
    void failingStepIsAFailureNamingTheStepAndExitCode() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            h.deploy(h.deployment(1, "fail 2"));
            h.awaitStates(1, QUEUED, IN_PROGRESS, FAILURE);
            assertThat(h.api.statuses(DeploymentId.of(1)).get(2).update().description())
                    .isEqualTo("step '${task}' failed with exit code 2");
        }
    }

    @Test
    void stepThatTimesOutIsAFailure() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            h.deploy(h.deployment(1, "timeout"));
            h.awaitStates(1, QUEUED, IN_PROGRESS, FAILURE);
            assertThat(h.api.statuses(DeploymentId.of(1)).get(2).update().description()).contains("timed out");
        }
    }

    @Test
    void stepThatCannotStartIsAnError() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            h.deploy(h.deployment(1, "missing"));
            h.awaitStates(1, QUEUED, IN_PROGRESS, ERROR);
            assertThat(h.api.statuses(DeploymentId.of(1)).get(2).update().description()).contains("did not start");
        }
    }

    @Test
    void secondDeliveryOfTheSameDeliveryIsADuplicate() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            WebhookEvent event = new WebhookEvent.DeploymentCreated(h.deployment(1, "ok"));
            assertThat(h.robot.handle(DeliveryId.of("same"), event).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            assertThat(h.robot.handle(DeliveryId.of("same"), event).kind()).isEqualTo(Receipt.Kind.DUPLICATE);
            h.awaitStates(1, QUEUED, IN_PROGRESS, SUCCESS);
            assertThat(h.runner.started()).containsExactly("1");
        }
    }

    @Test
    void aNewDeploymentIsStoredWithoutALookupOfItsDeliveryAndItsRedeliveryIsStillADuplicate() {
        InMemoryDeploymentStore real = InMemoryDeploymentStore.create(10, 4096);
        BrokenStore store = new BrokenStore(real);
        try (Harness h = new Harness(Harness.config(Harness.rule().build(), RawEngine.defaults()), b -> b.store(store))) {
            WebhookEvent event = new WebhookEvent.DeploymentCreated(h.deployment(1, "ok"));

            assertThat(h.robot.handle(DeliveryId.of("first"), event).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            assertThat(store.deliveryLookups).as("one store call: the queued record with its delivery id").hasValue(0);
            assertThat(real.deliverySeen(DeliveryId.of("first"))).isTrue();

            Receipt again = h.robot.handle(DeliveryId.of("first"), event);
            assertThat(again.kind()).as(again.reason()).isEqualTo(Receipt.Kind.DUPLICATE);
            h.awaitStates(1, QUEUED, IN_PROGRESS, SUCCESS);
            assertThat(h.runner.started()).containsExactly("1");
        }
    }

    @Test
    void aRedeliveryOfADeploymentNoLongerInTheStoresHistoryIsADuplicateAndDoesNotRunItAgain() {
        InMemoryDeploymentStore store = InMemoryDeploymentStore.create(2, 4096);
        try (Harness h = new Harness(Harness.config(Harness.rule().build(), RawEngine.defaults()), b -> b.store(store))) {
            WebhookEvent first = new WebhookEvent.DeploymentCreated(h.deployment(1, "ok"));
            runsToSuccess(h, "first", first, 1);
            for (int id = 2; id <= 4; id++) {
                runsToSuccess(h, "later-" + id, new WebhookEvent.DeploymentCreated(h.deployment(id, "ok")), id);
            }
            assertThat(store.find(DeploymentId.of(1))).as("pushed out of the store's history").isEmpty();

            Receipt again = h.robot.handle(DeliveryId.of("first"), first);

            assertThat(again.kind()).as(again.reason()).isEqualTo(Receipt.Kind.DUPLICATE);
            assertThat(h.runner.started()).containsExactly("1", "2", "3", "4");
            assertThat(store.find(DeploymentId.of(1))).isEmpty();
        }
    }

    /** Delivers {@code event}, accepted, and waits until deployment {@code id} has succeeded. */
    private static void runsToSuccess(Harness h, String delivery, WebhookEvent event, long id) {
        assertThat(h.robot.handle(DeliveryId.of(delivery), event).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
        h.awaitStates(id, QUEUED, IN_PROGRESS, SUCCESS);
    }

    /** From the hostile review: a quiet environment's newest deployment, pushed out of the history by another environment's. */
    @Test
    void aNewDeliveryOfALanesNewestDeploymentNoLongerInTheStoresHistoryIsADuplicateAndDoesNotRunItAgain() {
        InMemoryDeploymentStore store = InMemoryDeploymentStore.create(2, 4096);
        RawRule rule = Harness.rule().build();
        RobotConfig config = Harness.config(Map.of("octo/app", new RawRepo(rule, Map.of("production", rule, "staging", rule))),
                RawEngine.defaults(), Optional.of(Harness.TOKEN));
        try (Harness h = new Harness(config, b -> b.store(store))) {
            WebhookEvent staging = new WebhookEvent.DeploymentCreated(h.deployment(300, "ok", EnvironmentName.of("staging")));
            runsToSuccess(h, "staging-1", staging, 300);
            for (int id = 301; id <= 303; id++) {
                runsToSuccess(h, "production-" + id, new WebhookEvent.DeploymentCreated(h.deployment(id, "ok")), id);
            }
            assertThat(store.find(DeploymentId.of(300))).as("pushed out of the store's history").isEmpty();

            Receipt again = h.robot.handle(DeliveryId.of("staging-2"), staging);

            assertThat(again.kind()).as(again.reason()).isEqualTo(Receipt.Kind.DUPLICATE);
            assertThat(h.runner.started()).containsExactly("300", "301", "302", "303");
        }
    }

    @Test
    void aDeliveryTheRobotHasNoRuleForIsLookedUpAndItsRedeliveryIsADuplicate() {
        InMemoryDeploymentStore real = InMemoryDeploymentStore.create(10, 4096);
        BrokenStore store = new BrokenStore(real);
        try (Harness h = new Harness(Harness.config(Harness.rule().build(), RawEngine.defaults()), b -> b.store(store))) {
            WebhookEvent event = new WebhookEvent.DeploymentCreated(h.deployment(1, "ok", EnvironmentName.of("nowhere")));

            assertThat(h.robot.handle(DeliveryId.of("first"), event).kind()).isEqualTo(Receipt.Kind.IGNORED);
            assertThat(h.robot.handle(DeliveryId.of("first"), event).kind()).isEqualTo(Receipt.Kind.DUPLICATE);
            assertThat(store.deliveryLookups).hasValue(2);
        }
    }

    @Test
    void sameDeploymentInANewDeliveryRunsOnce() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            Deployment d = h.deployment(1, "ok");
            assertThat(h.deploy(d).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            h.awaitStates(1, QUEUED, IN_PROGRESS, SUCCESS);
            Receipt again = h.deploy(d);
            assertThat(again.kind()).isEqualTo(Receipt.Kind.DUPLICATE);
            assertThat(again.reason()).isEqualTo("deployment 1 was already received");
            assertThat(h.runner.started()).containsExactly("1");
            assertThat(h.api.states(DeploymentId.of(1))).hasSize(3);
        }
    }

    @Test
    void deploymentToAnEnvironmentWithoutARuleIsLeftAlone() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            Receipt r = h.deploy(h.deployment(1, "ok", EnvironmentName.of("staging")));
            assertThat(r).isEqualTo(new Receipt(Receipt.Kind.IGNORED, "no rule for environment staging of octo/app"));
            Receipt other = h.deploy(Values.deployment(2, io.github.autodeploy.core.model.RepositoryName.of("octo/other"),
                    EnvironmentName.PRODUCTION));
            assertThat(other).isEqualTo(new Receipt(Receipt.Kind.IGNORED, "repository octo/other is not configured"));
            assertThat(h.api.postAttempts()).isZero();
            assertThat(h.runner.events()).isEmpty();
        }
    }

    @Test
    void queuedDeploymentSupersededByANewerOneBecomesInactive() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            h.deploy(h.deployment(1, "block"));
            await().until(() -> h.runner.started().contains("1"));
            h.deploy(h.deployment(2, "ok"));
            h.deploy(h.deployment(3, "ok"));
            h.awaitStates(2, QUEUED, INACTIVE);
            assertThat(h.api.statuses(DeploymentId.of(2)).get(1).update().description()).isEqualTo("superseded by deployment 3");
            h.runner.release();
            h.awaitStates(1, QUEUED, IN_PROGRESS, SUCCESS);
            h.awaitStates(3, QUEUED, IN_PROGRESS, SUCCESS);
            assertThat(h.runner.started()).containsExactly("1", "3");
        }
    }

    @Test
    void olderDeploymentArrivingAfterANewerQueuedOneIsSupersededAtOnce() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            h.deploy(h.deployment(1, "block"));
            await().until(() -> h.runner.started().contains("1"));
            h.deploy(h.deployment(5, "ok"));
            h.deploy(h.deployment(4, "ok"));
            h.awaitStates(4, QUEUED, INACTIVE);
            h.runner.release();
            h.awaitStates(5, QUEUED, IN_PROGRESS, SUCCESS);
        }
    }

    @Test
    void withSupersedeOffEveryDeploymentRunsInOrder() {
        try (Harness h = Harness.of(Harness.rule().supersede(false).build())) {
            h.deploy(h.deployment(1, "block"));
            await().until(() -> h.runner.started().contains("1"));
            h.deploy(h.deployment(2, "ok"));
            h.deploy(h.deployment(3, "ok"));
            h.runner.release();
            h.awaitStates(3, QUEUED, IN_PROGRESS, SUCCESS);
            assertThat(h.runner.started()).containsExactly("1", "2", "3");
        }
    }

    @Test
    void cancellingAQueuedOrRunningDeploymentEndsItAsAnError() {
        try (Harness h = Harness.of(Harness.rule().supersede(false).build())) {
            h.deploy(h.deployment(1, "block"));
            await().until(() -> h.runner.started().contains("1"));
            h.deploy(h.deployment(2, "ok"));
            assertThat(h.robot.cancel(DeploymentId.of(2), "cancelled by octocat")).isTrue();
            h.awaitStates(2, QUEUED, ERROR);
            assertThat(h.robot.cancel(DeploymentId.of(1), "cancelled by octocat")).isTrue();
            h.awaitStates(1, QUEUED, IN_PROGRESS, ERROR);
            assertThat(h.api.statuses(DeploymentId.of(1)).get(2).update().description())
                    .isEqualTo("cancelled during step '${task}': cancelled by octocat");
            assertThat(h.robot.cancel(DeploymentId.of(1), "again")).isFalse();
            assertThat(h.runner.started()).containsExactly("1");
        }
    }

    @Test
    void fullQueueShowsGitHubTheDeploymentWasNotTakenAndTakesItsRedelivery() {
        try (Harness h = new Harness(Harness.config(Harness.rule().supersede(false).build(), Harness.engine(1, 1, "5s")), b -> { })) {
            h.deploy(h.deployment(1, "block"));
            await().until(() -> h.runner.started().contains("1"));
            assertThat(h.deploy(h.deployment(2, "ok")).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            WebhookEvent.DeploymentCreated three = new WebhookEvent.DeploymentCreated(h.deployment(3, "ok"));
            Receipt full = h.robot.handle(DeliveryId.of("delivery-of-3"), three);
            assertThat(full.kind()).isEqualTo(Receipt.Kind.OVERLOADED);
            h.awaitStates(3, ERROR);
            assertThat(h.api.statuses(DeploymentId.of(3)).get(0).update().description())
                    .isEqualTo("not taken: the robot was overloaded; redeliver the webhook or create the deployment again to run it");
            h.runner.release();
            h.awaitStates(2, QUEUED, IN_PROGRESS, SUCCESS);

            Receipt redelivered = h.robot.handle(DeliveryId.of("delivery-of-3"), three);

            assertThat(redelivered.kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            h.awaitStates(3, ERROR, QUEUED, IN_PROGRESS, SUCCESS);
            assertThat(h.robot.handle(DeliveryId.of("delivery-of-3"), three).kind()).isEqualTo(Receipt.Kind.DUPLICATE);
            assertThat(h.deploy(three.deployment()).kind()).isEqualTo(Receipt.Kind.DUPLICATE);
        }
    }

    @Test
    void aLateOlderDeploymentNeverRunsAfterANewerOneRanAndSaysWhichOne() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            h.deploy(h.deployment(5, "ok"));
            h.awaitStates(5, QUEUED, IN_PROGRESS, SUCCESS);

            assertThat(h.deploy(h.deployment(3, "ok")).kind()).isEqualTo(Receipt.Kind.ACCEPTED);

            h.awaitStates(3, QUEUED, INACTIVE);
            assertThat(h.api.statuses(DeploymentId.of(3)).get(1).update().description()).isEqualTo("superseded by deployment 5");
            assertThat(h.runner.started()).containsExactly("5");
        }
    }

    @Test
    void aDeliveryRefusedWhileShuttingDownIsNotCalledADuplicateWhenRedelivered() {
        Harness h = Harness.of(Harness.rule().build());
        WebhookEvent deployment = new WebhookEvent.DeploymentCreated(h.deployment(1, "ok"));
        h.closeWhileTimePasses();
        assertThat(h.robot.handle(DeliveryId.of("d-1"), deployment).kind()).isEqualTo(Receipt.Kind.OVERLOADED);
        assertThat(h.robot.handle(DeliveryId.of("d-1"), deployment).kind()).isEqualTo(Receipt.Kind.OVERLOADED);
        assertThat(h.robot.find(DeploymentId.of(1)).orElseThrow().lifecycle().history().get(0).description())
                .startsWith("not taken: the robot was shutting down");
    }

    @Test
    void lanesRunInParallelButNeverTwoDeploymentsOfOneLane() {
        RawRepo repo = new RawRepo(Harness.rule().build(), Map.of("staging", RawRule.builder().build(),
                "production", RawRule.builder().build()));
        try (Harness h = new Harness(Harness.config(Map.of("octo/app", repo), Harness.engine(2, 10, "5s"),
                Optional.of(Harness.TOKEN)), b -> { })) {
            h.deploy(h.deployment(1, "block", EnvironmentName.PRODUCTION));
            h.deploy(h.deployment(2, "block", EnvironmentName.of("staging")));
            await().until(() -> h.runner.started().containsAll(List.of("1", "2")));
            h.runner.release();
            h.awaitStates(1, QUEUED, IN_PROGRESS, SUCCESS);
            h.awaitStates(2, QUEUED, IN_PROGRESS, SUCCESS);
        }
    }

    @Test
    void statusesArePostedInOrderAfterGitHubRecoversWithoutHoldingUpTheLane() {
        try (Harness h = Harness.of(Harness.rule().supersede(false).build())) {
            h.api.holdPosts();
            h.deploy(h.deployment(1, "ok"));
            h.deploy(h.deployment(2, "ok"));
            await().until(() -> h.robot.find(DeploymentId.of(2)).map(r -> r.state() == SUCCESS).orElse(false));
            assertThat(h.runner.started()).containsExactly("1", "2");
            assertThat(h.api.states(DeploymentId.of(1))).isEmpty();
            h.api.failNextPosts(3, new ApiException("502 Bad Gateway", true, Optional.of(Duration.ofMillis(20)), null));
            h.api.releasePosts();
            h.advanceUntil(Duration.ofMillis(20), () -> h.api.states(DeploymentId.of(1)).size() == 3
                    && h.api.states(DeploymentId.of(2)).size() == 3);
            h.awaitStates(1, QUEUED, IN_PROGRESS, SUCCESS);
            h.awaitStates(2, QUEUED, IN_PROGRESS, SUCCESS);
        }
    }

    @Test
    void statusThatCannotBePostedIsLoggedAndLaterOnesStillGoOut() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            h.api.failNextPosts(1, new ApiException("422 Unprocessable Entity: bad state", false));
            h.deploy(h.deployment(1, "ok"));
            h.awaitStates(1, IN_PROGRESS, SUCCESS);
            await().untilAsserted(() -> assertThat(h.robot.log(DeploymentId.of(1), 0).lines()).anySatisfy(l ->
                    assertThat(l).contains("status queued was not posted to GitHub after 1 attempt: 422")));
        }
    }

    @Test
    void secretsNeverReachTheLogOrAStatus() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            h.deploy(h.deployment(1, "echo " + Harness.TOKEN + " webhook-secret-1"));
            h.awaitStates(1, QUEUED, IN_PROGRESS, SUCCESS);
            List<String> log = h.robot.log(DeploymentId.of(1), 0).lines();
            assertThat(log).contains("*** ***").noneMatch(l -> l.contains(Harness.TOKEN) || l.contains("webhook-secret-1"));
            assertThat(h.api.statuses(DeploymentId.of(1))).noneMatch(s -> s.update().description().contains(Harness.TOKEN));
        }
    }

    @Test
    void secretsInABlockOfOutputLinesAreMaskedLineByLine() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            h.deploy(h.deployment(1, "lines before " + Harness.TOKEN + " after"));
            h.awaitStates(1, QUEUED, IN_PROGRESS, SUCCESS);
            List<String> log = h.robot.log(DeploymentId.of(1), 0).lines();
            assertThat(log).containsSubsequence("before", "***", "after").noneMatch(l -> l.contains(Harness.TOKEN));
        }
    }

    @Test
    void aStoreThatBreaksAfterAcceptingAndABrokenNotifierChangeNoOutcome() {
        InMemoryDeploymentStore real = InMemoryDeploymentStore.create(10, 4096);
        BrokenStore broken = new BrokenStore(real);
        // The store goes away once the deployment is accepted: its first write after the queued record (the
        // start, in_progress) lands, and every one after it fails.
        broken.beforeUpdate = r -> broken.broken = true;
        try (Harness h = new Harness(Harness.config(Harness.rule().build(), Harness.engine(1, 10, "5s")),
                b -> b.store(broken))) {
            h.robot.start();
            h.notifier.failing(true);
            assertThat(h.deploy(h.deployment(1, "echo hi")).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            h.awaitStates(1, QUEUED, IN_PROGRESS, SUCCESS);
            assertThat(h.notifier.kinds()).contains(NotificationKind.SUCCEEDED);
            assertThat(real.find(DeploymentId.of(1)).orElseThrow().state()).isEqualTo(IN_PROGRESS);
            // The store comes back: what it missed is written on the robot's next round.
            broken.beforeUpdate = r -> { };
            broken.broken = false;
            await().untilAsserted(() -> {
                h.time.advance(Autodeploy.STORE_TICK);
                assertThat(real.find(DeploymentId.of(1)).orElseThrow().state()).isEqualTo(SUCCESS);
                // The log lines written while the store was away reach it too, in order.
                assertThat(real.readLog(DeploymentId.of(1), 0).lines()).containsSubsequence("$ echo hi", "hi")
                        .anyMatch(l -> l.startsWith("[autodeploy] success:"));
            });
        }
    }

    @Test
    void aDeploymentThatRanWhileTheStoreWasAwayIsNotRunAgainAsAnOlderOneTheStoreCallsQueued() {
        InMemoryDeploymentStore real = InMemoryDeploymentStore.create(10, 4096);
        BrokenStore store = new BrokenStore(real);
        // The store refuses every write of deployment 1 from its start on: it goes on saying "queued, not
        // started" while 1 runs and finishes here, and long after (past the time another node's queued
        // deployment is taken over).
        store.beforeUpdate = r -> {
            if (r.deployment().id().value() == 1) {
                throw new IllegalStateException("database is down");
            }
        };
        try (Harness h = new Harness(Harness.config(Harness.rule().supersede(false).build(), Harness.engine(1, 10, "5s")),
                b -> b.store(store))) {
            h.robot.start();
            assertThat(h.deploy(h.deployment(1, "block")).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            await().atMost(Duration.ofSeconds(20)).until(() -> h.runner.started().size() == 1);
            assertThat(h.deploy(h.deployment(2, "ok")).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            h.runner.release();
            await().atMost(Duration.ofSeconds(20)).until(() -> h.runner.events().stream().filter(e -> !e.start()).count() == 1);
            h.time.advance(Autodeploy.STEAL_AFTER.multipliedBy(3));
            assertThat(real.find(DeploymentId.of(1)).orElseThrow().startedAt()).as("the store missed the start").isEmpty();

            h.advanceUntil(Autodeploy.STORE_TICK, () -> real.find(DeploymentId.of(2)).orElseThrow().state() == SUCCESS);
            store.beforeUpdate = r -> { };
            h.advanceUntil(Autodeploy.STORE_TICK, () -> real.find(DeploymentId.of(1)).orElseThrow().state() == SUCCESS);

            assertThat(h.runner.events().stream().filter(ScriptedRunner.Event::start).map(ScriptedRunner.Event::deploymentId))
                    .as("deployment 1 ran once, then 2").containsExactly("1", "2");
        }
    }

    @Test
    void aDeploymentIsMarkedStartedAndInProgressInOneStoreWriteBeforeItsCommandStarts() {
        BrokenStore store = new BrokenStore(InMemoryDeploymentStore.create(10, 4096));
        List<String> writes = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Harness h = new Harness(Harness.config(Harness.rule().build(), Harness.engine(1, 10, "5s")),
                b -> b.store(store))) {
            store.beforeUpdate = r -> writes.add(r.state() + (r.startedAt().isPresent() ? " started" : "")
                    + ", commands started: " + h.runner.started().size());
            h.robot.start();
            h.deploy(h.deployment(1, "ok"));
            h.awaitStates(1, QUEUED, IN_PROGRESS, SUCCESS);
            assertThat(writes).first().isEqualTo("IN_PROGRESS started, commands started: 0");
            assertThat(writes).filteredOn(w -> w.endsWith("commands started: 0")).hasSize(1);
        }
    }

    @Test
    void aDeploymentStoredJustAsTheRobotBeginsToCloseIsNotTakenAndItsRedeliveryIsTakenByTheNextRobot() throws Exception {
        InMemoryDeploymentStore real = InMemoryDeploymentStore.create(10, 4096);
        BrokenStore store = new BrokenStore(real);
        DeliveryId delivery = DeliveryId.of("d-stored-while-closing");
        Harness first = new Harness(Harness.config(Harness.rule().build(), Harness.engine(1, 10, "1s")), b -> b.store(store));
        Deployment d = first.deployment(1, "ok");
        Thread closing = new Thread(first::closeWhileTimePasses, "test-close");
        try {
            first.robot.start();
            // The deployment is stored with its delivery id; then, before the lanes take it, the robot begins to close.
            store.afterInsert = r -> {
                closing.start();
                await().atMost(Duration.ofSeconds(20)).until(first.robot::closing);
            };
            Receipt refused = first.robot.handle(delivery, new WebhookEvent.DeploymentCreated(d, Optional.empty()));
            assertThat(refused.kind()).isEqualTo(Receipt.Kind.OVERLOADED);
            assertThat(refused.reason()).contains("redeliver");
            assertThat(real.deliverySeen(delivery)).as("forgotten, so that the redelivery asked for is taken").isFalse();
        } finally {
            store.afterInsert = r -> { };
            closing.join(30_000);
            first.close();
        }
        try (Harness second = new Harness(Harness.config(Harness.rule().build(), Harness.engine(1, 10, "5s")),
                b -> b.store(real))) {
            second.api.givenDeployment(d);
            second.robot.start();
            Receipt again = second.robot.handle(delivery, new WebhookEvent.DeploymentCreated(d, Optional.empty()));
            assertThat(again.kind()).as(again.reason()).isEqualTo(Receipt.Kind.ACCEPTED);
            await().atMost(Duration.ofSeconds(20)).until(() -> second.api.states(d.id()).contains(SUCCESS));
        }
    }

    @Test
    void pageKeysAreUnguessableAndNeverRepeat() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            java.util.Set<String> keys = new java.util.HashSet<>();
            for (long id = 1; id <= 600; id++) {
                h.deploy(h.deployment(id, "ok"));
                keys.add(h.robot.find(DeploymentId.of(id)).orElseThrow().pageKey());
            }
            // 600 keys span several of the blocks the secure generator fills at once.
            assertThat(keys).hasSize(600).allSatisfy(k -> assertThat(k).matches("[A-Za-z0-9_-]{24}"));
        }
    }

    @Test
    void aDeliveryTheStoreCannotKeepIsNotTakenAndItsRedeliveryIs() {
        InMemoryDeploymentStore real = InMemoryDeploymentStore.create(10, 4096);
        BrokenStore broken = new BrokenStore(real);
        try (Harness h = new Harness(Harness.config(Harness.rule().build(), Harness.engine(1, 10, "5s")),
                b -> b.store(broken))) {
            broken.broken = true;
            DeliveryId delivery = DeliveryId.of("d-store-down");
            Receipt refused = h.robot.handle(delivery, new WebhookEvent.DeploymentCreated(h.deployment(1, "echo hi"), Optional.empty()));
            assertThat(refused.kind()).isEqualTo(Receipt.Kind.UNAVAILABLE);
            assertThat(refused.reason()).doesNotContain("database is down");
            assertThat(h.api.statuses(DeploymentId.of(1))).isEmpty();
            assertThat(h.runner.started()).isEmpty();
            broken.broken = false;
            Receipt taken = h.robot.handle(delivery, new WebhookEvent.DeploymentCreated(h.deployment(1, "echo hi"), Optional.empty()));
            assertThat(taken.kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            h.awaitStates(1, QUEUED, IN_PROGRESS, SUCCESS);
            assertThat(h.robot.handle(delivery, new WebhookEvent.DeploymentCreated(h.deployment(1, "echo hi"), Optional.empty())).kind())
                    .isEqualTo(Receipt.Kind.DUPLICATE);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60) // a handle() that waited would hang on the held GitHub; fail instead
    void handlingNeverWaitsForGitHubOrACommand() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            h.api.holdPosts();
            h.deploy(h.deployment(1, "block"));
            for (int i = 2; i < 50; i++) {
                assertThat(h.deploy(h.deployment(i, "ok")).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            }
            assertThat(h.send(new WebhookEvent.Ping(Optional.empty(), "zen")).kind()).isEqualTo(Receipt.Kind.PONG);
        }
    }

    @Test
    void unsupportedEventsAreIgnoredWithTheirName() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            assertThat(h.send(new WebhookEvent.Unsupported("issues", Optional.of("opened"), Optional.of(Values.REPO))))
                    .isEqualTo(new Receipt(Receipt.Kind.IGNORED, "event issues (opened) is not used"));
        }
    }

    @Test
    void builderNamesTheModuleOfEveryPortLeftUnwired() {
        assertThatThrownBy(() -> Autodeploy.builder(Harness.config(Harness.rule().build(),
                io.github.autodeploy.core.config.RawEngine.defaults())).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot build the robot; wire deploymentApi (GitHubClient from autodeploy-github-adapter), "
                        + "commitChecks (GitHubClient from autodeploy-github-adapter), notifier (SlackNotifier from "
                        + "autodeploy-slack-adapter, or Notifier.none()), commandRunner (LocalCommandRunner from "
                        + "autodeploy-core), store (InMemoryDeploymentStore from autodeploy-core)");
    }

    @Test
    void builderRefusesARuleWhoseKindHasNoPlanner() {
        assertThatThrownBy(() -> Autodeploy.builder(echoConfig())
                .deploymentApi(new FakeDeploymentApi()).commitChecks(new FakeCommitChecks()).notifier(Notifier.none())
                .commandRunner(LocalCommandRunner.create(Secrets.none())).store(InMemoryDeploymentStore.create(1, 1024))
                .build())
                .hasMessage("repos.octo/app (production) runs \"echo\", which no planner of this robot handles; "
                        + "add the planner that handles it with planner(...)");
    }

    @Test
    void aKindCoreHasNeverHeardOfRunsThroughItsPlanner() {
        try (Harness h = new Harness(echoConfig(), b -> b.planner(new EchoPlanner()))) {
            h.deploy(h.deployment(7, "ignored"));
            h.awaitStates(7, QUEUED, IN_PROGRESS, SUCCESS);
            assertThat(h.robot.log(DeploymentId.of(7), 0).lines()).containsSubsequence("$ echo hello", "hello", "$ echo hello", "hello");
        }
    }

    private static io.github.autodeploy.core.config.RobotConfig echoConfig() {
        RawRule echo = RawRule.builder().option("echo_text", "hello").option("echo_times", "2").requiredContexts(List.of()).build();
        return new io.github.autodeploy.core.config.RawConfig(
                new io.github.autodeploy.core.config.RawGitHub(Optional.empty(), Optional.of(Harness.TOKEN), List.of("s"), false),
                Optional.empty(), Optional.of(Harness.PUBLIC_URL), Map.of("octo/app", RawRepo.of(echo)),
                io.github.autodeploy.core.config.RawEngine.defaults()).resolve(List.of(new EchoPlanner()));
    }

    @Test
    void statusesOfDeploymentsOtherToolsRunAreAnnouncedButOwnOnesNotTwice() {
        try (Harness h = Harness.of(Harness.rule().notifyOn(List.of("started", "succeeded", "failed")).build())) {
            WebhookEvent.DeploymentStatusCreated other = new WebhookEvent.DeploymentStatusCreated(Values.REPO,
                    DeploymentId.of(900), EnvironmentName.PRODUCTION, Values.SHA, Optional.of(GitRef.of("release/2")),
                    SUCCESS, "deployed by Heroku",
                    Optional.of("https://dashboard.heroku.com/x"), io.github.autodeploy.core.model.Requester.of("heroku"));
            assertThat(h.send(other).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            assertThat(h.notifier.notices()).singleElement().satisfies(n -> {
                assertThat(n.kind()).isEqualTo(NotificationKind.SUCCEEDED);
                assertThat(n.requester()).map(r -> r.login()).contains("heroku");
                assertThat(n.ref()).isEqualTo("release/2");
            });
            h.deploy(h.deployment(1, "ok"));
            h.awaitStates(1, QUEUED, IN_PROGRESS, SUCCESS);
            await().until(() -> h.notifier.notices().size() == 3);
            WebhookEvent.DeploymentStatusCreated own = new WebhookEvent.DeploymentStatusCreated(Values.REPO,
                    DeploymentId.of(1), EnvironmentName.PRODUCTION, Values.SHA, Optional.empty(), SUCCESS, "deployed",
                    Optional.of(h.api.statuses(DeploymentId.of(1)).get(2).logUrl()), io.github.autodeploy.core.model.Requester.of("octocat"));
            assertThat(h.send(own).kind()).isEqualTo(Receipt.Kind.IGNORED);
            assertThat(h.notifier.notices()).hasSize(3);
        }
    }
}
