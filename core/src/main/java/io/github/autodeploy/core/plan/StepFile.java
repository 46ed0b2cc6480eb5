package io.github.autodeploy.core.plan;

import java.util.Objects;

/**
 * A file the runner writes (owner-only) before a step starts and deletes after it ends, such as the
 * payload or a tool's variables file.
 */
public record StepFile(String path, String content) {
    public StepFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
    }
}
