package io.github.autodeploy.store.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQLite writer's prepared statements, kept across write batches for each connection, so that a
 * statement the store runs thousands of times a second (a delivery's insert, a log line, a savepoint)
 * is compiled once per connection instead of once per run. SQLite compiles a statement on every
 * {@code prepareStatement} (neither the driver nor the pool keeps them), and compiling costs about
 * as much as running a small insert.
 *
 * <p>{@link #view} gives a batch its connection: {@code prepareStatement(String)} answers a kept
 * statement (made on the driver's own connection, under the pool's) whose {@code close()} only clears
 * its parameters and gives it back; a second use of one SQL while the first is open gets a statement
 * of its own, closed as usual. Everything else goes to the pooled connection, so transactions are the
 * batch's. {@link #batchEnded} gives back what a work left open. A connection whose driver connection
 * cannot be reached (a host's pool that hides it) is used as it is, without keeping anything.
 *
 * <p>Not thread-safe: used only by the thread holding {@link GroupCommit}'s commit lock.
 */
final class WriterStatements {
    /** Connections whose statements are kept (the pool's, at most); the least recently used goes first. */
    private static final int MAX_CONNECTIONS = 16;
    /** Statements kept per connection: the store's writes use a few dozen distinct ones. */
    static final int MAX_STATEMENTS = 128;

    private final Map<Connection, Kept> kept = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Connection, Kept> eldest) {
            if (size() > MAX_CONNECTIONS) {
                eldest.getValue().closeAll();
                return true;
            }
            return false;
        }
    };
    private Kept current;

    /** {@code pooled} for one batch, its statements kept; call {@link #batchEnded()} when the batch is done. */
    Connection view(Connection pooled) throws SQLException {
        current = null;
        if (!pooled.isWrapperFor(org.sqlite.SQLiteConnection.class)) {
            return pooled;
        }
        Connection driver = pooled.unwrap(org.sqlite.SQLiteConnection.class);
        Kept k = kept.get(driver);
        if (k == null || driver.isClosed()) {
            if (k != null) {
                k.closeAll();
            }
            k = new Kept(driver);
            kept.put(driver, k);
        }
        current = k;
        Kept forBatch = k;
        return (Connection) Proxy.newProxyInstance(WriterStatements.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement") && args != null && args.length == 1
                            && args[0] instanceof String sql) {
                        return forBatch.take(sql, pooled);
                    }
                    return invoke(method, pooled, args);
                });
    }

    /** Gives back every statement of the batch's connection that a work left open. */
    void batchEnded() {
        if (current != null) {
            current.giveAllBack();
            current = null;
        }
    }

    /** How many statements are kept for all connections; for tests. */
    int size() {
        return kept.values().stream().mapToInt(k -> k.statements.size()).sum();
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The statements kept for one driver connection, by SQL; the least recently used is closed past the bound. */
    private static final class Kept {
        private final Connection driver;
        private final Map<String, Entry> statements = new LinkedHashMap<>(32, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                if (size() > MAX_STATEMENTS) {
                    eldest.getValue().closeQuietly();
                    return true;
                }
                return false;
            }
        };

        Kept(Connection driver) {
            this.driver = driver;
        }

        PreparedStatement take(String sql, Connection pooled) throws SQLException {
            Entry e = statements.get(sql);
            if (e != null && e.closed) {
                statements.remove(sql);
                e = null;
            }
            if (e != null && e.inUse) {
                return pooled.prepareStatement(sql); // the same SQL twice at once: a statement of its own
            }
            if (e == null) {
                e = new Entry(driver.prepareStatement(sql));
                statements.put(sql, e);
            }
            e.inUse = true;
            return e.view;
        }

        void giveAllBack() {
            for (Entry e : statements.values()) {
                if (e.inUse) {
                    e.giveBack();
                }
            }
        }

        void closeAll() {
            List<Entry> all = new ArrayList<>(statements.values());
            statements.clear();
            all.forEach(Entry::closeQuietly);
        }
    }

    /** One kept statement and the view of it a work gets: closing the view gives the statement back. */
    private static final class Entry {
        private final PreparedStatement statement;
        private final PreparedStatement view;
        private boolean inUse;
        private boolean closed;

        Entry(PreparedStatement statement) {
            this.statement = statement;
            this.view = (PreparedStatement) Proxy.newProxyInstance(WriterStatements.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "close" -> {
                                if (inUse) {
                                    giveBack();
                                }
                                return null;
                            }
                            case "isClosed" -> {
                                return !inUse || closed;
                            }
                            default -> {
                                if (!inUse || closed) {
                                    throw new SQLException("statement is closed");
                                }
                                return invoke(method, statement, args);
                            }
                        }
                    });
        }

        void giveBack() {
            inUse = false;
            try {
                java.sql.ResultSet open = statement.getResultSet();
                if (open != null) {
                    open.close();
                }
                statement.clearParameters();
            } catch (SQLException e) {
                closeQuietly(); // a statement that cannot be reset is not used again
            }
        }

        void closeQuietly() {
            closed = true; // never handed out again
            inUse = false;
            try {
                statement.close();
            } catch (SQLException ignored) {
                // its connection may be closed already, which closed it too
            }
        }
    }
}
