package io.github.autodeploy.store.jdbc;

import io.github.autodeploy.core.AutodeployException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The store's database: where connections come from, which dialect it speaks, how to name it in a
 * message (password masked), and the two ways to run work on it. Thread-safe.
 */
record Db(DataSource dataSource, Dialect dialect, String source) {

    /** Work on one connection that may throw {@link SQLException}. */
    @FunctionalInterface
    interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one transaction, committed when it returns and rolled back when it throws. */
    <T> T inTransaction(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return transaction(c, work);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /**
     * Runs {@code work} in one transaction that, on SQLite, is synced to disk before this returns
     * ({@code synchronous=FULL} for it; other writes run with {@code NORMAL}, which a killed process
     * never loses, and which the next synced commit carries to disk too, since the WAL is written in
     * order). On PostgreSQL every commit is as durable as the server is configured to make it.
     */
    <T> T durably(String what, Work<T> work) {
        if (dialect != Dialect.SQLITE) {
            return inTransaction(what, work);
        }
        try (Connection c = dataSource.getConnection()) {
            synchronous(c, "FULL");
            try {
                return transaction(c, work);
            } finally {
                c.setAutoCommit(true); // a pragma cannot change inside a transaction
                synchronous(c, "NORMAL");
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private static <T> T transaction(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.apply(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c, e);
            throw e;
        }
    }

    private static void synchronous(Connection c, String level) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("PRAGMA synchronous = " + level);
        }
    }

    /** Runs {@code work} on a connection in auto-commit mode. */
    <T> T withConnection(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return work.apply(c);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    AutodeployException failure(String what, SQLException e) {
        return new AutodeployException("the store at " + source + " could not " + what + ": " + e.getMessage(), e);
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
