package io.github.autodeploy.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.AutodeployException;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.store.DeploymentRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * Schema versions on both databases: a database at version 1 with data in it is brought to the
 * current version with its data intact (the harness for every later migration), and a database
 * written by a newer Autodeploy is refused.
 */
class SchemaTest {
    @TempDir
    static Path folder;

    static Stream<String> databases() {
        return Stream.of("sqlite", "postgresql");
    }

    private static String url(String database) {
        return database.equals("sqlite")
                ? "jdbc:sqlite:" + folder.resolve("schema-" + System.nanoTime() + ".db")
                : TestPostgres.freshSchemaUrl();
    }

    private static DataSource dataSource(String url) {
        if (url.startsWith("jdbc:sqlite:")) {
            SQLiteDataSource ds = new SQLiteDataSource();
            ds.setUrl(url);
            return ds;
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        return ds;
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aVersionOneDatabaseIsMigratedWithItsDataIntact(String database) throws SQLException {
        String url = url(database);
        DataSource ds = dataSource(url);
        Migrations.migrate(ds, url, MigrationVersion.fromVersion("1"));
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            // Rows as version 1 wrote them, by hand, so that later migrations are tested against real old data.
            s.executeUpdate("INSERT INTO autodeploy_deployments (id, repository, environment, sha, ref, task, requester, payload, "
                    + "description, state, history, steps, page_key, queued_at, started_at, finished_at, log_first, log_next, log_bytes) "
                    + "VALUES (7, 'octo/app', 'production', 'a10867b14bb761a232cd80139fbd4c0d33264240', 'main', 'deploy', 'octocat', "
                    + "'{\"note\":\"hello\"}', '', 'SUCCESS', "
                    + "'[{\"state\":\"QUEUED\",\"description\":\"queued\",\"at\":\"2026-11-27T10:00:00Z\"},"
                    + "{\"state\":\"SUCCESS\",\"description\":\"deployed\",\"at\":\"2026-11-27T10:00:12Z\"}]', "
                    + "'[{\"name\":\"make deploy\",\"outcome\":\"SUCCEEDED\",\"exit_code\":0,\"duration\":\"PT12S\",\"message\":\"exit code 0\"}]', "
                    + "'page-7', 1795773600000000000, 1795773600000000000, 1795773612000000000, 0, 2, 12)");
            s.executeUpdate("INSERT INTO autodeploy_log_lines (deployment_id, line_no, line, bytes) VALUES (7, 0, 'one', 4), (7, 1, 'two!', 5)");
            s.executeUpdate("INSERT INTO autodeploy_deliveries (id, seen_at) VALUES ('d-1', 1795773600000000000)");
        }

        try (JdbcDeploymentStore store = JdbcDeploymentStore.open(ds)) {
            DeploymentRecord r = store.find(DeploymentId.of(7)).orElseThrow();
            assertThat(r.state()).isEqualTo(DeploymentState.SUCCESS);
            assertThat(r.lifecycle().history()).extracting(u -> u.description()).containsExactly("queued", "deployed");
            assertThat(r.steps()).singleElement().satisfies(step -> assertThat(step.result().duration()).isEqualTo(Duration.ofSeconds(12)));
            assertThat(r.queuedAt()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
            assertThat(r.finishedAt()).contains(Instant.parse("2026-11-27T10:00:12Z"));
            assertThat(r.deployment().payloadJson()).isEqualTo("{\"note\":\"hello\"}");
            assertThat(store.readLog(DeploymentId.of(7), 0).lines()).containsExactly("one", "two!");
            assertThat(store.recordDelivery(DeliveryId.of("d-1"))).isFalse();
            store.appendLog(DeploymentId.of(7), "three");
            assertThat(store.readLog(DeploymentId.of(7), 2).lines()).containsExactly("three");
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aDatabaseFromANewerVersionIsRefused(String database) throws SQLException {
        String url = url(database);
        JdbcDeploymentStore.open(url).close();
        try (Connection c = dataSource(url).getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO " + Migrations.HISTORY_TABLE + " (installed_rank, version, description, type, script, checksum, "
                        + "installed_by, execution_time, success) VALUES (99, '999', 'from the future', 'SQL', 'V999__from_the_future.sql', "
                        + "0, 'test', 1, ?)")) {
            s.setBoolean(1, true);
            s.executeUpdate();
        }
        assertThatThrownBy(() -> JdbcDeploymentStore.open(url))
                .isInstanceOf(AutodeployException.class)
                .hasMessageContaining("schema version 999, newer than this Autodeploy knows (up to version 2)")
                .hasMessageContaining("upgrade Autodeploy")
                .hasMessageContaining(Urls.mask(url));
    }
}
