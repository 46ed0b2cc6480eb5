package io.github.autodeploy.core.config;

import java.util.Objects;

/**
 * One mistake in a configuration: the key path ({@code repos.octo/app.commands[1]}) and what is
 * wrong and what to do.
 */
public record ConfigProblem(String path, String message) {
    public ConfigProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
