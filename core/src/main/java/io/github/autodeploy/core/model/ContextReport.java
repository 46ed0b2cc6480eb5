package io.github.autodeploy.core.model;

import java.time.Instant;

/**
 * One report of a CI context for a commit: a commit status or a check run.
 *
 * @param context   the context's name ({@code ci/build}, or a check run's name)
 * @param state     what it says
 * @param updatedAt when GitHub last changed it; the newest report of a context wins
 * @param source    whether it came from the statuses or the checks API
 */
public record ContextReport(String context, ContextState state, Instant updatedAt, Source source) {
    /** Where a report came from. */
    public enum Source { COMMIT_STATUS, CHECK_RUN }

    public ContextReport {
        InvalidValueException.requireNonNull(context, "context name");
        InvalidValueException.requireNonNull(state, "context state");
        InvalidValueException.requireNonNull(updatedAt, "context time");
        InvalidValueException.requireNonNull(source, "context source");
        if (context.isBlank()) {
            throw new InvalidValueException("context name must not be blank");
        }
    }
}
