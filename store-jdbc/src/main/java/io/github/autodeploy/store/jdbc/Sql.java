package io.github.autodeploy.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Optional;

/** Binds parameters and runs a statement: the only plain-JDBC plumbing the store needs. Stateless. */
final class Sql {
    private Sql() {
    }

    static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, parameters);
            return s.executeUpdate();
        }
    }

    /**
     * Runs two statements in one message and answers the second one's row count. In auto-commit mode
     * PostgreSQL runs them as one implicit transaction: both are kept, or neither.
     */
    static int secondOfTwo(Connection c, Rows.Statement first, Rows.Statement second) throws SQLException {
        Object[] parameters = new Object[first.parameters().length + second.parameters().length];
        System.arraycopy(first.parameters(), 0, parameters, 0, first.parameters().length);
        System.arraycopy(second.parameters(), 0, parameters, first.parameters().length, second.parameters().length);
        try (PreparedStatement s = c.prepareStatement(first.sql() + ";\n" + second.sql())) {
            bind(s, parameters);
            s.execute();
            if (s.getMoreResults()) {
                throw new SQLException("the second of two statements answered rows, not a row count");
            }
            return s.getUpdateCount();
        }
    }

    /** Binds Strings, Longs, Integers and {@code Optional<Long>} (empty: SQL NULL). */
    static void bind(PreparedStatement s, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object p = parameters[i];
            if (p instanceof Optional<?> o) {
                if (o.isPresent()) {
                    s.setLong(i + 1, (Long) o.get());
                } else {
                    s.setNull(i + 1, Types.BIGINT);
                }
            } else if (p instanceof Long l) {
                s.setLong(i + 1, l);
            } else if (p instanceof Integer n) {
                s.setInt(i + 1, n);
            } else if (p instanceof String t) {
                s.setString(i + 1, t);
            } else {
                throw new IllegalArgumentException("cannot bind " + (p == null ? "null" : p.getClass().getName()));
            }
        }
    }
}
