package io.github.autodeploy.store.jdbc;

import io.github.autodeploy.core.control.EnvironmentLock;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Maps {@link EnvironmentLock}s to rows of {@code autodeploy_environment_locks} and back. Stateless. */
final class Locks {
    private static final String COLUMNS = "repository, environment, reason, holder, since, expires";

    private Locks() {
    }

    /**
     * Stores {@code wanted} unless a lock that still holds at its {@code since} is in the way (any lock
     * when {@code steal}), then reads what holds; call it inside a transaction.
     */
    static EnvironmentLock lock(Connection c, EnvironmentLock wanted, boolean steal) throws SQLException {
        long since = Times.toNanos(wanted.since());
        Optional<Long> expires = wanted.expires().map(Times::toNanos);
        Sql.update(c, "INSERT INTO autodeploy_environment_locks (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (repository, environment) DO UPDATE SET reason = excluded.reason, "
                        + "holder = excluded.holder, since = excluded.since, expires = excluded.expires "
                        + "WHERE ? = 1 OR (autodeploy_environment_locks.expires IS NOT NULL "
                        + "AND autodeploy_environment_locks.expires <= excluded.since)",
                wanted.repository().fullName(), wanted.environment().value(), wanted.reason(), wanted.holder(), since,
                expires, steal ? 1 : 0);
        return of(c, wanted.repository(), wanted.environment()).orElse(wanted);
    }

    static boolean unlock(Connection c, EnvironmentLock expected) throws SQLException {
        return Sql.update(c, "DELETE FROM autodeploy_environment_locks WHERE repository = ? AND environment = ? "
                        + "AND holder = ? AND since = ?", expected.repository().fullName(), expected.environment().value(),
                expected.holder(), Times.toNanos(expected.since())) == 1;
    }

    static Optional<EnvironmentLock> of(Connection c, RepositoryName repository, EnvironmentName environment)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM autodeploy_environment_locks "
                + "WHERE repository = ? AND environment = ?")) {
            Sql.bind(s, repository.fullName(), environment.value());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        }
    }

    static List<EnvironmentLock> all(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM autodeploy_environment_locks "
                + "ORDER BY repository, environment");
             ResultSet r = s.executeQuery()) {
            List<EnvironmentLock> out = new ArrayList<>();
            while (r.next()) {
                out.add(read(r));
            }
            return List.copyOf(out);
        }
    }

    private static EnvironmentLock read(ResultSet r) throws SQLException {
        long expires = r.getLong("expires");
        Optional<java.time.Instant> until = r.wasNull() ? Optional.empty() : Optional.of(Times.fromNanos(expires));
        return new EnvironmentLock(RepositoryName.of(r.getString("repository")), EnvironmentName.of(r.getString("environment")),
                r.getString("reason"), r.getString("holder"), Times.fromNanos(r.getLong("since")), until);
    }
}
