package io.github.autodeploy.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.control.EnvironmentLock;
import io.github.autodeploy.core.lifecycle.DeploymentLifecycle;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.Requester;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.port.ProtectionRuleTarget;
import io.github.autodeploy.core.store.GatedRun;
import io.github.autodeploy.core.store.WaitingMerge;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.core.store.LogChunk;
import java.time.Instant;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeploymentStore} must do: remember deliveries and deployments, list them newest
 * first, keep logs readable from a line on, hand out one lock per lane, and keep gated Actions
 * deployments, changed only by compare-and-set so that one writer wins a decision. To check a store, extend
 * this class in a JUnit 5 test and implement {@link #newStore()}; it is called before every test. Not
 * thread-safe (one instance per test).
 */
public abstract class DeploymentStoreContract {
    /** The store of the running test, from {@link #newStore()}. */
    protected DeploymentStore store;

    /** A new, empty store that keeps at least 3 deployments and 1 KiB of log each. */
    protected abstract DeploymentStore newStore();

    @BeforeEach
    void setUpStore() {
        store = newStore();
    }

    private static DeploymentRecord record(long id, int second) {
        return DeploymentRecord.queued(Values.deployment(id), DeploymentLifecycle.created(),
                Instant.parse("2026-11-27T10:00:00Z").plusSeconds(second), "key" + id);
    }

    @Test
    void aReachableStoreAnswersItsPing() {
        assertThat(store.ping(java.time.Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void secondDeliveryOfTheSameIdIsReported() {
        assertThat(store.recordDelivery(DeliveryId.of("d-1"))).isTrue();
        assertThat(store.recordDelivery(DeliveryId.of("d-2"))).isTrue();
        assertThat(store.recordDelivery(DeliveryId.of("d-1"))).isFalse();
    }

    @Test
    void aForgottenDeliveryCountsAsNewWhenItComesAgain() {
        assertThat(store.recordDelivery(DeliveryId.of("d-1"))).isTrue();
        store.forgetDelivery(DeliveryId.of("d-1"));
        store.forgetDelivery(DeliveryId.of("never-seen"));
        assertThat(store.recordDelivery(DeliveryId.of("d-1"))).isTrue();
        assertThat(store.recordDelivery(DeliveryId.of("d-1"))).isFalse();
    }

    @Test
    void insertKeepsTheFirstRecordOfAnId() {
        assertThat(store.insert(record(1, 0))).isTrue();
        assertThat(store.insert(record(1, 5))).isFalse();
        assertThat(store.find(DeploymentId.of(1))).contains(record(1, 0));
        assertThat(store.find(DeploymentId.of(2))).isEmpty();
    }

    /**
     * A deployment's delivery sent twice at once (a redelivery racing the first, or two nodes given
     * the same delivery): the robot stores each copy with its delivery id without looking the id up
     * first, so the insert alone decides. Exactly one copy is stored, and the delivery is seen.
     */
    @Test
    void ofManyThreadsStoringOneDeploymentWithItsDeliveryAtOnceExactlyOneStoresIt() throws Exception {
        int threads = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> stored = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                stored.add(pool.submit(() -> {
                    start.await();
                    return store.insert(record(1, 0), DeliveryId.of("d-1"));
                }));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> f : stored) {
                wins += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
            assertThat(store.find(DeploymentId.of(1))).contains(record(1, 0));
            assertThat(store.deliverySeen(DeliveryId.of("d-1"))).isTrue();
            assertThat(store.insert(record(1, 0), DeliveryId.of("d-1"))).as("the redelivery afterwards").isFalse();
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A redelivery whose deployment is no longer stored (pruned by retention, or past an in-memory store's
     * history) must not store and run that deployment again: the recorded delivery decides.
     */
    @Test
    void aDeliveryRecordedBeforeStoresNothingWithItsDeploymentEvenWhenTheDeploymentIsGone() {
        assertThat(store.recordDelivery(DeliveryId.of("d-9"))).isTrue();
        assertThat(store.insert(record(9, 0), DeliveryId.of("d-9"))).isFalse();
        assertThat(store.find(DeploymentId.of(9))).isEmpty();

        assertThat(store.insert(record(9, 0), DeliveryId.of("d-10"))).as("a new delivery").isTrue();
        assertThat(store.insert(record(9, 0), DeliveryId.of("d-11"))).as("another delivery of a known deployment").isFalse();
        assertThat(store.deliverySeen(DeliveryId.of("d-11"))).as("still recorded").isTrue();
    }

    @Test
    void updateReplacesTheRecord() {
        store.insert(record(1, 0));
        DeploymentRecord moved = record(1, 0).withLifecycle(DeploymentLifecycle.created()
                .advance(DeploymentState.QUEUED, "queued", Instant.EPOCH).lifecycle());
        store.update(moved);
        assertThat(store.find(DeploymentId.of(1)).orElseThrow().state()).isEqualTo(DeploymentState.QUEUED);
    }

    @Test
    void recentListsNewestFirst() {
        store.insert(record(1, 0));
        store.insert(record(2, 10));
        store.insert(record(3, 5));
        assertThat(store.recent(2)).extracting(r -> r.deployment().id().value()).containsExactly(2L, 3L);
    }

    @Test
    void logIsReadFromALineOn() {
        store.insert(record(1, 0));
        store.appendLog(DeploymentId.of(1), "one");
        store.appendLog(DeploymentId.of(1), "two");
        store.appendLog(DeploymentId.of(1), "three");
        LogChunk all = store.readLog(DeploymentId.of(1), 0);
        assertThat(all.lines()).containsExactly("one", "two", "three");
        assertThat(all.nextLine()).isEqualTo(3);
        LogChunk rest = store.readLog(DeploymentId.of(1), 2);
        assertThat(rest.firstLine()).isEqualTo(2);
        assertThat(rest.lines()).containsExactly("three");
        assertThat(store.readLog(DeploymentId.of(1), 3).lines()).isEmpty();
        assertThat(store.readLog(DeploymentId.of(9), 0).lines()).isEmpty();
    }

    @Test
    void laneLockIsOnePerLane() {
        Lock a = store.laneLock("octo/app production");
        assertThat(store.laneLock("octo/app production")).isSameAs(a);
        assertThat(store.laneLock("octo/app staging")).isNotSameAs(a);
        a.lock();
        a.unlock();
    }

    @Test
    void aRecordedDeliveryIsSeen() {
        assertThat(store.deliverySeen(DeliveryId.of("d-1"))).isFalse();
        store.recordDelivery(DeliveryId.of("d-1"));
        assertThat(store.deliverySeen(DeliveryId.of("d-1"))).isTrue();
        assertThat(store.deliverySeen(DeliveryId.of("d-2"))).isFalse();
    }

    @Test
    void linesAppendedTogetherAreReadInOrderAfterSingleOnes() {
        store.insert(record(1, 0));
        store.appendLog(DeploymentId.of(1), "one");
        store.appendLog(DeploymentId.of(1), List.of("two", "three", ""));
        LogChunk all = store.readLog(DeploymentId.of(1), 0);
        assertThat(all.lines()).containsExactly("one", "two", "three", "");
        assertThat(all.nextLine()).isEqualTo(4);
    }

    @Test
    void postedCountOnlyGrows() {
        store.insert(record(1, 0));
        assertThat(store.postedCount(DeploymentId.of(1))).isZero();
        store.markPosted(DeploymentId.of(1), 2);
        store.markPosted(DeploymentId.of(1), 1);
        assertThat(store.postedCount(DeploymentId.of(1))).isEqualTo(2);
        assertThat(store.postedCount(DeploymentId.of(9))).isZero();
    }

    @Test
    void newestStartedIsTheHighestIdThatStartedInThatLane() {
        EnvironmentName staging = EnvironmentName.of("staging");
        store.insert(record(1, 0));
        store.insert(record(3, 1));
        store.insert(record(7, 2));
        DeploymentRecord otherLane = DeploymentRecord.queued(Values.deployment(9, Values.REPO, staging),
                DeploymentLifecycle.created(), Instant.parse("2026-11-27T10:00:00Z"), "key9");
        store.insert(otherLane);
        assertThat(store.newestStarted(Values.REPO, EnvironmentName.PRODUCTION)).isEmpty();
        store.update(record(3, 1).started(Instant.parse("2026-11-27T10:01:00Z")));
        store.update(record(1, 0).started(Instant.parse("2026-11-27T10:02:00Z")));
        store.update(otherLane.started(Instant.parse("2026-11-27T10:03:00Z")));
        assertThat(store.newestStarted(Values.REPO, EnvironmentName.PRODUCTION)).contains(DeploymentId.of(3));
        assertThat(store.newestStarted(Values.REPO, staging)).contains(DeploymentId.of(9));
    }

    @Test
    void olderQueuedIsTheOldestQueuedNeverStartedOneBelowTheId() {
        Instant t = Instant.parse("2026-11-27T10:00:00Z");
        DeploymentLifecycle queued = DeploymentLifecycle.created().advance(DeploymentState.QUEUED, "queued", t).lifecycle();
        for (long id : new long[] {2, 4, 6}) {
            store.insert(DeploymentRecord.queued(Values.deployment(id), queued, t, "key" + id));
        }
        store.update(DeploymentRecord.queued(Values.deployment(2), queued, t, "key2").started(t));
        assertThat(store.olderQueued(Values.REPO, EnvironmentName.PRODUCTION, DeploymentId.of(7))).contains(DeploymentId.of(4));
        assertThat(store.olderQueued(Values.REPO, EnvironmentName.PRODUCTION, DeploymentId.of(6))).contains(DeploymentId.of(4));
        assertThat(store.olderQueued(Values.REPO, EnvironmentName.PRODUCTION, DeploymentId.of(4))).isEmpty();
        assertThat(store.olderQueued(Values.REPO, EnvironmentName.of("staging"), DeploymentId.of(7))).isEmpty();
        store.update(DeploymentRecord.queued(Values.deployment(4), DeploymentLifecycle.created(), t, "key4"));
        assertThat(store.olderQueued(Values.REPO, EnvironmentName.PRODUCTION, DeploymentId.of(7))).contains(DeploymentId.of(6));
    }

    @Test
    void parkedMergesAreListedUntilUnparked() {
        WaitingMerge later = merge("req-later", Instant.parse("2026-11-27T11:00:00Z"));
        WaitingMerge sooner = merge("req-sooner", Instant.parse("2026-11-27T10:30:00Z"));
        store.park(later);
        store.park(sooner);
        assertThat(store.waiting()).containsExactly(sooner, later);
        store.park(later.withMayExist(true));
        assertThat(store.waiting()).containsExactly(sooner, later.withMayExist(true));
        store.unpark("req-sooner");
        store.unpark("never-parked");
        assertThat(store.waiting()).containsExactly(later.withMayExist(true));
    }

    @Test
    void whatThisProcessOwnsIsNeverAnOrphanOfIt() {
        store.insert(record(1, 0));
        store.park(merge("req-1", Instant.parse("2026-11-27T11:00:00Z")));
        store.renewLeases();
        assertThat(store.adoptOrphans().isEmpty()).isTrue();
    }

    @Test
    void aLockIsTakenOnceAndHeldUntilUnlockedOrStolen() {
        Instant t = Instant.parse("2026-11-27T10:00:00Z");
        EnvironmentLock alice = new EnvironmentLock(Values.REPO, EnvironmentName.PRODUCTION, "incident 4711", "alice", t,
                Optional.empty());
        EnvironmentLock bob = new EnvironmentLock(Values.REPO, EnvironmentName.PRODUCTION, "release", "bob", t.plusSeconds(60),
                Optional.empty());
        assertThat(store.lockOf(Values.REPO, EnvironmentName.PRODUCTION)).isEmpty();
        assertThat(store.lock(alice, false)).isEqualTo(alice);
        assertThat(store.lock(bob, false)).as("a held lock is not taken without stealing").isEqualTo(alice);
        assertThat(store.lockOf(Values.REPO, EnvironmentName.PRODUCTION)).contains(alice);
        assertThat(store.lockOf(Values.REPO, EnvironmentName.of("staging"))).isEmpty();
        assertThat(store.unlock(bob)).as("only the lock that holds is removed").isFalse();
        assertThat(store.lock(bob, true)).as("a steal takes it").isEqualTo(bob);
        assertThat(store.unlock(alice)).as("the stolen lock is no longer alice's to remove").isFalse();
        assertThat(store.locks()).containsExactly(bob);
        assertThat(store.unlock(bob)).isTrue();
        assertThat(store.locks()).isEmpty();
    }

    @Test
    void anExpiredLockIsTakenWithoutStealing() {
        Instant t = Instant.parse("2026-11-27T10:00:00Z");
        EnvironmentLock brief = new EnvironmentLock(Values.REPO, EnvironmentName.PRODUCTION, "", "alice", t,
                Optional.of(t.plusSeconds(600)));
        store.lock(brief, false);
        EnvironmentLock early = new EnvironmentLock(Values.REPO, EnvironmentName.PRODUCTION, "", "bob", t.plusSeconds(599),
                Optional.empty());
        assertThat(store.lock(early, false)).isEqualTo(brief);
        EnvironmentLock late = new EnvironmentLock(Values.REPO, EnvironmentName.PRODUCTION, "", "bob", t.plusSeconds(600),
                Optional.empty());
        assertThat(store.lock(late, false)).isEqualTo(late);
        assertThat(store.lockOf(Values.REPO, EnvironmentName.PRODUCTION)).contains(late);
    }

    @Test
    void lastSucceededIsTheNewestDeploymentThatSucceededInTheLane() {
        Instant t = Instant.parse("2026-11-27T10:00:00Z");
        for (long id = 1; id <= 4; id++) {
            store.insert(record(id, (int) id));
        }
        store.update(finished(record(1, 1), DeploymentState.SUCCESS, t));
        store.update(finished(record(2, 2), DeploymentState.SUCCESS, t));
        store.update(finished(record(3, 3), DeploymentState.FAILURE, t));
        assertThat(store.lastSucceeded(Values.REPO, EnvironmentName.PRODUCTION, Optional.empty()))
                .map(r -> r.deployment().id()).contains(DeploymentId.of(2));
        assertThat(store.lastSucceeded(Values.REPO, EnvironmentName.PRODUCTION, Optional.of(Values.deployment(1).sha())))
                .map(r -> r.deployment().id()).contains(DeploymentId.of(2));
        assertThat(store.lastSucceeded(Values.REPO, EnvironmentName.PRODUCTION,
                Optional.of(CommitSha.of("fedcba9876543210fedcba9876543210fedcba98")))).isEmpty();
        assertThat(store.lastSucceeded(Values.REPO, EnvironmentName.of("staging"), Optional.empty())).isEmpty();
    }

    private static final Instant REQUESTED = Instant.parse("2026-11-27T10:00:00.123456789Z");

    private static GatedRun gatedRun(long runId, OptionalLong installation, int second) {
        ProtectionRuleTarget target = new ProtectionRuleTarget(Values.REPO, runId, EnvironmentName.PRODUCTION, installation);
        return GatedRun.requested(target, DeploymentId.of(1000 + runId), Values.SHA, GitRef.of("refs/heads/main"), "octocat",
                "push", REQUESTED.plusSeconds(second), REQUESTED.plusSeconds(second).plusSeconds(3600));
    }

    @Test
    void aGatedRunIsStoredAtVersionOneWithEveryField() {
        GatedRun noInstallation = gatedRun(7, OptionalLong.empty(), 0);
        assertThat(store.insertGated(noInstallation, DeliveryId.of("d-7"))).isTrue();
        assertThat(store.gated(noInstallation.key())).contains(noInstallation.atVersion(1));
        assertThat(store.gated(gatedRun(8, OptionalLong.empty(), 0).key())).isEmpty();

        GatedRun run = gatedRun(9, OptionalLong.of(4242), 1);
        assertThat(store.insertGated(run, DeliveryId.of("d-9"))).isTrue();
        GatedRun stored = store.gated(run.key()).orElseThrow();
        assertThat(stored).isEqualTo(run.atVersion(1));
        assertThat(stored.target().installationId()).hasValue(4242);
    }

    @Test
    void aReplacedGatedRunKeepsApprovalsReportsAndItsDecisionExactly() {
        GatedRun run = gatedRun(9, OptionalLong.of(4242), 0);
        store.insertGated(run, DeliveryId.of("d-9"));
        GatedRun full = store.gated(run.key()).orElseThrow()
                .approvedAs("alice", REQUESTED.plusNanos(1))
                .approvedAs("bob-the-2nd", REQUESTED.plusSeconds(61).plusNanos(987_654_321))
                .reportedAs("waiting for ci/build\nand 1 of 2 approvals, « élan » ✓")
                .reportedAs("locked by ops: incident 4711 since 14:02")
                .announcedLongWait()
                .decided(GatedRun.State.APPROVED, "approved by carol", Optional.of("carol"), REQUESTED.plusSeconds(120).plusNanos(7))
                .delivered(GatedRun.Delivery.SENT);
        Optional<GatedRun> replaced = store.replaceGated(full);
        assertThat(replaced).contains(full.atVersion(2));
        assertThat(store.gated(run.key())).contains(full.atVersion(2));
        GatedRun read = store.gated(run.key()).orElseThrow();
        assertThat(read.approvals()).extracting(GatedRun.Approval::user).containsExactly("alice", "bob-the-2nd");
        assertThat(read.approvals().get(1).at()).isEqualTo(REQUESTED.plusSeconds(61).plusNanos(987_654_321));
        assertThat(read.reportsSent()).isEqualTo(2);
        assertThat(read.decidedBy()).contains("carol");
        assertThat(read.decidedAt()).contains(REQUESTED.plusSeconds(120).plusNanos(7));

        GatedRun byRobot = read.decided(GatedRun.State.REJECTED, "deadline passed", Optional.empty(), REQUESTED.plusSeconds(200))
                .delivered(GatedRun.Delivery.NOT_CONFIGURED);
        assertThat(store.replaceGated(byRobot)).contains(byRobot.atVersion(3));
        assertThat(store.gated(run.key())).contains(byRobot.atVersion(3));
        assertThat(store.gated(run.key()).orElseThrow().decidedBy()).isEmpty();
    }

    @Test
    void insertingAGatedRunAgainKeepsTheFirstAndRecordsTheDelivery() {
        GatedRun first = gatedRun(7, OptionalLong.of(1), 0);
        assertThat(store.insertGated(first, DeliveryId.of("d-1"))).isTrue();
        GatedRun again = gatedRun(7, OptionalLong.of(2), 30).waitingFor("asked again");
        assertThat(store.insertGated(again, DeliveryId.of("d-2"))).isFalse();
        assertThat(store.gated(first.key())).contains(first.atVersion(1));
        assertThat(store.deliverySeen(DeliveryId.of("d-1"))).isTrue();
        assertThat(store.deliverySeen(DeliveryId.of("d-2"))).as("a refused insert still records its delivery").isTrue();
        assertThat(store.recordDelivery(DeliveryId.of("d-2"))).isFalse();
    }

    @Test
    void ofTwoWritersThatReadTheSameVersionExactlyOneWins() {
        GatedRun run = gatedRun(7, OptionalLong.of(1), 0);
        store.insertGated(run, DeliveryId.of("d-1"));
        GatedRun readByA = store.gated(run.key()).orElseThrow();
        GatedRun readByB = store.gated(run.key()).orElseThrow();
        GatedRun approve = readByA.decided(GatedRun.State.APPROVED, "CI green", Optional.empty(), REQUESTED.plusSeconds(5));
        GatedRun reject = readByB.decided(GatedRun.State.REJECTED, "rejected by bob", Optional.of("bob"), REQUESTED.plusSeconds(5));
        assertThat(store.replaceGated(approve)).contains(approve.atVersion(2));
        assertThat(store.replaceGated(reject)).as("B read version 1, which is gone").isEmpty();
        assertThat(store.gated(run.key())).contains(approve.atVersion(2));
    }

    @Test
    void aStaleOrUnknownVersionIsRefused() {
        GatedRun run = gatedRun(7, OptionalLong.of(1), 0);
        store.insertGated(run, DeliveryId.of("d-1"));
        GatedRun v1 = store.gated(run.key()).orElseThrow();
        GatedRun v2 = store.replaceGated(v1.waitingFor("waiting for ci/build")).orElseThrow();
        assertThat(v2.version()).isEqualTo(2);
        assertThat(store.replaceGated(v1.waitingFor("stale"))).isEmpty();
        assertThat(store.replaceGated(v2.atVersion(3).waitingFor("from the future"))).isEmpty();
        assertThat(store.replaceGated(gatedRun(8, OptionalLong.of(1), 0).atVersion(1))).as("never inserted").isEmpty();
        assertThat(store.gated(gatedRun(8, OptionalLong.of(1), 0).key())).isEmpty();
        GatedRun v3 = store.replaceGated(v2.reportedAs("waiting for ci/build")).orElseThrow();
        assertThat(v3.version()).isEqualTo(3);
        assertThat(store.gated(run.key())).contains(v3);
    }

    @Test
    void gatedRunsListWaitingAndUnsentOnesFirstThenTheNewest() {
        Instant at = REQUESTED.plusSeconds(600);
        GatedRun sent = gatedRun(1, OptionalLong.of(1), 1);
        GatedRun waitingOld = gatedRun(2, OptionalLong.of(1), 2);
        GatedRun unsent = gatedRun(3, OptionalLong.of(1), 3);
        GatedRun refused = gatedRun(4, OptionalLong.of(1), 4);
        GatedRun waitingNew = gatedRun(5, OptionalLong.empty(), 5);
        for (GatedRun g : List.of(sent, waitingOld, unsent, refused, waitingNew)) {
            store.insertGated(g, DeliveryId.of("d-" + g.target().runId()));
        }
        store.replaceGated(sent.atVersion(1).decided(GatedRun.State.APPROVED, "ok", Optional.empty(), at)
                .delivered(GatedRun.Delivery.SENT)).orElseThrow();
        store.replaceGated(unsent.atVersion(1).decided(GatedRun.State.REJECTED, "CI red", Optional.empty(), at)).orElseThrow();
        store.replaceGated(refused.atVersion(1).decided(GatedRun.State.APPROVED, "ok", Optional.of("alice"), at)
                .delivered(GatedRun.Delivery.REFUSED)).orElseThrow();

        assertThat(store.gatedRuns(10)).extracting(g -> g.target().runId()).containsExactly(5L, 3L, 2L, 4L, 1L);
        assertThat(store.gatedRuns(3)).extracting(g -> g.target().runId()).containsExactly(5L, 3L, 2L);
        assertThat(store.gatedRuns(0)).isEmpty();
        assertThat(store.gatedRuns(10).get(1)).isEqualTo(store.gated(unsent.key()).orElseThrow());
    }

    @Test
    void ofManyThreadsDecidingOneGatedRunAtOnceExactlyOneDecides() throws Exception {
        GatedRun run = gatedRun(7, OptionalLong.of(1), 0);
        store.insertGated(run, DeliveryId.of("d-1"));
        int threads = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> won = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String user = "user" + t;
                won.add(pool.submit(() -> {
                    start.await();
                    GatedRun seen = store.gated(run.key()).orElseThrow();
                    while (seen.waiting()) {
                        GatedRun decision = seen.decided(GatedRun.State.APPROVED, "approved by " + user, Optional.of(user),
                                REQUESTED.plusSeconds(1));
                        if (store.replaceGated(decision).isPresent()) {
                            return true;
                        }
                        seen = store.gated(run.key()).orElseThrow();
                    }
                    return false;
                }));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> f : won) {
                wins += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
            GatedRun decided = store.gated(run.key()).orElseThrow();
            assertThat(decided.version()).isEqualTo(2);
            assertThat(decided.reason()).isEqualTo("approved by " + decided.decidedBy().orElseThrow());
        } finally {
            pool.shutdownNow();
        }
    }

    private static DeploymentRecord finished(DeploymentRecord queued, DeploymentState end, Instant t) {
        DeploymentLifecycle l = queued.lifecycle().advance(DeploymentState.QUEUED, "queued", t).lifecycle()
                .advance(DeploymentState.IN_PROGRESS, "deploying", t).lifecycle().advance(end, "done", t).lifecycle();
        return queued.withLifecycle(l).started(t).finished(t);
    }

    private static WaitingMerge merge(String requestId, Instant deadline) {
        return new WaitingMerge(requestId, Values.REPO, EnvironmentName.PRODUCTION,
                CommitSha.of("0123456789abcdef0123456789abcdef01234567"), "main", Requester.of("octocat"),
                "merge of pull request #1 by octocat", deadline, false);
    }
}
