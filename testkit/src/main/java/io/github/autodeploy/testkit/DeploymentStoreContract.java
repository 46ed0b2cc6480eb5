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
import io.github.autodeploy.core.store.WaitingMerge;
import java.util.List;
import java.util.Optional;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.core.store.LogChunk;
import java.time.Instant;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeploymentStore} must do: remember deliveries and deployments, list them newest
 * first, keep logs readable from a line on, and hand out one lock per lane. To check a store, extend
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
