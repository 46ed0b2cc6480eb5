package io.github.autodeploy.store.jdbc;

import io.github.autodeploy.core.lifecycle.DeploymentLifecycle;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Requester;
import io.github.autodeploy.core.store.DeploymentRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Maps {@link DeploymentRecord}s to rows of {@code autodeploy_deployments} and back, keeping the
 * row's ownership columns (owner, lease, history size, settled) in step with the record. Stateless.
 */
final class Rows {
    static final String COLUMNS = "id, repository, environment, sha, ref, task, requester, payload, description, "
            + "state, history, steps, page_key, queued_at, started_at, finished_at";
    /** SQL that is true for a row whose state is finished: terminal or inactive. */
    static final String FINISHED = "state IN ('SUCCESS', 'FAILURE', 'ERROR', 'INACTIVE')";

    private Rows() {
    }

    /** A statement with its parameters bound ahead, so that the work under a write lock is only running it. */
    record Statement(String sql, Object... parameters) {
        int run(Connection c) throws SQLException {
            return Sql.update(c, sql, parameters);
        }
    }

    /**
     * Inserts a new row owned by {@code owner} until {@code leaseUntil}, none of its statuses posted.
     * The statement is made now (its JSON written); running it answers 1 if the row is new.
     */
    static Statement insertOf(DeploymentRecord r, String owner, long leaseUntil) {
        Deployment d = r.deployment();
        int size = r.lifecycle().history().size();
        return new Statement("INSERT INTO autodeploy_deployments (" + COLUMNS + ", owner, lease_until, statuses_posted, "
                        + "history_size, settled) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?) "
                        + "ON CONFLICT (id) DO NOTHING",
                d.id().value(), d.repository().fullName(), d.environment().value(), d.sha().value(), d.ref().value(),
                d.task(), d.requester().login(), d.payloadJson(), d.description(), r.state().name(),
                Json.history(r.lifecycle().history()), Json.steps(r.steps()), r.pageKey(), Times.toNanos(r.queuedAt()),
                nanos(r.startedAt()), nanos(r.finishedAt()), owner, leaseUntil, size,
                finished(r) && size == 0 ? 1 : 0);
    }

    /**
     * PostgreSQL only: records {@code delivery} and, only when its row is new, inserts the record as {@link #insertOf}
     * does, in one statement (a data-modifying {@code WITH}). One row when both are new; none when the delivery was
     * recorded before (the deployment is then not inserted, even when no longer stored) or the deployment is known
     * (the delivery is then recorded).
     */
    static Statement insertWithDelivery(DeploymentRecord r, String owner, long leaseUntil, String delivery, long seenAt) {
        Statement row = insertOf(r, owner, leaseUntil);
        String values = "VALUES (";
        int at = row.sql().indexOf(values);
        int end = row.sql().indexOf(") ON CONFLICT (id) DO NOTHING", at);
        String sql = "WITH seen AS (INSERT INTO autodeploy_deliveries (id, seen_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING "
                + "RETURNING id) " + row.sql().substring(0, at) + "SELECT " + row.sql().substring(at + values.length(), end)
                + " WHERE EXISTS (SELECT 1 FROM seen)" + row.sql().substring(end + 1);
        Object[] parameters = new Object[row.parameters().length + 2];
        parameters[0] = delivery;
        parameters[1] = seenAt;
        System.arraycopy(row.parameters(), 0, parameters, 2, row.parameters().length);
        return new Statement(sql, parameters);
    }

