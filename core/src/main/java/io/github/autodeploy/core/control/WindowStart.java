package io.github.autodeploy.core.control;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

/**
 * When a deploy window opens, as local times on the days that match: weekly ({@link WeeklyStart}) or
 * cron-like ({@link CronExpression}). Implementations are immutable and thread-safe.
 */
public sealed interface WindowStart permits WeeklyStart, CronExpression {
    /** Whether the window opens on {@code day} (a local date of the window's zone). */
    boolean onDay(LocalDate day);

    /** The local times it opens on such a day, ascending, never empty. */
    List<LocalTime> times();

    /** One short phrase for pages, such as {@code Mon-Fri 09:00} or {@code cron "30 8 * * 1-5"}. */
    String describe();
}
