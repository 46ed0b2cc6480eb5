package io.github.autodeploy.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.model.DeploymentId;
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
 * Posted-status marks are written behind and together (SQLite: in the next write batch; PostgreSQL:
 * one statement for the marks that came while a write ran). Marked by many threads at once, every
 * deployment ends with its highest count in the database, which another store instance reads.
 */
class PostedMarksTest {
    private static final int DEPLOYMENTS = 40;
    private static final int COUNTS = 6;

    @TempDir
    Path folder;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void marksFromManyThreadsAtOnceAreAllWrittenEachAtItsHighestCount(String database) throws Exception {
        String url = database.equals("sqlite") ? "jdbc:sqlite:" + folder.resolve("marks.db") : TestPostgres.freshSchemaUrl();
        Instant at = Instant.parse("2026-11-28T10:00:00Z");
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (JdbcDeploymentStore store = JdbcDeploymentStore.builder().url(url).poolSize(4).build()) {
            for (int id = 1; id <= DEPLOYMENTS; id++) {
                store.insert(Records.queued(id, at));
            }
            List<Future<?>> marking = new ArrayList<>();
            for (int id = 1; id <= DEPLOYMENTS; id++) {
                DeploymentId deployment = DeploymentId.of(id);
                for (int count = COUNTS; count >= 1; count--) { // out of order: a lower count never lowers the mark
                    int n = count;
                    marking.add(threads.submit(() -> store.markPosted(deployment, n)));
                }
            }
            for (Future<?> f : marking) {
                f.get(30, TimeUnit.SECONDS);
            }
            // Every call returned: a mark whose caller did not write it was in a write another caller ran and saw through.
            try (JdbcDeploymentStore reader = JdbcDeploymentStore.builder().url(url).poolSize(2).build()) {
                for (int id = 1; id <= DEPLOYMENTS; id++) {
                    assertThat(reader.postedCount(DeploymentId.of(id))).as("deployment %d", id).isEqualTo(COUNTS);
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
