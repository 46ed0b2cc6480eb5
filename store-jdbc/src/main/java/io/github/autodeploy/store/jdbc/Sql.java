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
