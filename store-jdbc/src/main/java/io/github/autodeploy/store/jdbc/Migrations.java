package io.github.autodeploy.store.jdbc;

import io.github.autodeploy.core.AutodeployException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Brings a database to this version's schema with Flyway: an empty or older one is migrated, a newer
 * one (written by a later Autodeploy) is refused, since this version cannot know what it means.
 * Stateless.
 */
final class Migrations {
    static final String LOCATION = "classpath:io/github/autodeploy/store/jdbc/migration";
    static final String HISTORY_TABLE = "autodeploy_schema_history";

    private Migrations() {
    }

    /**
     * The migrations this module ships, as Flyway records them once applied: version, description, type and
     * checksum. {@code MigrationsTest} checks this list against Flyway's own reading of the migration files, so a
     * new or changed migration fails the build until it is listed here.
     */
    static final List<Applied> SHIPPED = List.of(
            new Applied("1", "deployments logs deliveries lanes", 1293041340),
            new Applied("2", "ownership posted statuses waiting merges", -1483722174),
            new Applied("3", "environment locks", 1897177428),
            new Applied("4", "gated runs", -1178495164));

    /** One applied SQL migration, as its row in the history table says. */
    record Applied(String version, String description, int checksum) {
        Applied {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(description, "description");
        }
    }

    /** Migrates to the newest version this module ships. */
    static void migrate(DataSource dataSource, String source) {
        SqliteHistory history = sqliteHistory(dataSource);
        if (history == SqliteHistory.UP_TO_DATE) {
            // Flyway would validate these same rows, find nothing to do and change nothing, after scanning the
            // class path for the migration files: a good part of a start. Anything else (no table yet, a
            // migration missing, failed, changed or newer) still goes through Flyway, with its checks.
            return;
        }
        migrate(dataSource, source, MigrationVersion.LATEST, history != SqliteHistory.NONE);
    }

    /** What a SQLite database's history table says, as far as starting needs to know. */
    enum SqliteHistory {
        /** A SQLite database without the table: nothing applied, so nothing newer either. */
        NONE,
        /** Exactly {@link #SHIPPED}, all applied successfully. */
        UP_TO_DATE,
        /** Anything else, or another database, or no answer: Flyway decides. */
        OTHER
    }

    /**
     * Whether {@code dataSource} is SQLite without a history table, or with one that records exactly
     * {@link #SHIPPED}, each applied successfully; any doubt (another database, a query that fails) is
     * {@link SqliteHistory#OTHER}.
     */
    static SqliteHistory sqliteHistory(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            if (!"SQLite".equals(c.getMetaData().getDatabaseProductName())) {
                return SqliteHistory.OTHER;
            }
            List<Applied> applied = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '"
                         + HISTORY_TABLE + "'")) {
                if (!r.next()) {
                    return SqliteHistory.NONE;
                }
            }
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT version, description, type, checksum, success FROM " + HISTORY_TABLE
                         + " ORDER BY installed_rank")) {
                while (r.next()) {
                    int checksum = r.getInt(4);
                    boolean noChecksum = r.wasNull();
                    if (r.getString(1) == null || r.getString(2) == null || !"SQL".equals(r.getString(3)) || noChecksum
                            || !r.getBoolean(5)) {
                        return SqliteHistory.OTHER;
                    }
                    applied.add(new Applied(r.getString(1), r.getString(2), checksum));
                }
            }
            return applied.equals(SHIPPED) ? SqliteHistory.UP_TO_DATE : SqliteHistory.OTHER;
        } catch (SQLException e) {
            return SqliteHistory.OTHER;
        }
    }

    /** Migrates up to {@code target} only; tests use it to build an old schema. */
    static void migrate(DataSource dataSource, String source, MigrationVersion target) {
        migrate(dataSource, source, target, true);
    }

    private static void migrate(DataSource dataSource, String source, MigrationVersion target, boolean mayBeNewer) {
        Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .target(target)
                .load();
        try {
            if (mayBeNewer) {
                refuseNewerSchema(flyway, source);
            }
            flyway.migrate();
        } catch (FlywayException e) {
            throw new AutodeployException("could not bring the store at " + source + " to the current schema: "
                    + e.getMessage(), e);
        }
    }

    private static void refuseNewerSchema(Flyway flyway, String source) {
        // Flyway ignores future migrations by default; a store written by a newer release must not be used.
        MigrationInfo[] applied = flyway.info().applied();
        for (MigrationInfo m : applied) {
            if (m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED) {
                MigrationInfo latest = applied[applied.length - 1];
                throw new AutodeployException("the store at " + source + " has schema version " + latest.getVersion()
                        + ", newer than this Autodeploy knows (" + known(flyway)
                        + "); upgrade Autodeploy, or point store.url at another database");
            }
        }
    }

    private static String known(Flyway flyway) {
        MigrationVersion newest = MigrationVersion.EMPTY;
        for (MigrationInfo m : flyway.info().all()) {
            if (m.getState() != MigrationState.FUTURE_SUCCESS && m.getState() != MigrationState.FUTURE_FAILED
                    && m.getVersion() != null && m.getVersion().compareTo(newest) > 0) {
                newest = m.getVersion();
            }
        }
        return "up to version " + newest;
    }
}
