package io.github.autodeploy.core.lifecycle;

import io.github.autodeploy.core.model.DeploymentState;
import java.time.Instant;
import java.util.Objects;

/**
 * One deployment status to post to GitHub: the state, a description of at most {@value
 * #MAX_DESCRIPTION} characters (longer text is cut with an ellipsis, as GitHub rejects it), and
 * when it happened.
 */
public record StatusUpdate(DeploymentState state, String description, Instant at) {
    /** GitHub's limit for a deployment status description. */
    public static final int MAX_DESCRIPTION = 140;

    public StatusUpdate {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(at, "at");
        description = shorten(description, MAX_DESCRIPTION);
    }

    /** Cuts {@code text} to at most {@code max} characters, ending with an ellipsis when cut. */
    public static String shorten(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "\u2026";
    }
}
