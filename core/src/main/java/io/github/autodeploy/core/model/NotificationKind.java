package io.github.autodeploy.core.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The events people can be told about; {@link #DEFAULTS} unless a rule's {@code notify} says otherwise. */
public enum NotificationKind {
    QUEUED, STARTED, SUCCEEDED, FAILED, ERRORED, WAITING_FOR_CI, BLOCKED_BY_CI, GAVE_UP_WAITING, SUPERSEDED,
    /** An environment was locked. */
    LOCKED,
    /** An environment was unlocked (or its lock expired). */
    UNLOCKED,
    /** Someone took another user's lock. */
    LOCK_STOLEN,
    /** A deployment waits: its environment is locked, or outside its deploy window. */
    HELD,
    /** Someone asked for a rollback (or a redeploy of an earlier commit). */
    ROLLBACK,
    /** A deployment made elsewhere was refused: its environment is locked, or outside its deploy window. */
    REFUSED,
    /** A deployment was forced past a lock or outside a deploy window. */
    FORCED,
    /** A GitHub Actions deployment the robot gates has waited longer than its rule's {@code notify_after}. */
    GATE_WAITING,
    /** The robot (or one of its users) rejected a GitHub Actions deployment it gates. */
    GATE_REJECTED;

    public static final Set<NotificationKind> DEFAULTS =
            EnumSet.of(STARTED, SUCCEEDED, FAILED, ERRORED, BLOCKED_BY_CI, LOCKED, UNLOCKED, LOCK_STOLEN, HELD, ROLLBACK,
                    REFUSED, FORCED, GATE_WAITING, GATE_REJECTED);

    /** The word used in configuration: {@code waiting_for_ci}. */
    public String configWord() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<NotificationKind> fromConfigWord(String word) {
        for (NotificationKind k : values()) {
            if (k.configWord().equals(word)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
