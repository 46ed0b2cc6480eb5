package io.github.autodeploy.store.jdbc;

import io.github.autodeploy.core.AutodeployException;
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

    /** Migrates to the newest version this module ships. */
    static void migrate(DataSource dataSource, String source) {
        migrate(dataSource, source, MigrationVersion.LATEST);
    }

    /** Migrates up to {@code target} only; tests use it to build an old schema. */
    static void migrate(DataSource dataSource, String source, MigrationVersion target) {
        Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .target(target)
                .load();
        try {
            refuseNewerSchema(flyway, source);
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
