package io.github.autodeploy.core.control;

import io.github.autodeploy.core.model.InvalidValueException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A range of time in which no auto-deploy starts, even inside a window ({@code freeze:}).
 * Immutable and thread-safe.
 *
 * @param start  the first instant of the freeze
 * @param end    the first instant after it (exclusive), after {@code start}
 * @param zone   the zone its bounds were written in; messages show the end in it
 * @param label  the range as written, for pages: {@code 2026-12-21..2027-01-04}
 * @param reason why, as people should read it in a status or in Slack; one line
 */
public record Freeze(Instant start, Instant end, ZoneId zone, String label, Optional<String> reason) {
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    /** A reason is shown on one line of a status or a page. */
    public static final int MAX_REASON_LENGTH = 200;

    public Freeze {
        InvalidValueException.requireNonNull(start, "start");
        InvalidValueException.requireNonNull(end, "end");
        InvalidValueException.requireNonNull(zone, "zone");
        InvalidValueException.requireNonNull(label, "label");
        InvalidValueException.requireNonNull(reason, "reason");
        if (!end.isAfter(start)) {
            throw new InvalidValueException("freeze " + label + " ends before it starts; write from before to");
        }
        reason.ifPresent(Freeze::checkReason);
    }

    /**
     * A freeze as written: {@code from} a date (its start of day) or a local date-time
     * ({@code 2026-12-21T18:00}); {@code to} a date (through the end of that day) or a local date-time
     * (exclusive); both in {@code zone}.
     */
    public static Freeze of(String from, String to, ZoneId zone, Optional<String> reason) {
        return new Freeze(startOf(from, zone), endOf(to, zone), zone, from.strip() + ".." + to.strip(),
                reason.map(String::strip));
    }

    /** The instant a freeze written {@code from: text} starts. */
    public static Instant startOf(String text, ZoneId zone) {
        InvalidValueException.requireNonNull(text, "from");
        String t = text.strip();
        return DATE.matcher(t).matches() ? date(t).atStartOfDay(zone).toInstant() : dateTime(t).atZone(zone).toInstant();
    }

    /** The instant a freeze written {@code to: text} ends: after the whole day for a date. */
    public static Instant endOf(String text, ZoneId zone) {
        InvalidValueException.requireNonNull(text, "to");
        String t = text.strip();
        return DATE.matcher(t).matches() ? date(t).plusDays(1).atStartOfDay(zone).toInstant()
                : dateTime(t).atZone(zone).toInstant();
    }

    /** Refuses a reason that is blank, too long or more than one line. */
    public static void checkReason(String reason) {
        if (reason.isBlank() || reason.length() > MAX_REASON_LENGTH || reason.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidValueException("freeze reason " + InvalidValueException.quote(reason) + " is not valid; write one line of 1 to "
                    + MAX_REASON_LENGTH + " characters, or leave it out");
        }
    }

    private static LocalDate date(String t) {
        try {
            return LocalDate.parse(t);
        } catch (DateTimeParseException e) {
            throw new InvalidValueException(InvalidValueException.quote(t) + " is not a date; write YYYY-MM-DD, such as 2026-12-21");
        }
    }

    private static LocalDateTime dateTime(String t) {
        try {
            return LocalDateTime.parse(t.replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            throw new InvalidValueException(InvalidValueException.quote(t)
                    + " is not a date or a local date-time; write 2026-12-21 or 2026-12-21T18:00");
        }
    }

    /** Whether {@code t} is inside the freeze. */
    public boolean covers(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }
}
