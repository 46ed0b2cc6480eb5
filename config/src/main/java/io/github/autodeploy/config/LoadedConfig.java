package io.github.autodeploy.config;

import io.github.autodeploy.core.config.RobotConfig;
import java.util.Objects;

/** A configuration file, validated: the robot's configuration and the server's settings. */
public record LoadedConfig(RobotConfig robot, ServerSettings server) {
    public LoadedConfig {
        Objects.requireNonNull(robot, "robot");
        Objects.requireNonNull(server, "server");
    }

    /**
     * This configuration for a server reached at {@code url} (such as {@code http://127.0.0.1:18080}): its
     * links start there unless the file sets {@code public_url}, which always wins.
     */
    public LoadedConfig reachedAt(String url) {
        return server.publicUrl().isPresent() ? this : new LoadedConfig(robot.withPublicUrl(url), server);
    }
}
