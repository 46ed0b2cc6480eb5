package io.github.autodeploy.core.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The events people can be told about; {@link #DEFAULTS} unless a rule's {@code notify} says otherwise. */
public enum NotificationKind {
    QUEUED, STARTED, SUCCEEDED, FAILED, ERRORED, WAITING_FOR_CI, BLOCKED_BY_CI, GAVE_UP_WAITING, SUPERSEDED;

    public static final Set<NotificationKind> DEFAULTS =
            EnumSet.of(STARTED, SUCCEEDED, FAILED, ERRORED, BLOCKED_BY_CI);

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
