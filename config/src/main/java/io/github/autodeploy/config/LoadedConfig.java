package io.github.autodeploy.config;

import io.github.autodeploy.core.config.RobotConfig;
import io.github.autodeploy.core.config.StoreUrls;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A configuration file, validated: the robot's configuration, the server's settings, and the file it
 * came from (empty for text parsed from elsewhere). Immutable.
 */
public record LoadedConfig(RobotConfig robot, ServerSettings server, Optional<Path> file) {
    public LoadedConfig {
        Objects.requireNonNull(robot, "robot");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(file, "file");
    }

    public LoadedConfig(RobotConfig robot, ServerSettings server) {
        this(robot, server, Optional.empty());
    }

    /** The same configuration, read from {@code source}. */
    public LoadedConfig from(Path source) {
        return new LoadedConfig(robot, server, Optional.of(source));
    }

    /**
     * Where the robot keeps what must outlive its process until a durable store does (the steps it is
     * running): {@code .autodeploy} beside the file; empty for a configuration that came from no file.
     */
    public Optional<Path> stateFolder() {
        return file.map(f -> f.toAbsolutePath().getParent().resolve(".autodeploy"));
    }

    /**
     * The store's URL with the file's defaults applied: {@code store.url} as written, a relative SQLite
     * file taken relative to the file's folder; without {@code store.url}, SQLite in {@code
     * autodeploy.db} of the {@link #stateFolder() state folder}, or {@code memory} for a configuration
     * that came from no file.
     */
    public String storeUrl() {
        Optional<String> written = robot.store().url();
        if (written.isEmpty()) {
            return stateFolder().map(d -> StoreUrls.SQLITE + d.resolve("autodeploy.db")).orElse(StoreUrls.MEMORY);
        }
        String url = written.get();
        String file = StoreUrls.sqliteFile(url);
        if (file.isEmpty() || file.startsWith(":") || file.startsWith("file:") || this.file.isEmpty()) {
            return url;
        }
        try {
            Path p = Path.of(file);
            if (p.isAbsolute()) {
                return url;
            }
            Path folder = this.file.get().toAbsolutePath().getParent();
            return StoreUrls.SQLITE + folder.resolve(p).normalize() + url.substring(StoreUrls.SQLITE.length() + file.length());
        } catch (InvalidPathException e) {
            return url;
        }
    }

    /**
     * This configuration for a server reached at {@code url} (such as {@code http://127.0.0.1:18080}): its
     * links start there unless the file sets {@code public_url}, which always wins.
     */
    public LoadedConfig reachedAt(String url) {
        return server.publicUrl().isPresent() ? this : new LoadedConfig(robot.withPublicUrl(url), server, file);
    }
}
