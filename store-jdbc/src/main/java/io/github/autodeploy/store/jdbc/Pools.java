package io.github.autodeploy.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.autodeploy.core.AutodeployException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** Opens the connection pool for a JDBC URL, with each database's settings. Stateless. */
final class Pools {
    private static final int SQLITE_BUSY_TIMEOUT_MILLIS = 10_000;
    /** How long one PostgreSQL call may wait for an answer; the store's statements are small. */
    static final int SOCKET_TIMEOUT_SECONDS = 5;

    private Pools() {
    }

    /** A pool on {@code url}; {@code shown} names it in messages (its secrets masked, user info included). */
    static HikariDataSource open(String url, String shown, Dialect dialect, String user, String password, int size,
                                 Duration connectTimeout) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("autodeploy-store");
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(Math.max(250, connectTimeout.toMillis()));
        if (dialect == Dialect.SQLITE) {
            createParentFolder(url);
            // WAL lets pages read while a deployment writes. synchronous=NORMAL: a commit survives a
            // killed process, and the accept path's writes (Db.durably) switch to FULL, so an accepted
            // delivery survives a power cut too, with every commit before it (the WAL is in order).
            SQLiteConfig sqlite = new SQLiteConfig();
            sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
            sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            sqlite.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MILLIS);
            sqlite.enforceForeignKeys(true);
            // The store never asks for generated keys; left on, the driver matches every INSERT against a
            // pattern and compiles and runs "SELECT last_insert_rowid()" after it, on the writer's thread.
            sqlite.setGetGeneratedKeys(false);
            SQLiteDataSource dataSource = new SQLiteDataSource(sqlite);
            dataSource.setUrl(url);
            config.setDataSource(dataSource);
        } else {
            config.setJdbcUrl(url);
            config.setDriverClassName("org.postgresql.Driver");
            // A webhook waits on the store: a database that stops answering must fail a call in seconds
            // (GitHub gives up on a delivery after 10 s), not hang it. The URL may set other values.
            long seconds = Math.max(1, (connectTimeout.toMillis() + 999) / 1000);
            config.addDataSourceProperty("connectTimeout", Long.toString(seconds));
            config.addDataSourceProperty("loginTimeout", Long.toString(seconds));
            config.addDataSourceProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT_SECONDS));
            config.addDataSourceProperty("tcpKeepAlive", "true");
            if (!user.isEmpty()) {
                config.setUsername(user);
            }
            if (!password.isEmpty()) {
                config.setPassword(password);
            }
        }
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new AutodeployException("cannot reach the store at " + shown + " (store.url): " + Urls.mask(rootMessage(e))
                    + "; check that the database is running and that the URL, user and password are right", e);
        }
    }

    private static void createParentFolder(String url) {
        String path = url.substring("jdbc:sqlite:".length());
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.isEmpty() || path.startsWith(":") || path.startsWith("file:")) {
            return;
        }
        try {
            Path parent = Path.of(path).toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException | InvalidPathException e) {
            throw new AutodeployException("cannot create the folder of the store file " + path + " (store.url): " + e.getMessage(), e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