    /**
     * Replaces a row's record and recomputes whether it is settled. The row keeps its owner, unless it
     * had none (it was unowned, or settled and now has a new status to post): then {@code owner} takes
     * it. The lease is renewed when {@code owner} is (now) the row's owner. The statement is made
     * now (its JSON written); run it to replace.
     */
    static Statement updateOf(DeploymentRecord r, String owner, long leaseUntil) {
        Deployment d = r.deployment();
        int size = r.lifecycle().history().size();
        // Every right-hand side reads the row as it was before this UPDATE, on both databases.
        return new Statement("UPDATE autodeploy_deployments SET repository = ?, environment = ?, sha = ?, ref = ?, task = ?, "
                        + "requester = ?, payload = ?, description = ?, state = ?, history = ?, steps = ?, page_key = ?, "
                        + "queued_at = ?, started_at = ?, finished_at = ?, history_size = ?, "
                        + "settled = CASE WHEN ? = 1 AND statuses_posted >= ? THEN 1 ELSE 0 END, "
                        + "owner = CASE WHEN settled = 1 OR owner = '' THEN ? ELSE owner END, "
                        + "lease_until = CASE WHEN settled = 1 OR owner = '' OR owner = ? THEN ? ELSE lease_until END "
                        + "WHERE id = ?",
                d.repository().fullName(), d.environment().value(), d.sha().value(), d.ref().value(), d.task(),
                d.requester().login(), d.payloadJson(), d.description(), r.state().name(),
                Json.history(r.lifecycle().history()), Json.steps(r.steps()), r.pageKey(), Times.toNanos(r.queuedAt()),
                nanos(r.startedAt()), nanos(r.finishedAt()), size, finished(r) ? 1 : 0, size, owner, owner, leaseUntil,
                d.id().value());
    }

    /** Terminal or inactive: nothing more will run. */
    static boolean finished(DeploymentRecord r) {
        return r.state().isTerminal() || r.state() == DeploymentState.INACTIVE;
    }

    static Optional<DeploymentRecord> find(Connection c, DeploymentId id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM autodeploy_deployments WHERE id = ?")) {
            s.setLong(1, id.value());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        }
    }

    /**
     * The newest started deployment of a lane whose history has a success (it may be inactive since),
     * optionally at one sha; looks at the newest 200 candidates.
     */
    static Optional<DeploymentRecord> lastSucceeded(Connection c, RepositoryName repository, EnvironmentName environment,
                                                    Optional<CommitSha> sha) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM autodeploy_deployments "
                + "WHERE repository = ? AND environment = ? AND state IN ('SUCCESS', 'INACTIVE') AND started_at IS NOT NULL "
                + (sha.isPresent() ? "AND sha = ? " : "") + "ORDER BY id DESC LIMIT 200")) {
            if (sha.isPresent()) {
                Sql.bind(s, repository.fullName(), environment.value(), sha.get().value());
            } else {
                Sql.bind(s, repository.fullName(), environment.value());
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    DeploymentRecord record = read(r);
                    if (record.lifecycle().history().stream().anyMatch(u -> u.state() == DeploymentState.SUCCESS)) {
                        return Optional.of(record);
                    }
                }
                return Optional.empty();
            }
        }
    }

    static List<DeploymentRecord> recent(Connection c, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM autodeploy_deployments "
                + "ORDER BY queued_at DESC, id DESC LIMIT ?")) {
            s.setInt(1, limit);
            try (ResultSet r = s.executeQuery()) {
                List<DeploymentRecord> out = new ArrayList<>();
                while (r.next()) {
                    out.add(read(r));
                }
                return List.copyOf(out);
            }
        }
    }

    static DeploymentRecord read(ResultSet r) throws SQLException {
        Deployment d = new Deployment(RepositoryName.of(r.getString("repository")), DeploymentId.of(r.getLong("id")),
                CommitSha.of(r.getString("sha")), GitRef.of(r.getString("ref")), EnvironmentName.of(r.getString("environment")),
                r.getString("task"), Requester.of(r.getString("requester")), r.getString("payload"), r.getString("description"));
        DeploymentLifecycle lifecycle = new DeploymentLifecycle(Json.state(r.getString("state")), Json.history(r.getString("history")));
        return new DeploymentRecord(d, lifecycle, Json.steps(r.getString("steps")), Times.fromNanos(r.getLong("queued_at")),
                instant(r, "started_at"), instant(r, "finished_at"), r.getString("page_key"));
    }

    private static Optional<Long> nanos(Optional<Instant> at) {
        return at.map(Times::toNanos);
    }

    private static Optional<Instant> instant(ResultSet r, String column) throws SQLException {
        long v = r.getLong(column);
        return r.wasNull() ? Optional.empty() : Optional.of(Times.fromNanos(v));
    }
}
