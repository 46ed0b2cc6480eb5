package io.github.autodeploy.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * {@link GroupCommit}'s kept statements ({@link WriterStatements}) on a real SQLite file behind a pool
 * of one connection, as the store's pool hands the writer the same connection again: a statement is
 * compiled once and used by later batches with fresh parameters, and a work that fails in the middle
 * of a batch (its statement left open) undoes only its own write and leaves the statement usable.
 */
class WriterStatementsTest {
    private static final String INSERT = "INSERT INTO t (id, note) VALUES (?, ?)";

    @TempDir
    Path folder;

    private HikariDataSource pool;
    private GroupCommit writes;
    private ExecutorService threads;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void openFile() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + folder.resolve("kept.db"));
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqlite);
        hikari.setMaximumPoolSize(1);
        pool = new HikariDataSource(hikari);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT NOT NULL)");
        }
        writes = new GroupCommit(pool);
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void close() throws InterruptedException {
        release.countDown();
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        pool.close();
    }

    @Test
    void laterBatchesRunTheStatementCompiledByTheFirstWithTheirOwnParameters() throws Exception {
        List<PreparedStatement> handedOut = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            int row = id;
            writes.run(true, c -> {
                try (PreparedStatement s = c.prepareStatement(INSERT)) {
                    handedOut.add(s);
                    s.setInt(1, row);
                    s.setString(2, "note " + row);
                    return s.executeUpdate();
                }
            });
        }

        assertThat(handedOut).hasSize(3);
        assertThat(handedOut.get(1)).isSameAs(handedOut.get(0));
        assertThat(handedOut.get(2)).isSameAs(handedOut.get(0));
        assertThat(handedOut.get(0).isClosed()).as("given back, it reads as closed to the work").isTrue();
        assertThat(rows()).containsExactly("1 note 1", "2 note 2", "3 note 3");
    }

    @Test
    void aWorkFailingInTheMiddleOfABatchUndoesOnlyItselfAndItsLeftOpenStatementServesTheNextWorks() throws Exception {
        Future<Integer> first = holdTheLock(1);
        // Queued one after another (each waits until the one before is queued), so the batch runs them in this order.
        Future<Integer> before = threads.submit(() -> writes.run(false, c -> insert(c, 2)));
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 1);
        Future<Integer> failing = threads.submit(() -> writes.run(false, c -> {
            PreparedStatement s = c.prepareStatement(INSERT); // left open on purpose: the batch gives it back
            s.setInt(1, 3);
            s.setString(2, "written, then undone");
            s.executeUpdate();
            s.setInt(1, 2); // taken by the work before: the constraint fails this work
            s.setString(2, "twice");
            return s.executeUpdate();
        }));
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 2);
        Future<Integer> after = threads.submit(() -> writes.run(false, c -> insert(c, 4)));
        await().atMost(Duration.ofSeconds(10)).until(() -> writes.queued() == 3);
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(before.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(SQLException.class);
        int fifth = writes.run(false, c -> insert(c, 5));
        assertThat(fifth).isEqualTo(1);
        assertThat(rows()).containsExactly("1 note 1", "2 note 2", "4 note 4", "5 note 5");
    }

    @Test
    void theSameStatementTwiceAtOnceInOneWorkGetsAStatementOfItsOwn() throws Exception {
        writes.run(false, c -> {
            try (PreparedStatement outer = c.prepareStatement(INSERT); PreparedStatement inner = c.prepareStatement(INSERT)) {
                assertThat(inner).isNotSameAs(outer);
                outer.setInt(1, 1);
                outer.setString(2, "outer");
                inner.setInt(1, 2);
                inner.setString(2, "inner");
                return inner.executeUpdate() + outer.executeUpdate();
            }
        });

        assertThat(rows()).containsExactly("1 outer", "2 inner");
    }

    private Future<Integer> holdTheLock(int id) {
        CountDownLatch inside = new CountDownLatch(1);
        Future<Integer> f = threads.submit(() -> writes.run(false, c -> {
            int n = insert(c, id);
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return n;
        }));
        await().atMost(Duration.ofSeconds(10)).until(() -> inside.getCount() == 0);
        return f;
    }

    private static int insert(Connection c, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            s.setInt(1, id);
            s.setString(2, "note " + id);
            return s.executeUpdate();
        }
    }

    private List<String> rows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT id, note FROM t ORDER BY id")) {
            while (r.next()) {
                rows.add(r.getInt(1) + " " + r.getString(2));
            }
        }
        return rows;
    }
}
