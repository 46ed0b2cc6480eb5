package io.github.autodeploy.core.model;

import java.util.Locale;

/**
 * What one CI context (a commit status or a check run) says about a commit, folded into one
 * vocabulary. Unknown words from GitHub map to {@link #UNKNOWN} rather than throwing.
 */
public enum ContextState {
    /** Not finished: a pending status, or a check run that is queued, in progress or waiting. */
    PENDING,
    SUCCESS,
    FAILURE,
    ERROR,
    NEUTRAL,
    SKIPPED,
    CANCELLED,
    TIMED_OUT,
    ACTION_REQUIRED,
    STALE,
    STARTUP_FAILURE,
    /** A completed check whose conclusion this version does not know. */
    UNKNOWN;

    /** A commit status {@code state}: success, pending, failure or error. */
    public static ContextState fromCommitStatus(String state) {
        return switch (lower(state)) {
            case "success" -> SUCCESS;
            case "pending" -> PENDING;
            case "failure" -> FAILURE;
            case "error" -> ERROR;
            default -> UNKNOWN;
        };
    }

    /**
     * A check run's {@code status} and {@code conclusion}. Anything but {@code completed} is still
     * running, whatever new status word GitHub invents.
     */
    public static ContextState fromCheckRun(String status, String conclusion) {
        if (!"completed".equals(lower(status))) {
            return PENDING;
        }
        return fromConclusion(conclusion);
    }

    /** A check run's or check suite's {@code conclusion}. */
    public static ContextState fromConclusion(String conclusion) {
        return switch (lower(conclusion)) {
            case "success" -> SUCCESS;
            case "failure" -> FAILURE;
            case "neutral" -> NEUTRAL;
            case "skipped" -> SKIPPED;
            case "cancelled" -> CANCELLED;
            case "timed_out" -> TIMED_OUT;
            case "action_required" -> ACTION_REQUIRED;
            case "stale" -> STALE;
            case "startup_failure" -> STARTUP_FAILURE;
            default -> UNKNOWN;
        };
    }

    /** The word GitHub uses. */
    public String apiValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
