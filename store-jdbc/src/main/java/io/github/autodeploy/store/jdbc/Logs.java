package io.github.autodeploy.store.jdbc;

import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.store.LogChunk;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Deployment logs in {@code autodeploy_log_lines}: appended a batch of lines at a time (on PostgreSQL in
 * one statement; on SQLite one update of the deployment's row and an insert per line), trimmed from the
 * oldest line to stay within a byte limit per deployment, read from a line on. Each method runs inside the
 * caller's transaction. Stateless.
 */
final class Logs {
    /** Lines one read returns at most; the reader asks again from {@code nextLine}. */
    static final int MAX_LINES_PER_READ = 10_000;

    private Logs() {
    }

    /**
     * PostgreSQL: appends {@code lines} in one statement, which reserves their line numbers on the
     * deployment's row (its write lock orders concurrent appends) and inserts them; true when the log
     * is now over {@code limitBytes} with more than one line, so the caller trims it.
     */
    static boolean appendAll(Connection c, DeploymentId id, List<String> lines, long limitBytes) throws SQLException {
        String[] texts = new String[lines.size()];
        Integer[] sizes = new Integer[lines.size()];
        long total = 0;
        for (int i = 0; i < texts.length; i++) {
            texts[i] = lines.get(i).replace('\u0000', '\uFFFD');
            sizes[i] = texts[i].getBytes(StandardCharsets.UTF_8).length + 1;
            total += sizes[i];
        }
        try (PreparedStatement s = c.prepareStatement("WITH r AS (UPDATE autodeploy_deployments "
                + "SET log_next = log_next + ?, log_bytes = log_bytes + ? WHERE id = ? RETURNING log_next, log_first, log_bytes), "
                + "i AS (INSERT INTO autodeploy_log_lines (deployment_id, line_no, line, bytes) "
                + "SELECT ?, r.log_next - ? + l.n - 1, l.line, l.bytes FROM r, "
                + "unnest(?::text[], ?::integer[]) WITH ORDINALITY AS l (line, bytes, n)) "
                + "SELECT log_next, log_first, log_bytes FROM r")) {
            s.setLong(1, texts.length);
            s.setLong(2, total);
            s.setLong(3, id.value());
            s.setLong(4, id.value());
            s.setLong(5, texts.length);
            s.setArray(6, c.createArrayOf("text", texts));
            s.setArray(7, c.createArrayOf("integer", sizes));
            try (ResultSet r = s.executeQuery()) {
                // No row: an unknown deployment keeps no log, as in the in-memory store.
                return r.next() && r.getLong(3) > limitBytes && r.getLong(1) - r.getLong(2) > 1;
            }
        }
    }

    /**
     * SQLite: appends {@code lines} with one update of the deployment's row (reserving their line
     * numbers) and one insert per line, then trims the log to {@code limitBytes} once, which keeps
     * what appending and trimming line by line would keep (the newest lines within the limit, the
     * newest line always). Runs inside the caller's transaction.
     */
    static void appendAllThenTrim(Connection c, DeploymentId id, List<String> lines, long limitBytes) throws SQLException {
        String[] texts = new String[lines.size()];
        int[] sizes = new int[lines.size()];
        long total = 0;
        for (int i = 0; i < texts.length; i++) {
            texts[i] = lines.get(i).replace('\u0000', '\uFFFD');
            sizes[i] = texts[i].getBytes(StandardCharsets.UTF_8).length + 1;
            total += sizes[i];
        }
        long next;
        long first;
        long bytes;
        try (PreparedStatement s = c.prepareStatement("UPDATE autodeploy_deployments SET log_next = log_next + ?, "
                + "log_bytes = log_bytes + ? WHERE id = ? RETURNING log_next, log_first, log_bytes")) {
            s.setLong(1, texts.length);
            s.setLong(2, total);
            s.setLong(3, id.value());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return; // an unknown deployment keeps no log, as in the in-memory store
                }
                next = r.getLong(1);
                first = r.getLong(2);
                bytes = r.getLong(3);
            }
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO autodeploy_log_lines (deployment_id, line_no, line, bytes) VALUES (?, ?, ?, ?)")) {
            long lineNo = next - texts.length;
            for (int i = 0; i < texts.length; i++) {
                s.setLong(1, id.value());
                s.setLong(2, lineNo + i);
                s.setString(3, texts[i]);
                s.setInt(4, sizes[i]);
                s.executeUpdate();
            }
        }
        if (bytes > limitBytes && next - first > 1) {
            trim(c, id, first, next - 1, bytes - limitBytes);
        }
    }

    /** Trims a log to {@code limitBytes} from its oldest line, keeping the newest line, under its row's write lock. */
    static void trimToLimit(Connection c, DeploymentId id, long limitBytes) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT log_next, log_first, log_bytes FROM autodeploy_deployments WHERE id = ? FOR UPDATE")) {
            s.setLong(1, id.value());
            long next;
            long first;
            long total;
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return;
                }
                next = r.getLong(1);
                first = r.getLong(2);
                total = r.getLong(3);
            }
            if (total > limitBytes && next - first > 1) {
                trim(c, id, first, next - 1, total - limitBytes);
            }
        }
    }

    /**
     * Drops whole logs of finished deployments, oldest queued first, until all logs together hold at
     * most {@code budgetBytes}; returns how many logs were dropped. A dropped log reads as empty from
     * where it ended (its {@code firstLine} moves past its last line).
     */
    static int keepWithin(Connection c, long budgetBytes) throws SQLException {
        long total;
        try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(log_bytes), 0) FROM autodeploy_deployments");
             ResultSet r = s.executeQuery()) {
            r.next();
            total = r.getLong(1);
        }
        if (total <= budgetBytes) {
            return 0;
        }
        List<long[]> oldest = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, log_bytes FROM autodeploy_deployments "
                + "WHERE log_bytes > 0 AND finished_at IS NOT NULL ORDER BY queued_at, id")) {
            s.setFetchSize(256);
            try (ResultSet r = s.executeQuery()) {
                long over = total - budgetBytes;
                while (over > 0 && r.next()) {
                    oldest.add(new long[] {r.getLong(1), r.getLong(2)});
                    over -= r.getLong(2);
                }
            }
        }
        for (long[] log : oldest) {
            Sql.update(c, "DELETE FROM autodeploy_log_lines WHERE deployment_id = ?", log[0]);
            Sql.update(c, "UPDATE autodeploy_deployments SET log_first = log_next, log_bytes = 0 WHERE id = ?", log[0]);
        }
        return oldest.size();
    }

    /** Deletes the oldest lines until {@code excess} bytes are gone, always keeping the newest line. */
    private static void trim(Connection c, DeploymentId id, long first, long newest, long excess) throws SQLException {
        long removed = 0;
        long newFirst = first;
        try (PreparedStatement s = c.prepareStatement("SELECT line_no, bytes FROM autodeploy_log_lines "
                + "WHERE deployment_id = ? AND line_no >= ? AND line_no < ? ORDER BY line_no")) {
            s.setFetchSize(64);
            s.setLong(1, id.value());
            s.setLong(2, first);
            s.setLong(3, newest);
            try (ResultSet r = s.executeQuery()) {
                while (removed < excess && r.next()) {
                    removed += r.getInt(2);
                    newFirst = r.getLong(1) + 1;
                }
            }
        }
        if (newFirst == first) {
            return;
        }
        Sql.update(c, "DELETE FROM autodeploy_log_lines WHERE deployment_id = ? AND line_no < ?", id.value(), newFirst);
        Sql.update(c, "UPDATE autodeploy_deployments SET log_first = ?, log_bytes = log_bytes - ? WHERE id = ?",
                newFirst, removed, id.value());
    }

    static LogChunk read(Connection c, DeploymentId id, long fromLine) throws SQLException {
        long first;
        long next;
        try (PreparedStatement s = c.prepareStatement("SELECT log_first, log_next FROM autodeploy_deployments WHERE id = ?")) {
            s.setLong(1, id.value());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return new LogChunk(0, List.of(), 0);
                }
                first = r.getLong(1);
                next = r.getLong(2);
            }
        }
        long start = Math.max(fromLine, first);
        if (start >= next) {
            return new LogChunk(next, List.of(), next);
        }
        List<String> lines = new ArrayList<>();
        long chunkStart = start;
        long last = start - 1;
        try (PreparedStatement s = c.prepareStatement("SELECT line_no, line FROM autodeploy_log_lines "
                + "WHERE deployment_id = ? AND line_no >= ? AND line_no < ? ORDER BY line_no LIMIT ?")) {
            s.setLong(1, id.value());
            s.setLong(2, start);
            s.setLong(3, next);
            s.setInt(4, MAX_LINES_PER_READ);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (lines.isEmpty()) {
                        chunkStart = r.getLong(1);
                    }
                    last = r.getLong(1);
                    lines.add(r.getString(2));
                }
            }
        }
        return lines.isEmpty() ? new LogChunk(next, List.of(), next) : new LogChunk(chunkStart, lines, last + 1);
    }
}
