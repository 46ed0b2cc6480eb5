package io.github.autodeploy.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;

/**
 * A lane held by a node that is gone while its database session is not (a host that lost power
 * leaves its connection half open for hours): the next node frees it after a lease timeout.
 */
class DeadLaneHolderTest {

    @Test
    @org.junit.jupiter.api.Timeout(60) // without the freeing, lock() would wait for hours: fail instead
    void aLaneHeldByANodeThatRenewsNoLeaseIsFreedAfterALeaseTimeout() throws Exception {
        String url = TestPostgres.freshSchemaUrl();
        String lane = "octo/app production";
        try (JdbcDeploymentStore store = JdbcDeploymentStore.builder().url(url).nodeId("live-node")
                .leaseTimeout(Duration.ofSeconds(1)).build();
             Connection ghost = DriverManager.getConnection(url)) {
            // The gone node: its session holds the lane's advisory lock, and its holder row is old.
            try (PreparedStatement s = ghost.prepareStatement("SELECT pg_advisory_lock(?)")) {
                s.setLong(1, LaneLock.key(lane));
                s.executeQuery().close();
            }
            try (PreparedStatement s = ghost.prepareStatement("INSERT INTO autodeploy_lane_locks (lane, lock_key, holder, acquired_at) "
                    + "VALUES (?, ?, 'gone-node#0123456789ab', 0)")) {
                s.setString(1, lane);
                s.setLong(2, LaneLock.key(lane));
                s.executeUpdate();
            }
            Lock lock = store.laneLock(lane);
            lock.lock(); // returns once the ghost's session is ended
            try {
                assertThat(ghost.isValid(2)).as("the gone node's session was ended").isFalse();
            } finally {
                lock.unlock();
            }
        }
    }

    @Test
    void aLaneHeldByANodeThatRenewsALeaseIsNotTakenFromIt() throws Exception {
        String url = TestPostgres.freshSchemaUrl();
        String lane = "octo/app production";
        try (JdbcDeploymentStore holder = JdbcDeploymentStore.builder().url(url).nodeId("holding-node")
                .leaseTimeout(Duration.ofSeconds(1)).build();
             JdbcDeploymentStore waiter = JdbcDeploymentStore.builder().url(url).nodeId("waiting-node")
                     .leaseTimeout(Duration.ofSeconds(1)).build()) {
            holder.insert(io.github.autodeploy.core.store.DeploymentRecord.queued(io.github.autodeploy.testkit.Values.deployment(1),
                    io.github.autodeploy.core.lifecycle.DeploymentLifecycle.created(), java.time.Instant.now(), "k1"));
            Lock held = holder.laneLock(lane);
            held.lock();
            java.util.concurrent.atomic.AtomicBoolean got = new java.util.concurrent.atomic.AtomicBoolean();
            Thread waiting = new Thread(() -> {
                Lock lock = waiter.laneLock(lane);
                lock.lock();
                got.set(true);
                lock.unlock();
            }, "waiting-node-lane");
            try {
                waiting.start();
                // Three lease timeouts in which the holder renews its lease: the waiter looks and leaves it.
                org.awaitility.Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                        .pollInterval(Duration.ofMillis(200)).until(() -> {
                            holder.renewLeases();
                            return !got.get();
                        });
            } finally {
                held.unlock();
            }
            waiting.join(10_000);
            assertThat(got).as("the waiter takes the lane once its holder frees it").isTrue();
        }
    }
}
