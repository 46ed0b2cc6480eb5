package io.github.autodeploy.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SQLite store's ping fails once its file is gone, replaced or no longer a database, so readiness says so;
 * and its writes fail (a webhook is then answered 503) rather than go into a file nobody finds again.
 */
class SqlitePingTest {
    @TempDir
    Path folder;

    /**
     * A pool of one connection, opened at build: a larger pool fills up in the background, and a
     * connection it opens while a test has moved the file away creates a new empty file there.
     */
    private JdbcDeploymentStore open(Path file) {
        return JdbcDeploymentStore.builder().url("jdbc:sqlite:" + file).poolSize(1).build();
    }

    @Test
    void aDeletedStoreFileFailsThePing() throws Exception {
        Path file = folder.resolve("autodeploy.db");
        try (JdbcDeploymentStore store = open(file)) {
            assertThat(store.ping(Duration.ofSeconds(2))).isTrue();
            Files.delete(file);
            assertThat(store.ping(Duration.ofSeconds(2))).as("the process would write into an unlinked file").isFalse();
        }
    }

    @Test
    void aReplacedStoreFileFailsThePing() throws Exception {
        Path file = folder.resolve("autodeploy.db");
        try (JdbcDeploymentStore store = open(file)) {
            Path moved = folder.resolve("moved.db");
            Files.move(file, moved);
            Files.copy(moved, file);
            assertThat(store.ping(Duration.ofSeconds(2))).as("another file now has the store's name").isFalse();
        }
    }

    @Test
    void aStoreFileThatIsNoLongerADatabaseFailsThePing() throws Exception {
        Path file = folder.resolve("autodeploy.db");
        try (JdbcDeploymentStore store = open(file)) {
            assertThat(store.ping(Duration.ofSeconds(2))).isTrue();
            byte[] garbage = new byte[16384];
            new java.util.Random(7).nextBytes(garbage);
            Files.write(file, garbage, StandardOpenOption.WRITE);
            for (String side : new String[] {"-wal", "-shm"}) {
                Path p = folder.resolve("autodeploy.db" + side);
                if (Files.exists(p)) {
                    Files.write(p, garbage, StandardOpenOption.WRITE);
                }
            }
            assertThat(store.ping(Duration.ofSeconds(2))).isFalse();
        }
    }

    @Test
    void aDeletedOrReplacedStoreFileRefusesWritesSoNothingIsAnsweredAsStoredAndComesBackWhenRestored() throws Exception {
        Path file = folder.resolve("autodeploy.db");
        java.time.Instant at = java.time.Instant.parse("2026-11-28T10:00:00Z");
        try (JdbcDeploymentStore store = open(file)) {
            assertThat(store.insert(Records.queued(1, at), io.github.autodeploy.core.model.DeliveryId.of("d-1"))).isTrue();
            Path moved = folder.resolve("moved.db");
            Files.move(file, moved);
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                            store.insert(Records.queued(2, at), io.github.autodeploy.core.model.DeliveryId.of("d-2")))
                    .isInstanceOf(io.github.autodeploy.core.AutodeployException.class)
                    .hasMessageContaining("deleted or replaced");
            Files.move(moved, file);
            assertThat(store.insert(Records.queued(2, at), io.github.autodeploy.core.model.DeliveryId.of("d-2"))).isTrue();
        }
        try (JdbcDeploymentStore again = open(file)) {
            assertThat(again.deliverySeen(io.github.autodeploy.core.model.DeliveryId.of("d-1"))).isTrue();
            assertThat(again.deliverySeen(io.github.autodeploy.core.model.DeliveryId.of("d-2"))).isTrue();
        }
    }

    @Test
    void aPostedStatusMarkTheStoreRefusesIsKeptAndWrittenWithTheNextMarkOnceTheFileIsBack() throws Exception {
        Path file = folder.resolve("autodeploy.db");
        java.time.Instant at = java.time.Instant.parse("2026-11-28T10:00:00Z");
        io.github.autodeploy.core.model.DeploymentId one = io.github.autodeploy.core.model.DeploymentId.of(1);
        io.github.autodeploy.core.model.DeploymentId two = io.github.autodeploy.core.model.DeploymentId.of(2);
        try (JdbcDeploymentStore store = open(file)) {
            store.insert(Records.queued(1, at));
            store.insert(Records.queued(2, at));
            Path moved = folder.resolve("moved.db");
            Files.move(file, moved);

            store.markPosted(one, 1); // written behind: refused by the batch, kept

            assertThat(store.postedCount(one)).as("counts the mark not yet written").isEqualTo(1);
            Files.move(moved, file);
            store.markPosted(two, 1);
            try (JdbcDeploymentStore reader = open(file)) {
                assertThat(reader.postedCount(one)).isEqualTo(1);
                assertThat(reader.postedCount(two)).isEqualTo(1);
            }
        }
    }

    @Test
    void postedStatusMarksStillUnwrittenAreWrittenWhenTheStoreCloses() throws Exception {
        Path file = folder.resolve("autodeploy.db");
        java.time.Instant at = java.time.Instant.parse("2026-11-28T10:00:00Z");
        io.github.autodeploy.core.model.DeploymentId one = io.github.autodeploy.core.model.DeploymentId.of(1);
        try (JdbcDeploymentStore store = open(file)) {
            store.insert(Records.queued(1, at));
            Path moved = folder.resolve("moved.db");
            Files.move(file, moved);
            store.markPosted(one, 2);
            Files.move(moved, file);
        }
        try (JdbcDeploymentStore again = open(file)) {
            assertThat(again.postedCount(one)).isEqualTo(2);
        }
    }
}
