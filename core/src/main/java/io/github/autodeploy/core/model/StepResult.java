package io.github.autodeploy.core.model;

import java.time.Duration;
import java.util.Objects;

/**
 * How one step ended.
 *
 * @param exitCode the process's exit code; -1 when it did not start or was killed
 * @param message  a short, secret-free explanation for a status ("exit code 2", "timed out after 30s")
 */
public record StepResult(Outcome outcome, int exitCode, Duration duration, String message) {
    /** The ways a step can end. */
    public enum Outcome {
        SUCCEEDED, FAILED, TIMED_OUT, CANCELLED,
        /** The robot could not start it (no such program, no such folder). */
        NOT_STARTED
    }

    public StepResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(message, "message");
    }
}
