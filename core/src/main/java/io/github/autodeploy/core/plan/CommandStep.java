package io.github.autodeploy.core.plan;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One process to run: its argv (never passed through a shell), the folder it runs in, the
 * environment variables added to the runner's, files to write first, and how long it may take.
 *
 * @param name a short label for pages and statuses, such as {@code git fetch}
 */
public record CommandStep(String name, List<String> argv, Optional<String> workingDirectory,
                          Map<String, String> environment, List<StepFile> files, Duration timeout) {
    public CommandStep {
        Objects.requireNonNull(name, "name");
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a step needs a program to run; argv is empty");
        }
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        environment = Map.copyOf(environment);
        files = List.copyOf(files);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("step timeout must be positive, was " + timeout);
        }
    }
}
