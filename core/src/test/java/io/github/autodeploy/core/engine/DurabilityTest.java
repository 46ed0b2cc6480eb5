package io.github.autodeploy.core.engine;

import static io.github.autodeploy.core.model.DeploymentState.INACTIVE;
import static io.github.autodeploy.core.model.DeploymentState.IN_PROGRESS;
import static io.github.autodeploy.core.model.DeploymentState.QUEUED;
import static io.github.autodeploy.core.model.DeploymentState.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.local.InMemoryDeploymentStore;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.ContextReport;
import io.github.autodeploy.core.model.ContextState;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.Requester;
import io.github.autodeploy.core.store.Orphans;
import io.github.autodeploy.core.store.WaitingMerge;
import io.github.autodeploy.testkit.Values;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * What the engine keeps in its store and reads back from it: robots sharing one in-memory store
 * stand for a restart (one after the other) or for two nodes (side by side).
 */
class DurabilityTest {
    private final InMemoryDeploymentStore shared = InMemoryDeploymentStore.create(100, 64 * 1024);

    private Harness robotOnSharedStore() {
        return new Harness(Harness.config(Harness.rule().build(), Harness.engine(2, 10, "5s")), b -> b.store(shared));
    }

    @Test
    void afterARestartALaneNeverStartsADeploymentOlderThanOneItStartedBefore() {
        try (Harness before = robotOnSharedStore()) {
            before.deploy(before.deployment(5, "ok"));
            before.awaitStates(5, QUEUED, IN_PROGRESS, SUCCESS);
        }
        try (Harness after = robotOnSharedStore()) {
            // Deployment 3 was never delivered before: a late delivery of an older deployment.
            assertThat(after.deploy(after.deployment(3, "ok")).reason()).isEqualTo("deployment 3 is superseded by deployment 5");
            after.awaitStates(3, QUEUED, INACTIVE);
            assertThat(after.runner.started()).isEmpty();
        }
    }

    @Test
    void aDeploymentWaitingOnOneRobotIsNotRunAfterANewerOneStartedOnAnother() {
        String lane = Values.REPO.fullName() + " production";
        ReentrantLock laneLock = (ReentrantLock) shared.laneLock(lane);
        try (Harness one = robotOnSharedStore(); Harness two = robotOnSharedStore()) {
            laneLock.lock(); // a third node runs the lane, so both robots queue behind it
            try {
                one.deploy(one.deployment(5, "block"));
                await().until(() -> laneLock.getQueueLength() == 1);
                two.deploy(two.deployment(4, "ok"));
                await().until(() -> laneLock.getQueueLength() == 2);
            } finally {
                laneLock.unlock();
            }
            one.awaitStates(5, QUEUED, IN_PROGRESS);
            one.runner.release();
            one.awaitStates(5, QUEUED, IN_PROGRESS, SUCCESS);
            two.awaitStates(4, QUEUED, INACTIVE);
            assertThat(two.runner.started()).isEmpty();
            assertThat(two.api.statuses(io.github.autodeploy.core.model.DeploymentId.of(4)).get(1).update().description())
                    .isEqualTo("superseded by deployment 5");
        }
    }

    @Test
    void aLaneThatKeepsOrderRunsAnOlderDeploymentAnotherRobotQueuedFirst() {
        String lane = Values.REPO.fullName() + " production";
        ReentrantLock laneLock = (ReentrantLock) shared.laneLock(lane);
        RobotConfigs inOrder = () -> Harness.config(Harness.rule().supersede(false).build(), Harness.engine(2, 10, "5s"));
        io.github.autodeploy.testkit.ScriptedRunner runner = new io.github.autodeploy.testkit.ScriptedRunner();
        io.github.autodeploy.testkit.FakeDeploymentApi github = new io.github.autodeploy.testkit.FakeDeploymentApi();
        try (Harness one = new Harness(inOrder.get(), b -> b.store(shared).commandRunner(runner).deploymentApi(github));
             Harness two = new Harness(inOrder.get(), b -> b.store(shared).commandRunner(runner).deploymentApi(github))) {
            laneLock.lock();
            try {
                // The newer one asks for the lane first; the older one, on the other robot, after it.
                var five = one.deployment(5, "ok");
                github.givenDeployment(five);
                one.deploy(five);
                await().until(() -> laneLock.getQueueLength() == 1);
                var four = two.deployment(4, "ok");
                github.givenDeployment(four);
                two.deploy(four);
                await().until(() -> laneLock.getQueueLength() == 2);
            } finally {
                laneLock.unlock();
            }
            // Robot one lets the just-queued older one go first (it does not take it from robot two at once).
            one.advanceUntil(Lanes.YIELD_DELAY, () -> {
                two.time.advance(Lanes.YIELD_DELAY);
                return github.states(io.github.autodeploy.core.model.DeploymentId.of(5)).contains(SUCCESS)
                        && github.states(io.github.autodeploy.core.model.DeploymentId.of(4)).contains(SUCCESS);
            });
            assertThat(runner.events()).extracting(e -> e.deploymentId() + (e.start() ? " start" : " end"))
                    .containsExactly("4 start", "4 end", "5 start", "5 end");
            assertThat(github.states(io.github.autodeploy.core.model.DeploymentId.of(4))).containsExactly(QUEUED, IN_PROGRESS, SUCCESS);
            assertThat(github.states(io.github.autodeploy.core.model.DeploymentId.of(5))).containsExactly(QUEUED, IN_PROGRESS, SUCCESS);
        }
    }

