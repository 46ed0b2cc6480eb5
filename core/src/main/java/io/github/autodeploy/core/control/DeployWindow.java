package io.github.autodeploy.core.control;

import io.github.autodeploy.core.model.HumanDuration;
import io.github.autodeploy.core.model.InvalidValueException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * A time when auto-deploys may start: open from each start for {@code duration} (elapsed time).
 * Starts are local times of {@code zone}, resolved by its rules as {@link java.time.ZonedDateTime}
 * does: a start in a daylight-saving gap moves forward by the gap's length, a start in an overlap
 * takes the earlier offset (so it opens once). Windows may span midnight. Immutable and thread-safe.
 *
 * @param start    on which days and at which local times it opens
 * @param duration how long it stays open; more than zero, at most {@link #MAX_DURATION}
 * @param zone     the zone of the start's local times
 */
public record DeployWindow(WindowStart start, Duration duration, ZoneId zone) {
    /** A window stays open at most a week; a longer one would overlap itself. */
    public static final Duration MAX_DURATION = Duration.ofDays(7);

    public DeployWindow {
        InvalidValueException.requireNonNull(start, "start");
        InvalidValueException.requireNonNull(duration, "duration");
        InvalidValueException.requireNonNull(zone, "zone");
        if (duration.isNegative() || duration.isZero()) {
            throw new InvalidValueException("a window's duration must be more than zero, not " + duration);
        }
        if (duration.compareTo(MAX_DURATION) > 0) {
            throw new InvalidValueException("a window's duration is at most 7d, not " + HumanDuration.format(duration)
                    + "; use several windows, or none to deploy at any time");
        }
    }

    /** A weekly window, such as Mon-Fri 09:00 for 8h. */
    public static DeployWindow weekly(WeeklyStart start, Duration duration, ZoneId zone) {
        return new DeployWindow(start, duration, zone);
    }

    /** A cron-like window; see {@link CronExpression}. */
    public static DeployWindow cron(String expression, Duration duration, ZoneId zone) {
        return new DeployWindow(CronExpression.parse(expression), duration, zone);
    }

    /**
     * A zone as written: an IANA region such as {@code Europe/Berlin}, {@code UTC}, or an offset such
     * as {@code +02:00}.
     */
    public static ZoneId zone(String text) {
        InvalidValueException.requireNonNull(text, "zone");
        try {
            return ZoneId.of(text.strip());
        } catch (DateTimeException e) {
            throw new InvalidValueException(InvalidValueException.quote(text)
                    + " is not a time zone; write an IANA zone such as Europe/Berlin, America/New_York or UTC");
        }
    }

    /** Whether the window is open at {@code t}: some start lies in {@code (t - duration, t]}. */
    public boolean isOpen(Instant t) {
        return firstStartAfter(t.minus(duration), t).isPresent();
    }

    /**
     * The first start strictly after {@code after} and not after {@code limit}. Walks the local days
     * between them (from the day before, as a start in a gap may move past midnight) and binary-searches
     * each matching day's times, whose instants never decrease.
     */
    Optional<Instant> firstStartAfter(Instant after, Instant limit) {
        LocalDate last = LocalDate.ofInstant(limit, zone).plusDays(1);
        List<LocalTime> times = start.times();
        for (LocalDate day = LocalDate.ofInstant(after, zone).minusDays(1); !day.isAfter(last); day = day.plusDays(1)) {
            if (!start.onDay(day)) {
                continue;
            }
            int lo = 0;
            int hi = times.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (at(day, times.get(mid)).isAfter(after)) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            if (lo < times.size()) {
                Instant s = at(day, times.get(lo));
                return s.isAfter(limit) ? Optional.empty() : Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private Instant at(LocalDate day, LocalTime time) {
        return LocalDateTime.of(day, time).atZone(zone).toInstant();
    }

    /** For pages: {@code Mon-Fri 09:00 for 8h Europe/Berlin}. */
    public String describe() {
        return start.describe() + " for " + HumanDuration.format(duration) + " " + zoneName(zone);
    }

    static String zoneName(ZoneId zone) {
        return zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId();
    }
}
