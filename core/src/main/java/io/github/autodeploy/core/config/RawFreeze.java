package io.github.autodeploy.core.config;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of {@code freeze:} as written, before validation. Immutable.
 *
 * @param from   {@code from}: a date (from the start of that day) or a local date-time {@code 2026-12-21T18:00}
 * @param to     {@code to}: a date (through the end of that day) or a local date-time (exclusive)
 * @param zone   {@code zone}: the IANA zone of both (default UTC)
 * @param reason {@code reason}: why, shown in statuses, pages and Slack
 */
public record RawFreeze(Optional<String> from, Optional<String> to, Optional<String> zone, Optional<String> reason) {
    /** The keys of a freeze. */
    public static final Set<String> KEYS = Set.of("from", "to", "zone", "reason");

    public RawFreeze {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(reason, "reason");
    }

    /** A freeze from {@code from} to {@code to} in {@code zone}, with a reason. */
    public static RawFreeze of(String from, String to, String zone, String reason) {
        return new RawFreeze(Optional.of(from), Optional.of(to), Optional.of(zone), Optional.of(reason));
    }
}
