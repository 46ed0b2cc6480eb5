package io.github.autodeploy.core.control;

import io.github.autodeploy.core.model.InvalidValueException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * When auto-deploys of one environment may start: inside one of its windows (at any time when it has
 * none) and outside all of its freezes. A freeze wins over a window. Immutable and thread-safe.
 */
public final class DeploySchedule {
    /** How far {@link #nextOpening(Instant)} looks ahead. Every accepted window opens within it. */
    public static final Duration HORIZON = Duration.ofDays(366);
    private static final DeploySchedule ALWAYS = new DeploySchedule(List.of(), List.of());
    private static final DateTimeFormatter SOON = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter LATER = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter UNTIL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ENGLISH);

    private final List<DeployWindow> windows;
    private final List<Freeze> freezes;

    private DeploySchedule(List<DeployWindow> windows, List<Freeze> freezes) {
        this.windows = List.copyOf(windows);
        this.freezes = List.copyOf(freezes);
    }

    /** No windows, no freezes: auto-deploys start at any time. */
    public static DeploySchedule always() {
        return ALWAYS;
    }

    /** Open inside any of {@code windows} (at any time when empty) and outside every one of {@code freezes}. */
    public static DeploySchedule of(List<DeployWindow> windows, List<Freeze> freezes) {
        InvalidValueException.requireNonNull(windows, "windows");
        InvalidValueException.requireNonNull(freezes, "freezes");
        return windows.isEmpty() && freezes.isEmpty() ? ALWAYS : new DeploySchedule(windows, freezes);
    }

    public List<DeployWindow> windows() {
        return windows;
    }

    public List<Freeze> freezes() {
        return freezes;
    }

    /** Whether nothing ever holds an auto-deploy. */
    public boolean alwaysOpen() {
        return windows.isEmpty() && freezes.isEmpty();
    }

    /** Whether auto-deploys may start at {@code t}. */
    public boolean isOpen(Instant t) {
        return freezeAt(t).isEmpty() && inWindow(t);
    }

    private boolean inWindow(Instant t) {
        return windows.isEmpty() || windows.stream().anyMatch(w -> w.isOpen(t));
    }

    private Optional<Freeze> freezeAt(Instant t) {
        return freezes.stream().filter(f -> f.covers(t)).findFirst();
    }

    /**
     * The first instant at or after {@code t} when auto-deploys may start ({@code t} itself when open
     * now); empty when there is none within {@link #HORIZON}. Jumps from freeze end to window start, so
     * it takes a few steps per freeze and window, never a scan by the minute.
     */
    public Optional<Instant> nextOpening(Instant t) {
        Instant limit = t.plus(HORIZON);
        Instant c = t;
        while (!c.isAfter(limit)) {
            Optional<Freeze> frozen = freezeAt(c);
            if (frozen.isPresent()) {
                c = frozen.get().end();
                continue;
            }
            if (inWindow(c)) {
                return Optional.of(c);
            }
            Optional<Instant> next = Optional.empty();
            for (DeployWindow w : windows) {
                Optional<Instant> s = w.firstStartAfter(c, next.orElse(limit));
                if (s.isPresent()) {
                    next = s;
                }
            }
            if (next.isEmpty()) {
                return Optional.empty();
            }
            c = next.get();
        }
        return Optional.empty();
    }

    /**
     * Why auto-deploys may not start at {@code t}, for a status, a page or Slack; empty when they may.
     * A freeze wins over a window: {@code frozen until 2027-01-05 00:00 Europe/Berlin: year-end freeze},
     * else {@code outside the deploy window; opens Mon 09:00 Europe/Berlin} (with the date when the
     * opening is six days away or more).
     */
    public Optional<String> closedReason(Instant t) {
        Optional<Freeze> frozen = freezeAt(t);
        if (frozen.isPresent()) {
            Freeze last = frozen.get();
            for (Optional<Freeze> f = frozen; f.isPresent(); f = freezeAt(last.end())) {
                last = f.get();
            }
            return Optional.of("frozen until " + UNTIL.format(last.end().atZone(last.zone())) + " "
                    + DeployWindow.zoneName(last.zone()) + frozen.get().reason().map(r -> ": " + r).orElse(""));
        }
        if (inWindow(t)) {
            return Optional.empty();
        }
        return Optional.of("outside the deploy window; " + nextOpening(t).map(o -> {
            ZoneId zone = windows.stream().filter(w -> w.isOpen(o)).map(DeployWindow::zone).findFirst().orElse(ZoneOffset.UTC);
            ZonedDateTime at = o.atZone(zone);
            return "opens " + (Duration.between(t, o).compareTo(Duration.ofDays(6)) < 0 ? SOON : LATER).format(at)
                    + " " + DeployWindow.zoneName(zone);
        }).orElse("no window opens within a year"));
    }

    /**
     * One line for pages: the windows, then the freezes, such as
     * {@code Mon-Fri 09:00 for 8h Europe/Berlin; freeze 2026-12-21..2027-01-04}.
     */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (windows.isEmpty()) {
            parts.add("any time");
        }
        windows.forEach(w -> parts.add(w.describe()));
        freezes.forEach(f -> parts.add("freeze " + f.label() + f.reason().map(r -> " (" + r + ")").orElse("")));
        return String.join("; ", parts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeploySchedule s && s.windows.equals(windows) && s.freezes.equals(freezes);
    }

    @Override
    public int hashCode() {
        return 31 * windows.hashCode() + freezes.hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}
