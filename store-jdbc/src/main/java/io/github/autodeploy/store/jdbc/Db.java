package io.github.autodeploy.store.jdbc;

import io.github.autodeploy.core.AutodeployException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The store's database: where connections come from, which dialect it speaks, how to name it in a
 * message (password masked), and the ways to run work on it: reads ({@link #withConnection},
 * {@link #readTransaction}) and writes ({@link #write}, {@link #inTransaction}, {@link #durably}).
 * On SQLite every write of this process goes through one {@link GroupCommit}, so writers queue in
 * the process instead of sleeping in SQLite's busy handler, and concurrent writes share one
 * transaction and one sync to disk. Thread-safe.
 */
record Db(DataSource dataSource, Dialect dialect, String source, Optional<GroupCommit> writes) {

    Db(DataSource dataSource, Dialect dialect, String source) {
        this(dataSource, dialect, source, true);
    }

    /** {@code syncEveryAccept} false: on SQLite a {@link #durably} write is not synced either (store.sync: normal). */
    Db(DataSource dataSource, Dialect dialect, String source, boolean syncEveryAccept) {
        this(dataSource, dialect, source,
                dialect == Dialect.SQLITE ? Optional.of(new GroupCommit(dataSource, syncEveryAccept)) : Optional.empty());
    }

    /** Work on one connection that may throw {@link SQLException}. */
    @FunctionalInterface
    interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    /**
     * Runs the writes of {@code work} in one transaction, committed when it returns and rolled back
     * when it throws (on SQLite: in the next batch of {@link GroupCommit}, as its own savepoint).
     */
    <T> T inTransaction(String what, Work<T> work) {
        if (writes.isPresent()) {
            return grouped(what, false, work);
        }
        return oneTransaction(what, work);
    }

    /** Runs the reads of {@code work} in one transaction, so that they see one state of the database. */
    <T> T readTransaction(String what, Work<T> work) {
        return oneTransaction(what, work);
    }

    private <T> T oneTransaction(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return transaction(c, work);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** Runs a write of one statement: on PostgreSQL in auto-commit mode, on SQLite in the next batch. */
    <T> T write(String what, Work<T> work) {
        if (writes.isPresent()) {
            return grouped(what, false, work);
        }
        return withConnection(what, work);
    }

    private <T> T grouped(String what, boolean durable, Work<T> work) {
        try {
            return writes.orElseThrow().run(durable, work);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /**
     * Runs {@code work} in one transaction that, on SQLite, is synced to disk before this returns
     * ({@code synchronous=FULL} for it; other writes run with {@code NORMAL}, which a killed process
     * never loses, and which the next synced commit carries to disk too, since the WAL is written in
     * order), unless the store was built not to sync every accept ({@code store.sync: normal}): then it
     * survives a killed process but not a power cut. On PostgreSQL every commit is as durable as the
     * server is configured to make it.
     */
    <T> T durably(String what, Work<T> work) {
        if (writes.isPresent()) {
            return grouped(what, true, work);
        }
        return oneTransaction(what, work);
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

    /** Runs {@code work} on a connection in auto-commit mode: for reads (on SQLite a write goes through {@link #write}). */
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
