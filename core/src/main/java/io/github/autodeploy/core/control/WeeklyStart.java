package io.github.autodeploy.core.control;

import io.github.autodeploy.core.model.InvalidValueException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A window that opens at one local time on some days of the week ({@code days: mon-fri, at: "09:00"}).
 *
 * @param days the days it opens on, never empty
 * @param at   the local time it opens, to the minute
 */
public record WeeklyStart(Set<DayOfWeek> days, LocalTime at) implements WindowStart {
    private static final Pattern TIME = Pattern.compile("([01]?[0-9]|2[0-3]):([0-5][0-9])");

    public WeeklyStart {
        InvalidValueException.requireNonNull(days, "days");
        InvalidValueException.requireNonNull(at, "at");
        if (days.isEmpty()) {
            throw new InvalidValueException("a weekly window needs at least one day, such as mon-fri");
        }
        days = Set.copyOf(days);
        if (at.getSecond() != 0 || at.getNano() != 0) {
            throw new InvalidValueException("a window opens on a whole minute, not at " + at);
        }
    }

    /** Every day of the week at {@code at}. */
    public static WeeklyStart daily(LocalTime at) {
        return new WeeklyStart(EnumSet.allOf(DayOfWeek.class), at);
    }

    /**
     * Days as written: each item a day ({@code mon} or {@code monday}) or a range ({@code mon-fri},
     * {@code fri-mon} wraps over the weekend); an item may also hold several separated by commas.
     */
    public static Set<DayOfWeek> parseDays(List<String> items) {
        InvalidValueException.requireNonNull(items, "days");
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : items) {
            InvalidValueException.requireNonNull(item, "day");
            for (String part : item.split(",", -1)) {
                String p = part.strip();
                int dash = p.indexOf('-');
                if (dash < 0) {
                    days.add(day(p));
                    continue;
                }
                DayOfWeek from = day(p.substring(0, dash));
                DayOfWeek to = day(p.substring(dash + 1));
                for (DayOfWeek d = from; ; d = d.plus(1)) {
                    days.add(d);
                    if (d == to) {
                        break;
                    }
                }
            }
        }
        if (days.isEmpty()) {
            throw new InvalidValueException("no day is given; write days such as mon-fri or [mon, wed, fri]");
        }
        return days;
    }

    private static DayOfWeek day(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            String full = d.name().toLowerCase(Locale.ROOT);
            if (t.length() >= 3 && full.startsWith(t) && (t.length() == 3 || t.equals(full))) {
                return d;
            }
        }
        throw new InvalidValueException(InvalidValueException.quote(text.strip())
                + " is not a day of the week; write mon, tue, wed, thu, fri, sat or sun, or a range such as mon-fri");
    }

    /** A local time as written: {@code HH:MM} (24-hour; {@code 9:00} too). */
    public static LocalTime parseTime(String text) {
        InvalidValueException.requireNonNull(text, "at");
        Matcher m = TIME.matcher(text.strip());
        if (!m.matches()) {
            throw new InvalidValueException(InvalidValueException.quote(text)
                    + " is not a time of day; write HH:MM (24-hour, in quotes), such as \"09:00\"");
        }
        return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    @Override
    public boolean onDay(LocalDate day) {
        return days.contains(day.getDayOfWeek());
    }

    @Override
    public List<LocalTime> times() {
        return List.of(at);
    }

    @Override
    public String describe() {
        return describeDays(days) + " " + at;
    }

    /** {@code daily}, or runs of days from Monday: {@code Mon-Fri}, {@code Mon,Wed,Fri}, {@code Mon,Sat-Sun}. */
    static String describeDays(Set<DayOfWeek> days) {
        if (days.size() == 7) {
            return "daily";
        }
        List<String> runs = new ArrayList<>();
        Optional<DayOfWeek> runStart = Optional.empty();
        DayOfWeek prev = null;
        for (DayOfWeek d : DayOfWeek.values()) {
            if (days.contains(d)) {
                if (runStart.isEmpty()) {
                    runStart = Optional.of(d);
                }
                prev = d;
            } else if (runStart.isPresent()) {
                runs.add(run(runStart.get(), prev));
                runStart = Optional.empty();
            }
        }
        runStart.ifPresent(s -> runs.add(run(s, DayOfWeek.SUNDAY)));
        return String.join(",", runs);
    }

    private static String run(DayOfWeek from, DayOfWeek to) {
        String a = from.getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
        return from == to ? a : a + (to.getValue() - from.getValue() == 1 ? "," : "-")
                + to.getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
    }

    @Override
    public String toString() {
        return describe();
    }
}
