package io.github.autodeploy.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.AutodeployException;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentId;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two store instances on one PostgreSQL database behave as the store of two nodes of one robot. */
class PostgresNodesTest {
    private static final String LANE = "octo/app production";
    private String url;
    private JdbcDeploymentStore nodeA;
    private JdbcDeploymentStore nodeB;

    @BeforeEach
    void twoNodes() {
        url = TestPostgres.freshSchemaUrl();
        nodeA = JdbcDeploymentStore.builder().url(url + "&ApplicationName=node-a").nodeId("node-a").poolSize(3).build();
        nodeB = JdbcDeploymentStore.builder().url(url + "&ApplicationName=node-b").nodeId("node-b").poolSize(3).build();
    }

    @AfterEach
    void close() {
        nodeA.close();
        nodeB.close();
    }

    @Test
    void aDeliveryRecordedByOneNodeIsADuplicateForTheOther() {
        assertThat(nodeA.recordDelivery(DeliveryId.of("72d3162e-cc78-11e3-81ab-4c9367dc0958"))).isTrue();
        assertThat(nodeB.recordDelivery(DeliveryId.of("72d3162e-cc78-11e3-81ab-4c9367dc0958"))).isFalse();
    }

    @Test
    void aDeploymentAndItsLogWrittenByOneNodeAreReadByTheOther() {
        nodeA.insert(SqliteStoreTest.finished(42, Instant.parse("2026-11-27T10:00:00.000001Z")));
        nodeA.appendLog(DeploymentId.of(42), "ok");
        assertThat(nodeB.find(DeploymentId.of(42))).contains(SqliteStoreTest.finished(42, Instant.parse("2026-11-27T10:00:00.000001Z")));
        assertThat(nodeB.readLog(DeploymentId.of(42), 0).lines()).containsExactly("ok");
        assertThat(nodeB.insert(SqliteStoreTest.finished(42, Instant.EPOCH))).isFalse();
    }

    @Test
    void aLaneLockedByOneNodeIsNotTakenByTheOtherUntilFreed() throws Exception {
        Lock a = nodeA.laneLock(LANE);
        Lock b = nodeB.laneLock(LANE);
        a.lock();
        assertThat(b.tryLock()).isFalse();
        assertThat(b.tryLock(200, TimeUnit.MILLISECONDS)).isFalse();
        Lock otherLane = nodeB.laneLock("octo/app staging");
        assertThat(otherLane.tryLock()).isTrue();
        otherLane.unlock();

        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            b.lock();
            b.unlock();
        });
        assertThat(waiting).isNotDone();
        a.unlock();
        assertThat(waiting).succeedsWithin(Duration.ofSeconds(30));
    }

    @Test
    void theHolderIsRecordedWhileTheLaneIsHeld() throws Exception {
        Lock a = nodeA.laneLock(LANE);
        a.lock();
        try {
            assertThat(holders()).startsWith("node-a#");
        } finally {
            a.unlock();
        }
        assertThat(holders()).isEmpty();
    }

    @Test
    void aDeadHoldersLaneIsFreedWhenItsConnectionCloses() throws Exception {
        Lock a = nodeA.laneLock(LANE);
        Lock b = nodeB.laneLock(LANE);
        a.lock();
        assertThat(b.tryLock()).isFalse();

        TestPostgres.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'node-a'");

        await().atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> b.tryLock(100, TimeUnit.MILLISECONDS));
        b.unlock();
        a.unlock(); // the dead connection only makes this log a warning
    }

    @Test
    void anUnreachableServerIsReportedWithTheUrlAndNoPassword() {
        assertThatThrownBy(() -> JdbcDeploymentStore.builder()
                .url("jdbc:postgresql://127.0.0.1:1/autodeploy?user=robot&password=hunter2")
                .connectTimeout(Duration.ofSeconds(1)).build())
                .isInstanceOf(AutodeployException.class)
                .hasMessageContaining("cannot reach the store at jdbc:postgresql://127.0.0.1:1/autodeploy?user=robot&password=***")
                .hasMessageContaining("store.url")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aWrongPasswordIsReportedWithoutIt() {
        String wrong = TestPostgres.url().replaceAll("password=[^&]*", "password=not-the-password");
        assertThatThrownBy(() -> JdbcDeploymentStore.builder().url(wrong).connectTimeout(Duration.ofSeconds(5)).build())
                .isInstanceOf(AutodeployException.class)
                .hasMessageContaining("password authentication failed")
                .hasMessageNotContaining("not-the-password");
    }

    private String holders() throws Exception {
        try (var c = java.sql.DriverManager.getConnection(url); var s = c.createStatement();
             var r = s.executeQuery("SELECT holder FROM autodeploy_lane_locks WHERE lane = '" + LANE + "'")) {
            return r.next() ? r.getString(1) : "";
        }
    }
}
