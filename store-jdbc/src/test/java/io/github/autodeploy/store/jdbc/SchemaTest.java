package io.github.autodeploy.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.autodeploy.core.AutodeployException;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.Orphans;
import io.github.autodeploy.testkit.ManualTimeSource;
import io.github.autodeploy.testkit.Values;
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
 * current version with its data intact (the harness for every later migration), its unfinished
 * deployments left for the first store to take over, and a database written by a newer Autodeploy
 * is refused.
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

    /** A version 1 row of deployment {@code id} in {@code states} (its history), started and finished as they say. */
    private static String v1Deployment(long id, String... states) {
        StringBuilder history = new StringBuilder("[");
        for (int i = 0; i < states.length; i++) {
            // A description quoting the key the migration counts must not be counted.
            history.append(i == 0 ? "" : ",").append("{\"state\":\"").append(states[i])
                    .append("\",\"description\":\"the \\\"state\\\": ").append(i).append("\",\"at\":\"2026-11-27T10:00:0")
                    .append(i).append("Z\"}");
        }
        history.append("]");
        String last = states[states.length - 1];
        boolean started = states.length > 1 && !last.equals("INACTIVE");
        boolean finished = last.equals("SUCCESS") || last.equals("FAILURE") || last.equals("ERROR") || last.equals("INACTIVE");
        return "INSERT INTO autodeploy_deployments (id, repository, environment, sha, ref, task, requester, payload, "
                + "description, state, history, steps, page_key, queued_at, started_at, finished_at) VALUES (" + id
                + ", 'octo/app', 'production', 'a10867b14bb761a232cd80139fbd4c0d33264240', 'main', 'deploy', 'octocat', '{}', '', '"
                + last + "', '" + history + "', '[]', 'page-" + id + "', 1795773600000000000, "
                + (started ? "1795773601000000000" : "NULL") + ", " + (finished ? "1795773609000000000" : "NULL") + ")";
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aVersionOneDatabaseKeepsItsDataAndItsUnfinishedDeploymentsAreAdopted(String database) throws SQLException {
        String url = url(database);
        DataSource ds = dataSource(url);
        Migrations.migrate(ds, url, MigrationVersion.fromVersion("1"));
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(v1Deployment(1, "QUEUED", "IN_PROGRESS", "SUCCESS"));
            s.executeUpdate(v1Deployment(2, "QUEUED", "IN_PROGRESS", "FAILURE"));
            s.executeUpdate(v1Deployment(3, "QUEUED", "INACTIVE"));
            s.executeUpdate(v1Deployment(4, "QUEUED", "IN_PROGRESS", "ERROR"));
            s.executeUpdate(v1Deployment(5, "QUEUED", "IN_PROGRESS"));
            s.executeUpdate(v1Deployment(6, "QUEUED"));
            s.executeUpdate("INSERT INTO autodeploy_log_lines (deployment_id, line_no, line, bytes) "
                    + "VALUES (1, 0, 'done', 5), (5, 0, 'running', 8), (5, 1, 'still', 6)");
            s.executeUpdate("UPDATE autodeploy_deployments SET log_next = 1, log_bytes = 5 WHERE id = 1");
            s.executeUpdate("UPDATE autodeploy_deployments SET log_next = 2, log_bytes = 14 WHERE id = 5");
            s.executeUpdate("INSERT INTO autodeploy_deliveries (id, seen_at) VALUES ('d-1', 1795773600000000000), "
                    + "('d-2', 1795773600000000000)");
        }

        ManualTimeSource time = ManualTimeSource.at("2026-11-27T11:00:00Z");
        try (JdbcDeploymentStore store = JdbcDeploymentStore.builder().dataSource(ds).timeSource(time).build()) {
            assertThat(store.find(DeploymentId.of(1)).orElseThrow().lifecycle().history()).extracting(u -> u.description())
                    .containsExactly("the \"state\": 0", "the \"state\": 1", "the \"state\": 2");
            assertThat(store.recent(10)).extracting(r -> r.state().name())
                    .containsExactly("QUEUED", "IN_PROGRESS", "ERROR", "INACTIVE", "FAILURE", "SUCCESS");
            assertThat(store.find(DeploymentId.of(5)).orElseThrow().startedAt()).contains(Instant.parse("2026-11-27T10:00:01Z"));
            assertThat(store.readLog(DeploymentId.of(1), 0).lines()).containsExactly("done");
            assertThat(store.readLog(DeploymentId.of(5), 0).lines()).containsExactly("running", "still");
            assertThat(store.deliverySeen(DeliveryId.of("d-1"))).isTrue();
            assertThat(store.deliverySeen(DeliveryId.of("d-2"))).isTrue();
            assertThat(store.deliverySeen(DeliveryId.of("d-3"))).isFalse();
            assertThat(store.postedCount(DeploymentId.of(1))).isEqualTo(3);
            assertThat(store.postedCount(DeploymentId.of(3))).isEqualTo(2);
            assertThat(store.newestStarted(Values.REPO, EnvironmentName.PRODUCTION)).contains(DeploymentId.of(5));

            Orphans taken = store.adoptOrphans();
            assertThat(taken.deployments()).extracting(a -> a.record().deployment().id().value(), Orphans.Adopted::statusesPosted)
                    .containsExactly(tuple(5L, 2), tuple(6L, 1));
            assertThat(taken.deployments().get(0).record()).isEqualTo(store.find(DeploymentId.of(5)).orElseThrow());
            assertThat(taken.waiting()).isEmpty();
            assertThat(store.adoptOrphans().isEmpty()).isTrue();
            assertThat(store.waiting()).isEmpty();
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
                .hasMessageContaining("schema version 999, newer than this Autodeploy knows (up to version 4)")
                .hasMessageContaining("upgrade Autodeploy")
                .hasMessageContaining(Urls.mask(url));
    }
}
