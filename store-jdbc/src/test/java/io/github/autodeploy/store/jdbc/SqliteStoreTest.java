package io.github.autodeploy.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.AutodeployException;
import io.github.autodeploy.core.lifecycle.DeploymentLifecycle;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.LogChunk;
import io.github.autodeploy.core.store.Orphans;
import io.github.autodeploy.core.store.WaitingMerge;
import io.github.autodeploy.core.store.StepRecord;
import io.github.autodeploy.testkit.ManualTimeSource;
import io.github.autodeploy.testkit.Values;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest {
    @TempDir
    Path folder;

    private String url() {
        return "jdbc:sqlite:" + folder.resolve("state/autodeploy.db");
    }

    static DeploymentRecord finished(long id, Instant queued) {
        DeploymentLifecycle.Step queuedStep = DeploymentLifecycle.created().advance(DeploymentState.QUEUED, "queued", queued);
        DeploymentLifecycle.Step running = queuedStep.lifecycle().advance(DeploymentState.IN_PROGRESS, "running", queued.plusNanos(1_500));
        DeploymentLifecycle.Step done = running.lifecycle().advance(DeploymentState.SUCCESS, "deployed in 12s", queued.plusSeconds(12));
        return DeploymentRecord.queued(Values.deployment(id), done.lifecycle(), queued, "page-" + id)
                .started(queued.plusNanos(1_500)).finished(queued.plusSeconds(12))
                .withStep(new StepRecord("make deploy", new StepResult(StepResult.Outcome.SUCCEEDED, 0, Duration.ofMillis(11_250), "exit code 0")));
    }

    @Test
    void aNewStoreOnTheSameFileReadsWhatTheOldOneWrote() {
        Instant at = Instant.parse("2026-11-27T10:00:00.123456789Z");
        try (JdbcDeploymentStore first = JdbcDeploymentStore.open(url())) {
            first.insert(finished(7, at));
            first.appendLog(DeploymentId.of(7), "$ make deploy");
            first.appendLog(DeploymentId.of(7), "done \u0000 ✓");
            first.recordDelivery(DeliveryId.of("delivery-1"));
        }
        try (JdbcDeploymentStore again = JdbcDeploymentStore.open(url())) {
            assertThat(again.find(DeploymentId.of(7))).contains(finished(7, at));
            assertThat(again.readLog(DeploymentId.of(7), 0).lines()).containsExactly("$ make deploy", "done \uFFFD ✓");
            assertThat(again.recordDelivery(DeliveryId.of("delivery-1"))).isFalse();
            assertThat(again.recordDelivery(DeliveryId.of("delivery-2"))).isTrue();
        }
    }

    @Test
    void aRestartAdoptsAtOnceEverythingUnsettledTheEarlierRunLeftAndNothingSettled() {
        ManualTimeSource time = ManualTimeSource.at("2026-11-27T10:00:00Z");
        Instant at = time.now();
        WaitingMerge sooner = Records.merge("req-1", at.plusSeconds(600));
        WaitingMerge later = Records.merge("req-2", at.plusSeconds(900));
        JdbcDeploymentStore crashed = JdbcDeploymentStore.builder().url(url()).nodeId("robot").timeSource(time).build();
        try {
            crashed.insert(finished(1, at));
            crashed.markPosted(DeploymentId.of(1), 3);
            crashed.insert(finished(2, at));
            crashed.markPosted(DeploymentId.of(2), 1);
            crashed.insert(Records.running(3, at));
            crashed.insert(Records.queued(4, at));
            crashed.park(later);
            crashed.park(sooner);
            crashed.renewLeases();

            // The same node id, a new process: its leases are fresh, but nobody else uses the file.
            try (JdbcDeploymentStore restarted = JdbcDeploymentStore.builder().url(url()).nodeId("robot").timeSource(time).build()) {
                assertThat(restarted.shared()).isFalse();
                assertThat(restarted.durable()).isTrue();
                Orphans taken = restarted.adoptOrphans();
                assertThat(taken.deployments()).containsExactly(new Orphans.Adopted(finished(2, at), 1),
                        new Orphans.Adopted(Records.running(3, at), 0), new Orphans.Adopted(Records.queued(4, at), 0));
                assertThat(taken.waiting()).containsExactly(sooner, later);
                assertThat(restarted.adoptOrphans().isEmpty()).isTrue();
                assertThat(restarted.waiting()).containsExactly(sooner, later);
            }
        } finally {
            crashed.close();
        }
    }

    @Test
    void linesAppendedTogetherKeepTheNewestWithinTheByteLimit() {
        try (JdbcDeploymentStore store = JdbcDeploymentStore.builder().url(url()).logLimitBytes(20).build()) {
            store.insert(finished(1, Instant.EPOCH));
            store.appendLog(DeploymentId.of(1), List.of("line 0", "line 1", "line 2", "line 3", "line 4")); // 7 bytes each
            LogChunk tail = store.readLog(DeploymentId.of(1), 0);
            assertThat(tail.firstLine()).isEqualTo(3);
            assertThat(tail.lines()).containsExactly("line 3", "line 4");
            assertThat(tail.nextLine()).isEqualTo(5);
            store.appendLog(DeploymentId.of(9), List.of("unknown deployment"));
            assertThat(store.readLog(DeploymentId.of(9), 0).lines()).isEmpty();
        }
    }

    @Test
    void theFileAndItsFolderAreCreatedInWalMode() throws SQLException {
        try (JdbcDeploymentStore store = JdbcDeploymentStore.open(url())) {
            assertThat(store.describe()).isEqualTo(url());
        }
        assertThat(folder.resolve("state/autodeploy.db")).isRegularFile();
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("PRAGMA journal_mode")) {
            r.next();
            assertThat(r.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void aLogKeepsItsNewestLinesWithinTheByteLimit() {
        try (JdbcDeploymentStore store = JdbcDeploymentStore.builder().url(url()).logLimitBytes(20).build()) {
            store.insert(finished(1, Instant.EPOCH));
            for (int i = 0; i < 10; i++) {
                store.appendLog(DeploymentId.of(1), "line " + i); // 7 bytes with its newline
            }
            LogChunk tail = store.readLog(DeploymentId.of(1), 0);
            assertThat(tail.firstLine()).isEqualTo(8);
            assertThat(tail.lines()).containsExactly("line 8", "line 9");
            assertThat(tail.nextLine()).isEqualTo(10);
            store.appendLog(DeploymentId.of(1), "x".repeat(100));
            assertThat(store.readLog(DeploymentId.of(1), 0).lines()).containsExactly("x".repeat(100));
        }
    }

    @Test
    void aLogOfAnUnknownDeploymentIsNotKept() {
        try (JdbcDeploymentStore store = JdbcDeploymentStore.open(url())) {
            store.appendLog(DeploymentId.of(5), "lost");
            store.insert(finished(5, Instant.EPOCH));
            assertThat(store.readLog(DeploymentId.of(5), 0).lines()).isEmpty();
        }
    }

    @Test
    void pruneRemovesDeploymentsPastTheRetentionDeliveriesPastTheWindowAndLongExpiredWaitingMerges() {
        ManualTimeSource time = ManualTimeSource.at("2026-11-27T10:00:00Z");
        try (JdbcDeploymentStore store = JdbcDeploymentStore.builder().url(url()).timeSource(time)
                .retention(Duration.ofDays(90)).dedupeWindow(Duration.ofDays(7)).build()) {
            store.insert(finished(1, time.now()));
            store.appendLog(DeploymentId.of(1), "old");
            store.recordDelivery(DeliveryId.of("old"));
            store.park(Records.merge("given-up", time.now().plusSeconds(3600)));
            time.advance(Duration.ofDays(8));
            store.recordDelivery(DeliveryId.of("recent"));
            store.insert(finished(2, time.now()));

            assertThat(store.prune()).isEqualTo(new PruneResult(0, 1, 0, 0, 0));
            assertThat(store.recordDelivery(DeliveryId.of("recent"))).isFalse();
            assertThat(store.recordDelivery(DeliveryId.of("old"))).isTrue();

            time.advance(Duration.ofDays(83));
            assertThat(store.prune()).isEqualTo(new PruneResult(1, 2, 1, 0, 0));
            assertThat(store.waiting()).isEmpty();
            assertThat(store.find(DeploymentId.of(1))).isEmpty();
            assertThat(store.readLog(DeploymentId.of(1), 0).lines()).isEmpty();
            assertThat(store.find(DeploymentId.of(2))).isPresent();
        }
    }

    @Test
    void pruneKeepsTheNewestStartedDeploymentOfALaneHoweverOldSoNothingOlderRunsAfterIt() {
        ManualTimeSource time = ManualTimeSource.at("2026-11-27T10:00:00Z");
        try (JdbcDeploymentStore store = JdbcDeploymentStore.builder().url(url()).timeSource(time)
                .retention(Duration.ofDays(90)).dedupeWindow(Duration.ofDays(7)).build()) {
            store.insert(finished(40, time.now()));
            store.insert(finished(41, time.now()));
            time.advance(Duration.ofDays(400));
            assertThat(store.prune().deployments()).isEqualTo(1);
            assertThat(store.find(DeploymentId.of(40))).isEmpty();
            assertThat(store.find(DeploymentId.of(41))).as("the lane's newest started one stays").isPresent();
            assertThat(store.newestStarted(Values.REPO, EnvironmentName.PRODUCTION)).contains(DeploymentId.of(41));
        }
    }

    @Test
    void pruneDropsTheOldestFinishedLogsUntilAllLogsFitTheBudget() {
        ManualTimeSource time = ManualTimeSource.at("2026-11-27T10:00:00Z");
        String line = "x".repeat(99); // 100 bytes with its newline
        try (JdbcDeploymentStore store = JdbcDeploymentStore.builder().url(url()).timeSource(time)
                .logLimitBytes(2048).logBudgetBytes(4096).build()) {
            for (long id = 1; id <= 3; id++) {
                store.insert(finished(id, time.now().plusSeconds(id)));
                store.appendLog(DeploymentId.of(id), java.util.Collections.nCopies(20, line));
            }
            store.insert(DeploymentRecord.queued(Values.deployment(4), DeploymentLifecycle.created(), time.now(), "key4"));
            store.appendLog(DeploymentId.of(4), java.util.Collections.nCopies(20, line));
            // 8000 bytes in four logs of 2000; the budget holds 4096: the two oldest finished ones go.
            assertThat(store.prune()).isEqualTo(new PruneResult(0, 0, 0, 2, 0));
            LogChunk dropped = store.readLog(DeploymentId.of(1), 0);
            assertThat(dropped.lines()).isEmpty();
            assertThat(dropped.firstLine()).isEqualTo(20);
            assertThat(store.readLog(DeploymentId.of(2), 0).lines()).isEmpty();
            assertThat(store.readLog(DeploymentId.of(3), 0).lines()).hasSize(20);
            assertThat(store.readLog(DeploymentId.of(4), 0).lines()).as("an unfinished deployment keeps its log").hasSize(20);
            assertThat(store.find(DeploymentId.of(1))).as("the deployment stays, only its log goes").isPresent();
            assertThat(store.prune()).isEqualTo(new PruneResult(0, 0, 0, 0, 0));
        }
    }

    @Test
    void aStoreFileThatCannotBeCreatedIsReportedWithItsUrl() throws Exception {
        Path notAFolder = Files.writeString(folder.resolve("plain-file"), "x");
        String bad = "jdbc:sqlite:" + notAFolder.resolve("autodeploy.db");
        assertThatThrownBy(() -> JdbcDeploymentStore.open(bad))
                .isInstanceOf(AutodeployException.class).hasMessageContaining(notAFolder.toString()).hasMessageContaining("store.url");
    }

    @Test
    void anUnsupportedUrlIsRefusedWithWhatToUse() {
        assertThatThrownBy(() -> JdbcDeploymentStore.open("jdbc:mysql://db/app?password=hunter2"))
                .isInstanceOf(AutodeployException.class)
                .hasMessageContaining("jdbc:sqlite:FILE").hasMessageContaining("password=***").hasMessageNotContaining("hunter2");
    }

    @Test
    void theBuilderNeedsExactlyOneDatabase() {
        assertThatThrownBy(() -> JdbcDeploymentStore.builder().build()).isInstanceOf(AutodeployException.class)
                .hasMessageContaining("neither");
    }

    @Test
    void deliveriesStoredByManyThreadsAtOnceAreAllThereAfterAReopenAndEachOnlyOnce() throws Exception {
        Instant at = Instant.parse("2026-11-27T10:00:00Z");
        int threads = 16;
        int each = 40;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try (JdbcDeploymentStore store = JdbcDeploymentStore.open(url())) {
            List<java.util.concurrent.Future<Integer>> senders = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * each + 1;
                senders.add(pool.submit(() -> {
                    int inserted = 0;
                    for (int id = first; id < first + each; id++) {
                        inserted += store.insert(Records.queued(id, at), DeliveryId.of("delivery-" + id)) ? 1 : 0;
                        // a redelivery of the previous one, as GitHub sends on a timeout: stored once
                        inserted += store.insert(Records.queued(id, at), DeliveryId.of("delivery-" + id)) ? 1 : 0;
                        store.appendLog(DeploymentId.of(id), "$ deploy " + id);
                    }
                    return inserted;
                }));
            }
            int inserted = 0;
            for (java.util.concurrent.Future<Integer> f : senders) {
                inserted += f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertThat(inserted).isEqualTo(threads * each);
        } finally {
            pool.shutdownNow();
        }
        try (JdbcDeploymentStore again = JdbcDeploymentStore.open(url())) {
            assertThat(again.recent(10_000)).hasSize(threads * each);
            for (int id = 1; id <= threads * each; id++) {
                assertThat(again.deliverySeen(DeliveryId.of("delivery-" + id))).isTrue();
                assertThat(again.find(DeploymentId.of(id))).contains(Records.queued(id, at));
                assertThat(again.readLog(DeploymentId.of(id), 0).lines()).containsExactly("$ deploy " + id);
            }
        }
    }
}
