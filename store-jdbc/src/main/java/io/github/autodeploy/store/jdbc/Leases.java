package io.github.autodeploy.store.jdbc;

import io.github.autodeploy.core.store.Orphans;
import io.github.autodeploy.core.store.WaitingMerge;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Ownership of unsettled deployments and waiting merges: renewing an owner's leases and taking over
 * what others left. Each method runs inside the caller's transaction. Stateless.
 *
 * <p>On PostgreSQL a taker claims rows with {@code UPDATE ... WHERE id IN (SELECT ... FOR UPDATE
 * SKIP LOCKED) RETURNING ...}: the row locks make two takers' sets disjoint (a row locked by one is
 * skipped by the other, and one it already took no longer matches), and since a taker never waits
 * for a lock it cannot deadlock with an owner renewing the same rows in another order. SQLite has
 * one writer at a time, so the same UPDATE without the locking clause is enough.
 */
final class Leases {
    private Leases() {
    }

    /**
     * Extends the lease of every unsettled deployment and waiting merge {@code owner} owns. On
     * PostgreSQL the deployments are locked in id order first, the order the store's other multi-row
     * write (posted-status marks) locks them in, so the two never deadlock.
     */
    static Void renew(Connection c, Dialect dialect, String owner, long leaseUntil) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id FROM autodeploy_deployments WHERE owner = ? AND settled = 0 ORDER BY id FOR UPDATE")) {
                s.setString(1, owner);
                s.executeQuery().close();
            }
        }
        Sql.update(c, "UPDATE autodeploy_deployments SET lease_until = ? WHERE owner = ? AND settled = 0", leaseUntil, owner);
        Sql.update(c, "UPDATE autodeploy_waiting SET lease_until = ? WHERE owner = ?", leaseUntil, owner);
        return null;
    }

    /**
     * Takes, for {@code owner} until {@code leaseUntil}, the unsettled deployments and waiting merges
     * another owner holds: those whose lease ended before {@code now} or, when {@code honourLeases} is
     * false (a store only one process uses at a time), all of them.
     */
    static Orphans adopt(Connection c, Dialect dialect, String owner, long now, long leaseUntil, boolean honourLeases)
            throws SQLException {
        String lease = honourLeases ? " AND lease_until < ?" : "";
        String lock = dialect == Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
        List<Orphans.Adopted> deployments = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("UPDATE autodeploy_deployments SET owner = ?, lease_until = ? "
                + "WHERE id IN (SELECT id FROM autodeploy_deployments WHERE settled = 0 AND owner <> ?" + lease + lock + ") "
                + "RETURNING " + Rows.COLUMNS + ", statuses_posted")) {
            bind(s, owner, leaseUntil, now, honourLeases);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    deployments.add(new Orphans.Adopted(Rows.read(r), r.getInt("statuses_posted")));
                }
            }
        }
        deployments.sort(Comparator.comparingLong(a -> a.record().deployment().id().value()));
        List<WaitingMerge> waiting;
        try (PreparedStatement s = c.prepareStatement("UPDATE autodeploy_waiting SET owner = ?, lease_until = ? "
                + "WHERE request_id IN (SELECT request_id FROM autodeploy_waiting WHERE owner <> ?" + lease + lock + ") "
                + "RETURNING " + Waiting.COLUMNS)) {
            bind(s, owner, leaseUntil, now, honourLeases);
            try (ResultSet r = s.executeQuery()) {
                waiting = new ArrayList<>(Waiting.readAll(r));
            }
        }
        waiting.sort(Comparator.comparing(WaitingMerge::deadline).thenComparing(WaitingMerge::requestId));
        return new Orphans(deployments, waiting);
    }

    private static void bind(PreparedStatement s, String owner, long leaseUntil, long now, boolean honourLeases)
            throws SQLException {
        if (honourLeases) {
            Sql.bind(s, owner, leaseUntil, owner, now);
        } else {
            Sql.bind(s, owner, leaseUntil, owner);
        }
    }
}
