package io.github.autodeploy.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * {@link GroupCommit} on a real SQLite file. The data source opens a new connection per batch, so the
 * connection a work is handed tells which batch (which transaction) it ran in. A first write that
 * waits on a latch holds the commit lock while the others queue up behind it.
 */
class GroupCommitTest {
    @TempDir
    Path folder;

    private SQLiteDataSource dataSource;
    private GroupCommit writes;
    private ExecutorService threads;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void openFile() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + folder.resolve("writes.db"));
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, parent INTEGER "
                    + "REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)");
        }
        writes = new GroupCommit(dataSource);
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stopThreads() throws InterruptedException {
        release.countDown();
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void writersThatQueueWhileABatchRunsShareTheNextTransaction() throws Exception {
        Future<Connection> first = holdTheLock(1);
        Set<Connection> batches = ConcurrentHashMap.newKeySet();
        List<Future<Integer>> queued = new ArrayList<>();
        for (int id = 2; id <= 11; id++) {
            int row = id;
            queued.add(threads.submit(() -> writes.run(false, c -> {
                batches.add(c);
                return insert(c, row, null);
            })));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 10);

        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isNotNull();
        for (Future<Integer> f : queued) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(batches).hasSize(1).doesNotContain(first.get());
        assertThat(ids()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    }

    @Test
    void aQueueLongerThanOneBatchIsCommittedInSeveralAndEveryWriterReturns() throws Exception {
        holdTheLock(1);
        Set<Connection> batches = ConcurrentHashMap.newKeySet();
        List<Future<Integer>> queued = new ArrayList<>();
        int writers = GroupCommit.MAX_BATCH + 3;
        for (int i = 0; i < writers; i++) {
            int row = 100 + i;
            queued.add(threads.submit(() -> writes.run(false, c -> {
                batches.add(c);
                return insert(c, row, null);
            })));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> writes.queued() == writers);

        release.countDown();

        for (Future<Integer> f : queued) {
            assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(batches).hasSize(2);
        assertThat(ids()).hasSize(writers + 1);
    }

    @Test
    void aWriteThatThrowsIsUndoneAloneAndItsCallerGetsTheException() throws Exception {
        holdTheLock(1);
        Set<Connection> batches = ConcurrentHashMap.newKeySet();
        Future<Integer> before = threads.submit(() -> writes.run(false, c -> {
            batches.add(c);
            return insert(c, 2, null);
        }));
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 1);
        Future<Integer> failing = threads.submit(() -> writes.run(true, c -> {
            batches.add(c);
            insert(c, 3, null);
            return insert(c, 2, null); // the primary key of the write before it
        }));
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 2);
        Future<Integer> after = threads.submit(() -> writes.run(false, c -> {
            batches.add(c);
            return insert(c, 4, null);
        }));
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 3);

        release.countDown();

        assertThat(before.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SQLException.class).hasMessageContaining("UNIQUE");
        assertThat(batches).hasSize(1);
        assertThat(ids()).containsExactly(1, 2, 4);
    }

    @Test
    void aBatchWhoseCommitFailsFailsEveryWriteInItAndKeepsNone() throws Exception {
        holdTheLock(1);
        Future<Integer> fine = threads.submit(() -> writes.run(false, c -> insert(c, 2, null)));
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 1);
        // A deferred foreign key is checked at COMMIT: this write passes its savepoint and sinks the batch.
        Future<Integer> orphan = threads.submit(() -> writes.run(false, c -> insert(c, 3, 999L)));
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 2);

        release.countDown();

        for (Future<Integer> f : List.of(fine, orphan)) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SQLException.class).hasMessageContaining("FOREIGN KEY");
        }
        assertThat(ids()).containsExactly(1);
        int next = writes.run(false, c -> insert(c, 5, null));
        assertThat(next).as("the next batch is not disturbed").isEqualTo(1);
        assertThat(ids()).containsExactly(1, 5);
    }

    @Test
    void underManyWritersEveryCallerLearnsExactlyWhatWasKept() throws Exception {
        insertAlone(1);
        int writers = 16;
        int each = 60;
        List<Future<List<Integer>>> outcomes = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int base = 1000 * (w + 1);
            outcomes.add(threads.submit(() -> {
                List<Integer> kept = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    int row = base + i;
                    boolean failing = i % 5 == 3;
                    try {
                        writes.run(i % 2 == 0, c -> {
                            insert(c, row, null);
                            return failing ? insert(c, 1, null) : 1; // row 1 exists: this write must leave nothing
                        });
                        kept.add(row);
                    } catch (SQLException e) {
                        assertThat(failing).as("write of row " + row + " failed: " + e.getMessage()).isTrue();
                    }
                    assertThat(failing && kept.contains(row)).as("failing write of row " + row + " was kept").isFalse();
                }
                return kept;
            }));
        }
        List<Integer> expected = new ArrayList<>(List.of(1));
        for (Future<List<Integer>> f : outcomes) {
            expected.addAll(f.get(60, TimeUnit.SECONDS));
        }
        assertThat(expected).hasSize(1 + writers * (each - each / 5));
        assertThat(ids()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aWriteAloneInItsBatchThatThrowsKeepsNothingAndTheNextWriteIsFine() throws SQLException {
        assertThatThrownBy(() -> writes.run(true, c -> {
            insert(c, 7, null);
            throw new IllegalArgumentException("refused after writing");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("refused after writing");
        assertThatThrownBy(() -> writes.run(false, c -> insert(c, 8, 999L)))
                .as("a commit that fails (deferred foreign key)").isInstanceOf(SQLException.class)
                .hasMessageContaining("FOREIGN KEY");
        int next = writes.run(false, c -> insert(c, 9, null));
        assertThat(next).isEqualTo(1);
        assertThat(ids()).containsExactly(9);
    }

    @Test
    void aWriteThatFailsForWantOfDiskMarksTheFileUnwritableUntilAWriteCommitsAgain() throws SQLException {
        assertThat(writes.writable()).isTrue();
        assertThatThrownBy(() -> writes.run(true, c -> {
            insert(c, 1, null);
            throw new org.sqlite.SQLiteException("[SQLITE_FULL] database or disk is full", org.sqlite.SQLiteErrorCode.SQLITE_FULL);
        })).hasMessageContaining("SQLITE_FULL");
        assertThat(writes.writable()).isFalse();
        assertThatThrownBy(() -> writes.run(false, c -> insert(c, 1, 999L))).hasMessageContaining("FOREIGN KEY");
        assertThat(writes.writable()).as("a constraint is not the disk: still unknown, so still unwritable").isFalse();

        insertAlone(2);

        assertThat(writes.writable()).isTrue();
        assertThat(ids()).containsExactly(2);
    }

    @Test
    void aBatchHoldingADurableWriteIsSyncedInFullAndTheNextOneIsNot() throws SQLException {
        int durable = writes.run(true, GroupCommitTest::synchronous);
        int plain = writes.run(false, GroupCommitTest::synchronous);
        assertThat(durable).as("FULL").isEqualTo(2);
        assertThat(plain).as("NORMAL").isEqualTo(1);
    }

    @Test
    void withoutSyncingEveryAcceptADurableWriteIsCommittedAsAnyOther() throws SQLException {
        GroupCommit normal = new GroupCommit(dataSource, false);
        int level = normal.run(true, GroupCommitTest::synchronous);
        assertThat(level).as("NORMAL").isEqualTo(1);
        int inserted = normal.run(true, c -> insert(c, 3, null));
        assertThat(inserted).isEqualTo(1);
        assertThat(ids()).containsExactly(3);
    }

    @Test
    void aStoreWriteFromInsideAWriteIsRefusedRatherThanDeadlocked() {
        assertThatThrownBy(() -> writes.run(false, c -> writes.run(false, inner -> insert(inner, 9, null))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("inside another store write");
        assertThat(idsQuietly()).isEmpty();
    }

    @Test
    void aSubmittedWriteWithNoBatchRunningIsCommittedBeforeSubmitReturns() {
        List<Optional<Exception>> outcomes = new ArrayList<>();

        writes.submit(c -> insert(c, 5, null), outcomes::add);

        assertThat(outcomes).containsExactly(Optional.empty());
        assertThat(idsQuietly()).containsExactly(5);
    }

    @Test
    void aSubmittedWriteDoesNotWaitForARunningBatchAndJoinsTheNextTransactionWithTheWaitingWriters() throws Exception {
        Future<Connection> first = holdTheLock(1);
        Set<Connection> batches = ConcurrentHashMap.newKeySet();
        List<Optional<Exception>> outcomes = new CopyOnWriteArrayList<>();

        writes.submit(c -> {
            batches.add(c);
            return insert(c, 2, null);
        }, outcomes::add); // returns while the first batch still holds the lock
        Future<Integer> waiting = threads.submit(() -> writes.run(false, c -> {
            batches.add(c);
            return insert(c, 3, null);
        }));
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 2);
        assertThat(outcomes).isEmpty();

        release.countDown();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == 1);
        assertThat(outcomes).containsExactly(Optional.empty());
        assertThat(batches).hasSize(1).doesNotContain(first.get());
        assertThat(ids()).containsExactly(1, 2, 3);
    }

    @Test
    void submittedWritesLeftWhenTheLastWaitingWriterIsDoneAreCommittedByTheLeaderLeaving() throws Exception {
        Future<Connection> first = holdTheLock(1);
        List<Optional<Exception>> outcomes = new CopyOnWriteArrayList<>();
        writes.submit(c -> insert(c, 2, null), outcomes::add);
        writes.submit(c -> insert(c, 3, null), outcomes::add);

        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(outcomes).containsExactly(Optional.empty(), Optional.empty()); // settled before the leader returned
        assertThat(ids()).containsExactly(1, 2, 3);
        assertThat(writes.queued()).isZero();
    }

    @Test
    void aSubmittedWriteThatFailsTellsItsListenerAndKeepsNothingWhileTheOthersInItsBatchStay() throws Exception {
        holdTheLock(1);
        List<Optional<Exception>> outcomes = new CopyOnWriteArrayList<>();
        writes.submit(c -> {
            insert(c, 2, null);
            return insert(c, 1, null); // a duplicate key: this work fails after writing row 2
        }, outcomes::add);
        writes.submit(c -> insert(c, 3, null), outcome -> {
            outcomes.add(outcome);
            throw new IllegalStateException("a listener that throws");
        });
        Future<Integer> waiting = threads.submit(() -> writes.run(false, c -> insert(c, 4, null)));
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 3);

        release.countDown();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == 2);
        assertThat(outcomes.get(0)).get().isInstanceOf(SQLException.class);
        assertThat(outcomes.get(1)).isEmpty();
        assertThat(ids()).containsExactly(1, 3, 4);
    }

    /** Starts a write of row {@code id} that holds the commit lock until {@link #release}; answers its connection. */
    private Future<Connection> holdTheLock(int id) {
        CountDownLatch inside = new CountDownLatch(1);
        Future<Connection> f = threads.submit(() -> writes.run(false, c -> {
            insert(c, id, null);
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return c;
        }));
        await().atMost(Duration.ofSeconds(10)).until(() -> inside.getCount() == 0);
        return f;
    }

    private void insertAlone(int id) throws SQLException {
        writes.run(false, c -> insert(c, id, null));
    }

    private static int insert(Connection c, int id, Long parent) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO t (id, parent) VALUES (?, ?)")) {
            s.setInt(1, id);
            s.setObject(2, parent);
            return s.executeUpdate();
        }
    }

    private static int synchronous(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA synchronous")) {
            r.next();
            return r.getInt(1);
        }
    }

    private List<Integer> ids() throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT id FROM t ORDER BY id")) {
            while (r.next()) {
                ids.add(r.getInt(1));
            }
        }
        return ids;
    }

    private List<Integer> idsQuietly() {
        try {
            return ids();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
