package io.github.autodeploy.core.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of {@code windows:} as written, before validation. Immutable.
 *
 * @param days     {@code days}: {@code mon-fri} or {@code [mon, wed, fri]}; absent means every day
 * @param at       {@code at}: the local time a weekly window opens, {@code "09:00"}
 * @param cron     {@code cron}: a cron-like start instead of days and at, {@code "30 8 * * 1-5"}
 * @param duration {@code duration}: how long it stays open, {@code 8h}
 * @param zone     {@code zone}: the IANA zone of its local times (default UTC)
 */
public record RawWindow(Optional<List<String>> days, Optional<String> at, Optional<String> cron,
                        Optional<String> duration, Optional<String> zone) {
    /** The keys of a window. */
    public static final Set<String> KEYS = Set.of("days", "at", "cron", "duration", "zone");

    public RawWindow {
        days = Objects.requireNonNull(days, "days").map(List::copyOf);
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(cron, "cron");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(zone, "zone");
    }

    /** A weekly window: {@code days} at {@code at} for {@code duration} in {@code zone}. */
    public static RawWindow weekly(String days, String at, String duration, String zone) {
        return new RawWindow(Optional.of(List.of(days)), Optional.of(at), Optional.empty(), Optional.of(duration),
                Optional.of(zone));
    }

    /** A cron-like window. */
    public static RawWindow cron(String cron, String duration, String zone) {
        return new RawWindow(Optional.empty(), Optional.empty(), Optional.of(cron), Optional.of(duration), Optional.of(zone));
    }
}
