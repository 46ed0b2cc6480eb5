package io.github.autodeploy.config;

import io.github.autodeploy.core.config.RobotConfig;
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
     * This configuration for a server reached at {@code url} (such as {@code http://127.0.0.1:18080}): its
     * links start there unless the file sets {@code public_url}, which always wins.
     */
    public LoadedConfig reachedAt(String url) {
        return server.publicUrl().isPresent() ? this : new LoadedConfig(robot.withPublicUrl(url), server, file);
    }
}
