package io.github.autodeploy.store.jdbc;

import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.port.ProtectionRuleTarget;
import io.github.autodeploy.core.store.GatedRun;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Maps {@link GatedRun}s to rows of {@code autodeploy_gated_runs} and back: insert once, read, list,
 * and replace only at the version read (compare-and-set). Stateless.
 */
final class Gated {
    /** Every column but {@code run_key} and {@code version}, in the order {@link #bindValues} binds them. */
    private static final String VALUES = "repository, run_id, environment, installation_id, deployment_id, sha, ref, "
            + "creator, trigger_event, requested_at, deadline, state, reason, approvals, reports_sent, reported, "
            + "decided_by, decided_at, delivery, announced";
    private static final String COLUMNS = "run_key, " + VALUES + ", version";
    /** Waiting, or decided and not yet sent: what still needs the robot, listed first. */
    private static final String ACTIVE = "CASE WHEN state = 'waiting' OR delivery = 'pending' THEN 0 ELSE 1 END";

    private Gated() {
    }

    /** Stores {@code run} at version 1 unless its key is stored; true when it did. */
    static boolean insert(Connection c, GatedRun run) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO autodeploy_gated_runs (" + COLUMNS + ") "
                + "VALUES (" + "?, ".repeat(COLUMNS.split(", ").length - 1) + "?) ON CONFLICT (run_key) DO NOTHING")) {
            s.setString(1, run.key());
            int next = bindValues(s, 2, run);
            s.setLong(next, 1);
            return s.executeUpdate() == 1;
        }
    }

    /**
     * Stores {@code next} at {@code next.version() + 1} if the row is still at {@code next.version()}:
     * one statement, so two writers that read the same version cannot both change it.
     */
    static Optional<GatedRun> replace(Connection c, GatedRun next) throws SQLException {
        StringBuilder set = new StringBuilder();
        for (String column : VALUES.split(", ")) {
            set.append(column).append(" = ?, ");
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE autodeploy_gated_runs SET " + set
                + "version = version + 1 WHERE run_key = ? AND version = ?")) {
            int i = bindValues(s, 1, next);
            s.setString(i, next.key());
            s.setLong(i + 1, next.version());
            return s.executeUpdate() == 1 ? Optional.of(next.atVersion(next.version() + 1)) : Optional.empty();
        }
    }

    static Optional<GatedRun> find(Connection c, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM autodeploy_gated_runs WHERE run_key = ?")) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        }
    }

    /** At most {@code limit} runs: waiting or not yet sent first, then the newest request first. */
    static List<GatedRun> list(Connection c, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM autodeploy_gated_runs "
                + "ORDER BY " + ACTIVE + ", requested_at DESC, run_key DESC LIMIT ?")) {
            s.setInt(1, limit);
            try (ResultSet r = s.executeQuery()) {
                List<GatedRun> out = new ArrayList<>();
                while (r.next()) {
                    out.add(read(r));
                }
                return List.copyOf(out);
            }
        }
    }

    /** Deletes runs decided before {@code before} (nanoseconds); waiting runs stay however old. */
    static int prune(Connection c, long before) throws SQLException {
        return Sql.update(c, "DELETE FROM autodeploy_gated_runs WHERE state <> 'waiting' AND decided_at < ?", before);
    }

    /** Binds the columns of {@link #VALUES} from {@code at} on; returns the next parameter index. */
    private static int bindValues(PreparedStatement s, int at, GatedRun run) throws SQLException {
        ProtectionRuleTarget t = run.target();
        int i = at;
        s.setString(i++, t.repository().fullName());
        s.setLong(i++, t.runId());
        s.setString(i++, t.environment().value());
        if (t.installationId().isPresent()) {
            s.setLong(i++, t.installationId().getAsLong());
        } else {
            s.setNull(i++, Types.BIGINT);
        }
        s.setLong(i++, run.deploymentId().value());
        s.setString(i++, run.sha().value());
        s.setString(i++, run.ref().value());
        s.setString(i++, run.creator());
        s.setString(i++, run.trigger());
        s.setLong(i++, Times.toNanos(run.requestedAt()));
        s.setLong(i++, Times.toNanos(run.deadline()));
        s.setString(i++, run.state().wireName());
        s.setString(i++, run.reason());
        s.setString(i++, approvals(run.approvals()));
        s.setInt(i++, run.reportsSent());
        s.setString(i++, run.reported());
        if (run.decidedBy().isPresent()) {
            s.setString(i++, run.decidedBy().get());
        } else {
            s.setNull(i++, Types.VARCHAR);
        }
        if (run.decidedAt().isPresent()) {
            s.setLong(i++, Times.toNanos(run.decidedAt().get()));
        } else {
            s.setNull(i++, Types.BIGINT);
        }
        s.setString(i++, run.delivery().wireName());
        s.setBoolean(i++, run.announced());
        return i;
    }

    private static GatedRun read(ResultSet r) throws SQLException {
        long installation = r.getLong("installation_id");
        OptionalLong installationId = r.wasNull() ? OptionalLong.empty() : OptionalLong.of(installation);
        ProtectionRuleTarget target = new ProtectionRuleTarget(RepositoryName.of(r.getString("repository")),
                r.getLong("run_id"), EnvironmentName.of(r.getString("environment")), installationId);
        long decided = r.getLong("decided_at");
        Optional<Instant> decidedAt = r.wasNull() ? Optional.empty() : Optional.of(Times.fromNanos(decided));
        return new GatedRun(target, DeploymentId.of(r.getLong("deployment_id")), CommitSha.of(r.getString("sha")),
                GitRef.of(r.getString("ref")), r.getString("creator"), r.getString("trigger_event"),
                Times.fromNanos(r.getLong("requested_at")), Times.fromNanos(r.getLong("deadline")),
                GatedRun.State.fromWire(r.getString("state")), r.getString("reason"), approvals(r.getString("approvals")),
                r.getInt("reports_sent"), r.getString("reported"), Optional.ofNullable(r.getString("decided_by")),
                decidedAt, GatedRun.Delivery.fromWire(r.getString("delivery")), r.getBoolean("announced"), r.getLong("version"));
    }

    /** One line per approval: its time in nanoseconds since the epoch, a space, the user. */
    static String approvals(List<GatedRun.Approval> approvals) {
        StringBuilder out = new StringBuilder();
        for (GatedRun.Approval a : approvals) {
            out.append(out.isEmpty() ? "" : "\n").append(Times.toNanos(a.at())).append(' ').append(a.user());
        }
        return out.toString();
    }

    static List<GatedRun.Approval> approvals(String text) {
        List<GatedRun.Approval> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                int space = line.indexOf(' ');
                out.add(new GatedRun.Approval(line.substring(space + 1), Times.fromNanos(Long.parseLong(line.substring(0, space)))));
            }
        }
        return out;
    }
}
