package io.github.autodeploy.store.jdbc;

import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Requester;
import io.github.autodeploy.core.store.WaitingMerge;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Maps {@link WaitingMerge}s to rows of {@code autodeploy_waiting} and back. Stateless. */
final class Waiting {
    static final String COLUMNS = "request_id, repository, environment, sha, branch, requester, cause, deadline, may_exist";

    private Waiting() {
    }

    /** Inserts the merge, or replaces the one with its request id; either way {@code owner} owns it until {@code leaseUntil}. */
    static void park(Connection c, WaitingMerge m, String owner, long leaseUntil) throws SQLException {
        Sql.update(c, "INSERT INTO autodeploy_waiting (" + COLUMNS + ", owner, lease_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (request_id) DO UPDATE SET repository = excluded.repository, "
                        + "environment = excluded.environment, sha = excluded.sha, branch = excluded.branch, "
                        + "requester = excluded.requester, cause = excluded.cause, deadline = excluded.deadline, "
                        + "may_exist = excluded.may_exist, owner = excluded.owner, lease_until = excluded.lease_until",
                m.requestId(), m.repository().fullName(), m.environment().value(), m.sha().value(), m.branch(),
                m.requester().login(), m.cause(), Times.toNanos(m.deadline()), m.mayExist() ? 1 : 0, owner, leaseUntil);
    }

    static List<WaitingMerge> all(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM autodeploy_waiting ORDER BY deadline, request_id");
             ResultSet r = s.executeQuery()) {
            return readAll(r);
        }
    }

    static List<WaitingMerge> readAll(ResultSet r) throws SQLException {
        List<WaitingMerge> out = new ArrayList<>();
        while (r.next()) {
            out.add(new WaitingMerge(r.getString("request_id"), RepositoryName.of(r.getString("repository")),
                    EnvironmentName.of(r.getString("environment")), CommitSha.of(r.getString("sha")), r.getString("branch"),
                    Requester.of(r.getString("requester")), r.getString("cause"), Times.fromNanos(r.getLong("deadline")),
                    r.getInt("may_exist") == 1));
        }
        return out;
    }
}
