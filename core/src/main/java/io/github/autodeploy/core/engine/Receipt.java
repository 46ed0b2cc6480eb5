package io.github.autodeploy.core.engine;

import java.util.Objects;

/**
 * The immediate answer to a webhook delivery; the work it stands for happens later.
 *
 * @param reason a short sentence for the webhook response and logs
 */
public record Receipt(Kind kind, String reason) {
    /** What became of a delivery. */
    public enum Kind {
        /** Work was queued. */
        ACCEPTED,
        /** Nothing to do, with the reason (an event or repository the robot does not act on). */
        IGNORED,
        /** This delivery, or this deployment, was seen before. */
        DUPLICATE,
        /** A ping. */
        PONG,
        /** The queue is full or the robot is shutting down: try later. */
        OVERLOADED,
        /** The store could not be reached, so nothing was kept: try later (HTTP 503 with Retry-After). */
        UNAVAILABLE
    }

    public Receipt {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    static Receipt accepted(String reason) {
        return new Receipt(Kind.ACCEPTED, reason);
    }

    static Receipt ignored(String reason) {
        return new Receipt(Kind.IGNORED, reason);
    }
}
