package io.github.autodeploy.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.store.LogChunk;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Logs on SQLite (a line at a time in one transaction) and PostgreSQL (a batch of lines in one
 * statement, then a trim when over the limit) keep the same lines: the newest within the byte limit,
 * the newest line always, NUL as U+FFFD, numbered without gaps or repeats however many threads append.
 */
class LogsOnBothDatabasesTest {
    private static final DeploymentId ONE = DeploymentId.of(1);

    @TempDir
    Path folder;

    private JdbcDeploymentStore open(String database, long limitBytes) {
        String url = database.equals("sqlite") ? "jdbc:sqlite:" + folder.resolve("logs.db") : TestPostgres.freshSchemaUrl();
        JdbcDeploymentStore store = JdbcDeploymentStore.builder().url(url).logLimitBytes(limitBytes).poolSize(4).build();
        store.insert(Records.queued(1, Instant.parse("2026-11-28T10:00:00Z")));
        return store;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aBatchKeepsWhatAppendingItsLinesOneByOneKeeps(String database) {
        try (JdbcDeploymentStore store = open(database, 20)) {
            store.appendLog(ONE, "line a");
            store.appendLog(ONE, List.of("line 0", "line 1", "line 2", "line 3", "line 4")); // 7 bytes each

            LogChunk tail = store.readLog(ONE, 0);
            assertThat(tail.firstLine()).isEqualTo(4);
            assertThat(tail.lines()).containsExactly("line 3", "line 4");
            assertThat(tail.nextLine()).isEqualTo(6);

            store.appendLog(ONE, List.of("x".repeat(100), "y")); // over the limit alone, then a small one after it
            assertThat(store.readLog(ONE, 0).lines()).containsExactly("y");
            store.appendLog(ONE, List.of("z".repeat(100)));
            assertThat(store.readLog(ONE, 0).lines()).containsExactly("z".repeat(100));
            assertThat(store.readLog(ONE, 0).nextLine()).isEqualTo(9);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void nulBecomesAReplacementCharacterAndAnUnknownDeploymentKeepsNoLog(String database) {
        try (JdbcDeploymentStore store = open(database, 1 << 20)) {
            store.appendLog(ONE, List.of("a\u0000b", "", "ünïcödé ✓"));
            store.appendLog(DeploymentId.of(9), List.of("lost", "too"));

            assertThat(store.readLog(ONE, 0).lines()).containsExactly("a\uFFFDb", "", "ünïcödé ✓");
            assertThat(store.readLog(DeploymentId.of(9), 0).lines()).isEmpty();
            assertThat(store.readLog(DeploymentId.of(9), 0).nextLine()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void batchesFromManyThreadsAtOnceGetEveryLineOnceAndEachBatchInOrder(String database) throws Exception {
        int threads = 8;
        int batches = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (JdbcDeploymentStore store = open(database, 1 << 20)) {
            List<Future<?>> appending = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                appending.add(pool.submit(() -> {
                    for (int b = 0; b < batches; b++) {
                        store.appendLog(ONE, List.of(thread + " " + b + " first", thread + " " + b + " second"));
                    }
                }));
            }
            for (Future<?> f : appending) {
                f.get(60, TimeUnit.SECONDS);
            }

            LogChunk all = store.readLog(ONE, 0);
            assertThat(all.firstLine()).isZero();
            assertThat(all.nextLine()).isEqualTo(threads * batches * 2L);
            assertThat(all.lines()).hasSize(threads * batches * 2).doesNotHaveDuplicates();
            for (int i = 0; i < all.lines().size(); i += 2) {
                String first = all.lines().get(i);
                assertThat(first).endsWith(" first");
                assertThat(all.lines().get(i + 1)).isEqualTo(first.replace(" first", " second"));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