    @Test
    void aDeploymentWaitingForItsLanesLockDoesNotTurnAwayAnOlderOneThatArrivesMeanwhile() {
        String lane = Values.REPO.fullName() + " production";
        ReentrantLock laneLock = (ReentrantLock) shared.laneLock(lane);
        try (Harness h = new Harness(Harness.config(Harness.rule().supersede(false).build(), Harness.engine(2, 10, "5s")),
                b -> b.store(shared))) {
            laneLock.lock(); // another node runs the lane
            try {
                h.deploy(h.deployment(5, "ok"));
                await().until(() -> laneLock.getQueueLength() == 1);
                assertThat(h.deploy(h.deployment(4, "ok")).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            } finally {
                laneLock.unlock();
            }
            h.awaitStates(4, QUEUED, IN_PROGRESS, SUCCESS);
            h.advanceUntil(Lanes.YIELD_DELAY, () -> h.api.states(io.github.autodeploy.core.model.DeploymentId.of(5)).contains(SUCCESS));
            assertThat(h.runner.started()).containsExactly("4", "5");
        }
    }

    /** A configuration made anew for each robot. */
    private interface RobotConfigs {
        io.github.autodeploy.core.config.RobotConfig get();
    }

    @Test
    void aRedeliveryToAnotherRobotOfADeploymentOneTookIsADuplicate() {
        try (Harness one = robotOnSharedStore(); Harness two = robotOnSharedStore()) {
            var d = one.deployment(7, "ok");
            two.api.givenDeployment(d);
            assertThat(one.deploy(d).kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            assertThat(two.deploy(d).kind()).isEqualTo(Receipt.Kind.DUPLICATE);
            one.awaitStates(7, QUEUED, IN_PROGRESS, SUCCESS);
            assertThat(two.api.states(io.github.autodeploy.core.model.DeploymentId.of(7))).isEmpty();
        }
    }

    @Test
    void aMergeWaitingForCiIsInTheStoreFromItsAcceptanceUntilItsDeploymentIsCreated() {
        CommitSha sha = Values.SHA;
        try (Harness h = new Harness(Harness.config(Harness.rule().requiredContexts(List.of("ci/build")).ciPollInterval("50ms")
                .ciTimeout("10m").build(), Harness.engine(2, 10, "5s")), b -> b.store(shared))) {
            Receipt r = h.send(new WebhookEvent.PullRequestClosed(Values.REPO, 7, true, GitRef.of("main"), "main", Values.SHA2,
                    Optional.of(sha), Optional.of(Requester.of("hubot")), Values.OCTOCAT, Optional.of(Values.REPO), "Fix"));
            assertThat(r.kind()).isEqualTo(Receipt.Kind.ACCEPTED);
            List<WaitingMerge> waiting = shared.waiting();
            assertThat(waiting).singleElement().satisfies(w -> {
                assertThat(w.sha()).isEqualTo(sha);
                assertThat(w.cause()).isEqualTo("merge of pull request #7 by hubot");
                assertThat(w.deadline()).isEqualTo(Instant.parse("2026-11-27T10:10:00Z"));
            });
            h.checks.report(Values.REPO, sha, new ContextReport("ci/build", ContextState.SUCCESS,
                    Instant.parse("2026-11-27T10:00:00Z"), ContextReport.Source.COMMIT_STATUS));
            h.advanceUntil(Duration.ofMillis(50), () -> h.api.created().size() == 1);
            await().until(() -> shared.waiting().isEmpty());
            @SuppressWarnings("unchecked")
            var ours = (java.util.Map<String, Object>) h.api.created().get(0).payload().get("autodeploy");
            assertThat(ours).containsEntry("request", waiting.get(0).requestId());
        }
    }

    @Test
    void aStoredMergeIsTakenUpByTheNextRobotAndCreatedOnceCiIsGreen() {
        WaitingMerge left = new WaitingMerge("req-left-by-a-crash", Values.REPO, io.github.autodeploy.core.model.EnvironmentName.PRODUCTION,
                Values.SHA, "main", Requester.of("hubot"), "merge of pull request #7 by hubot",
                Instant.parse("2026-11-27T10:30:00Z"), false);
        BrokenStore durable = new BrokenStore(shared);
        durable.durable = true;
        durable.orphans = new Orphans(List.of(), List.of(left));
        shared.park(left);
        try (Harness h = new Harness(Harness.config(Harness.rule().requiredContexts(List.of("ci/build")).ciPollInterval("50ms")
                .ciTimeout("10m").build(), Harness.engine(2, 10, "5s")), b -> b.store(durable))) {
            h.checks.report(Values.REPO, Values.SHA, new ContextReport("ci/build", ContextState.SUCCESS,
                    Instant.parse("2026-11-27T10:00:00Z"), ContextReport.Source.COMMIT_STATUS));
            h.robot.start();
            h.advanceUntil(Duration.ofMillis(50), () -> h.api.created().size() == 1);
            await().until(() -> shared.waiting().isEmpty());
            assertThat(h.api.created().get(0).sha()).isEqualTo(Values.SHA);
            assertThat(h.api.created().get(0).requester()).isEqualTo(Requester.of("hubot"));
        }
    }
}
