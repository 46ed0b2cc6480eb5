package io.github.autodeploy.store.jdbc;

import io.github.autodeploy.core.lifecycle.DeploymentLifecycle;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
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

/** Maps {@link DeploymentRecord}s to rows of {@code autodeploy_deployments} and back. Stateless. */
final class Rows {
    private static final String COLUMNS = "id, repository, environment, sha, ref, task, requester, payload, description, "
            + "state, history, steps, page_key, queued_at, started_at, finished_at";

    private Rows() {
    }

    static boolean insert(Connection c, DeploymentRecord r) throws SQLException {
        Deployment d = r.deployment();
        return Sql.update(c, "INSERT INTO autodeploy_deployments (" + COLUMNS + ") "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                d.id().value(), d.repository().fullName(), d.environment().value(), d.sha().value(), d.ref().value(),
                d.task(), d.requester().login(), d.payloadJson(), d.description(), r.state().name(),
                Json.history(r.lifecycle().history()), Json.steps(r.steps()), r.pageKey(), Times.toNanos(r.queuedAt()),
                nanos(r.startedAt()), nanos(r.finishedAt())) == 1;
    }

    static Void update(Connection c, DeploymentRecord r) throws SQLException {
        Deployment d = r.deployment();
        Sql.update(c, "UPDATE autodeploy_deployments SET repository = ?, environment = ?, sha = ?, ref = ?, task = ?, "
                        + "requester = ?, payload = ?, description = ?, state = ?, history = ?, steps = ?, page_key = ?, "
                        + "queued_at = ?, started_at = ?, finished_at = ? WHERE id = ?",
                d.repository().fullName(), d.environment().value(), d.sha().value(), d.ref().value(), d.task(),
                d.requester().login(), d.payloadJson(), d.description(), r.state().name(),
                Json.history(r.lifecycle().history()), Json.steps(r.steps()), r.pageKey(), Times.toNanos(r.queuedAt()),
                nanos(r.startedAt()), nanos(r.finishedAt()), d.id().value());
        return null;
    }

    static Optional<DeploymentRecord> find(Connection c, DeploymentId id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM autodeploy_deployments WHERE id = ?")) {
            s.setLong(1, id.value());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
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

    private static DeploymentRecord read(ResultSet r) throws SQLException {
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
