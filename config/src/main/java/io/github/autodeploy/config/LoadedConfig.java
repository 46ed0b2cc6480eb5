package io.github.autodeploy.config;

import io.github.autodeploy.core.config.RobotConfig;
import java.util.Objects;

/** A configuration file, validated: the robot's configuration and the server's settings. */
public record LoadedConfig(RobotConfig robot, ServerSettings server) {
    public LoadedConfig {
        Objects.requireNonNull(robot, "robot");
        Objects.requireNonNull(server, "server");
    }
}
