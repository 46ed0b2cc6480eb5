package io.github.autodeploy.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.AutodeployException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * A SQLite store whose history table already records every shipped migration starts without Flyway, and
 * anything else (a new database, an older one, a changed or failed migration) still goes through it.
 */
class MigrationsTest {
    @TempDir
    Path folder;

    private SQLiteDataSource sqlite(String name) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + folder.resolve(name));
        return ds;
    }

    @Test
    void shippedListIsWhatFlywayRecordsForTheMigrationFiles() {
        SQLiteDataSource ds = sqlite("flyway.db");
        Migrations.migrate(ds, "test", MigrationVersion.LATEST);
        Flyway flyway = Flyway.configure(Migrations.class.getClassLoader()).dataSource(ds).locations(Migrations.LOCATION)
                .table(Migrations.HISTORY_TABLE).load();
        // A new or changed migration file fails here: list it (version, description, checksum) in Migrations.SHIPPED.
        assertThat(Arrays.stream(flyway.info().all())
                .map(m -> new Migrations.Applied(m.getVersion().getVersion(), m.getDescription(), m.getChecksum())).toList())
                .isEqualTo(Migrations.SHIPPED);
    }

    @Test
    void aNewDatabaseHasNoHistoryAndIsMigratedToTheShippedVersion() throws SQLException {
        SQLiteDataSource ds = sqlite("new.db");
        assertThat(Migrations.sqliteHistory(ds)).isEqualTo(Migrations.SqliteHistory.NONE);

        Migrations.migrate(ds, "test");

        assertThat(Migrations.sqliteHistory(ds)).isEqualTo(Migrations.SqliteHistory.UP_TO_DATE);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertThat(s.executeQuery("SELECT count(*) FROM autodeploy_gated_runs").getInt(1)).isZero();
        }
    }

    @Test
    void anOlderDatabaseGoesThroughFlywayAndEndsUpToDate() {
        SQLiteDataSource ds = sqlite("old.db");
        Migrations.migrate(ds, "test", MigrationVersion.fromVersion("2"));
        assertThat(Migrations.sqliteHistory(ds)).isEqualTo(Migrations.SqliteHistory.OTHER);

        Migrations.migrate(ds, "test");

        assertThat(Migrations.sqliteHistory(ds)).isEqualTo(Migrations.SqliteHistory.UP_TO_DATE);
    }

    @Test
    void anUpToDateDatabaseStartsAgainWithoutChange() throws SQLException {
        SQLiteDataSource ds = sqlite("again.db");
        Migrations.migrate(ds, "test");
        Migrations.migrate(ds, "test");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertThat(s.executeQuery("SELECT count(*) FROM " + Migrations.HISTORY_TABLE).getInt(1))
                    .isEqualTo(Migrations.SHIPPED.size());
        }
    }

    @Test
    void aChangedMigrationIsNotSkippedAndFlywayRefusesIt() throws SQLException {
        SQLiteDataSource ds = sqlite("changed.db");
        Migrations.migrate(ds, "test");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE " + Migrations.HISTORY_TABLE + " SET checksum = 42 WHERE version = '2'");
        }
        assertThat(Migrations.sqliteHistory(ds)).isEqualTo(Migrations.SqliteHistory.OTHER);

        assertThatThrownBy(() -> Migrations.migrate(ds, "the test store")).isInstanceOf(AutodeployException.class)
                .hasMessageContaining("the test store").hasMessageContaining("checksum");
    }

    @Test
    void aFailedMigrationIsNotTakenForApplied() throws SQLException {
        SQLiteDataSource ds = sqlite("failed.db");
        Migrations.migrate(ds, "test");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE " + Migrations.HISTORY_TABLE + " SET success = 0 WHERE version = '4'");
        }

        assertThat(Migrations.sqliteHistory(ds)).isEqualTo(Migrations.SqliteHistory.OTHER);
    }
}
