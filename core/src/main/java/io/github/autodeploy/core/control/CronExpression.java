package io.github.autodeploy.core.control;

import io.github.autodeploy.core.model.InvalidValueException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A cron-like start of a deploy window: five fields, {@code minute hour day-of-month month
 * day-of-week}, each {@code *}, a value, a range {@code a-b}, a step ({@code *}{@code /15},
 * {@code 1-5/2}, {@code 10/20} meaning 10 to the end by 20) or a comma list of these; months and days
 * may be named ({@code jan}, {@code mon}); 0 and 7 are Sunday. As in cron, when both day-of-month and
 * day-of-week are restricted (neither starts with {@code *}) a day matching either counts; otherwise
 * both must match. {@code @hourly}, {@code @daily}, {@code @weekly}, {@code @monthly} and
 * {@code @yearly} are accepted too. An expression that never fires (or fires only on 29 February,
 * too rarely for a window) is refused. Immutable and thread-safe.
 */
public final class CronExpression implements WindowStart {
    private static final int MAX_LENGTH = 200;
    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    private static final String[] DAYS = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    private static final Map<String, String> MACROS = Map.of("@hourly", "0 * * * *", "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *", "@weekly", "0 0 * * 0", "@monthly", "0 0 1 * *", "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *");

    private final String text;
    private final BitSet daysOfMonth;
    private final BitSet months;
    /** 0 to 6, Sunday 0. */
    private final BitSet daysOfWeek;
    private final boolean dayOfMonthStar;
    private final boolean dayOfWeekStar;
    private final List<LocalTime> times;

    private CronExpression(String text, BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months,
                           BitSet daysOfWeek, boolean dayOfMonthStar, boolean dayOfWeekStar) {
        this.text = text;
        this.daysOfMonth = daysOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
        this.dayOfMonthStar = dayOfMonthStar;
        this.dayOfWeekStar = dayOfWeekStar;
        List<LocalTime> t = new ArrayList<>();
        for (int h = hours.nextSetBit(0); h >= 0; h = hours.nextSetBit(h + 1)) {
            for (int m = minutes.nextSetBit(0); m >= 0; m = minutes.nextSetBit(m + 1)) {
                t.add(LocalTime.of(h, m));
            }
        }
        this.times = List.copyOf(t);
    }

    /**
     * Parses {@code text}.
     *
     * @throws InvalidValueException saying which field is wrong and how to write it, or that it never fires
     */
    public static CronExpression parse(String text) {
        InvalidValueException.requireNonNull(text, "cron expression");
        if (text.length() > MAX_LENGTH) {
            throw new InvalidValueException("cron expression " + InvalidValueException.quote(text) + " is longer than "
                    + MAX_LENGTH + " characters; write five fields such as \"30 8 * * 1-5\"");
        }
        String written = text.strip().replaceAll("\\s+", " ");
        String expanded = MACROS.getOrDefault(written.toLowerCase(Locale.ROOT), written);
        String[] f = expanded.isEmpty() ? new String[0] : expanded.split(" ");
        if (f.length != 5) {
            throw new InvalidValueException("cron expression " + InvalidValueException.quote(text) + " has " + f.length
                    + " field" + (f.length == 1 ? "" : "s") + "; write five: minute hour day-of-month month day-of-week,"
                    + " such as \"30 8 * * 1-5\"");
        }
        BitSet minutes = field(text, "minute", f[0], 0, 59, null);
        BitSet hours = field(text, "hour", f[1], 0, 23, null);
        BitSet doms = field(text, "day-of-month", f[2], 1, 31, null);
        BitSet months = field(text, "month", f[3], 1, 12, MONTHS);
        BitSet dows = field(text, "day-of-week", f[4], 0, 7, DAYS);
        if (dows.get(7)) {
            dows.clear(7);
            dows.set(0);
        }
        CronExpression c = new CronExpression(written, minutes, hours, doms, months, dows,
                f[2].startsWith("*"), f[4].startsWith("*"));
        c.requireFires();
        return c;
    }

    /** Without a day of the week to fall back on, some day of the month must exist in some month, besides 29 February. */
    private void requireFires() {
        if (dayOfMonthStar || !dayOfWeekStar) {
            return;
        }
        boolean leapOnly = false;
        for (int m = months.nextSetBit(1); m >= 0; m = months.nextSetBit(m + 1)) {
            int max = Month.of(m).maxLength();
            for (int d = daysOfMonth.nextSetBit(1); d >= 0 && d <= max; d = daysOfMonth.nextSetBit(d + 1)) {
                if (m == 2 && d == 29) {
                    leapOnly = true;
                } else {
                    return;
                }
            }
        }
        throw new InvalidValueException("cron expression " + InvalidValueException.quote(text)
                + (leapOnly ? " fires only on 29 February, too rarely for a deploy window"
                        : " never fires: no month in it has that day")
                + "; check the day-of-month and month fields");
    }

    private static BitSet field(String text, String name, String field, int min, int max, String[] names) {
        BitSet set = new BitSet(max + 1);
        for (String item : field.split(",", -1)) {
            String range = item;
            int step = 1;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                range = item.substring(0, slash);
                step = number(text, name, item.substring(slash + 1), null, 0);
                if (step < 1 || step > max - min + 1) {
                    throw bad(text, name, field, "a step must be from 1 to " + (max - min + 1));
                }
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else {
                int dash = range.indexOf('-');
                from = number(text, name, dash < 0 ? range : range.substring(0, dash), names, min);
                to = dash < 0 ? (slash >= 0 ? max : from) : number(text, name, range.substring(dash + 1), names, min);
                if (from < min || to > max) {
                    throw bad(text, name, field, "values must be from " + min + " to " + max);
                }
                if (from > to) {
                    throw bad(text, name, field, "a range must go from low to high, such as " + min + "-" + max);
                }
            }
            for (int v = from; v <= to; v += step) {
                set.set(v);
            }
        }
        return set;
    }

    /** A number of one or two digits, or (when {@code names} is given) a name meaning {@code min} plus its index. */
    private static int number(String text, String name, String value, String[] names, int min) {
        if (names != null) {
            String lower = value.toLowerCase(Locale.ROOT);
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(lower)) {
                    return min + i;
                }
            }
        }
        if (value.isEmpty() || value.length() > 2 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw bad(text, name, value, names == null ? "write numbers, ranges such as 1-5, steps such as */15, "
                    + "or lists of these" : "write numbers or names such as " + names[0] + "-" + names[names.length - 1]);
        }
        return Integer.parseInt(value);
    }

    private static InvalidValueException bad(String text, String name, String part, String hint) {
        return new InvalidValueException("cron expression " + InvalidValueException.quote(text) + ": the " + name
                + " field " + InvalidValueException.quote(part) + " is not valid; " + hint);
    }

    @Override
    public boolean onDay(LocalDate day) {
        if (!months.get(day.getMonthValue())) {
            return false;
        }
        boolean dom = daysOfMonth.get(day.getDayOfMonth());
        boolean dow = daysOfWeek.get(day.getDayOfWeek().getValue() % 7);
        if (dayOfMonthStar || dayOfWeekStar) {
            return dom && dow;
        }
        return dom || dow;
    }

    @Override
    public List<LocalTime> times() {
        return times;
    }

    @Override
    public String describe() {
        return "cron \"" + text + "\"";
    }

    /** The expression as written, its spaces collapsed. */
    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronExpression c && c.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}
