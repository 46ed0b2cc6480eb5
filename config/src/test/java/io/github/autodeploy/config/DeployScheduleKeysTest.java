package io.github.autodeploy.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.control.CronExpression;
import io.github.autodeploy.core.control.DeploySchedule;
import io.github.autodeploy.core.control.DeployWindow;
import io.github.autodeploy.core.control.Freeze;
import io.github.autodeploy.core.control.WeeklyStart;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code windows:} and {@code freeze:} keys: read, inherited by environments, and refused with their lines. */
class DeployScheduleKeysTest {
    private static final Map<String, String> ENV = Map.of("WEBHOOK_SECRET", "s3cret");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static String config(String repo) {
        return """
                github: {webhook_secret: "${WEBHOOK_SECRET}"}
                repos:
                  octo/app:
                    folder: /srv/app
                    commands: [[make, deploy]]
                %s""".formatted(repo.indent(4));
    }

    private static List<EnvironmentRule> rules(String repo) {
        return ConfigFile.parse("autodeploy.yml", config(repo), false, ENV).robot().rules();
    }

    private static DeploySchedule schedule(String repo) {
        return rules(repo).get(0).schedule();
    }

    private static List<String> problems(String repo) {
        try {
            ConfigFile.parse("autodeploy.yml", config(repo), false, ENV);
            return List.of();
        } catch (ConfigFileException e) {
            return e.problems().stream().map(Object::toString).toList();
        }
    }

    @Test
    void withoutWindowsOrFreezesAutoDeploysStartAtAnyTime() {
        assertThat(schedule("")).isEqualTo(DeploySchedule.always());
        assertThat(schedule("windows: []\nfreeze: []\n").alwaysOpen()).isTrue();
    }

    @Test
    void readsWeeklyAndCronWindowsAndFreezes() {
        DeploySchedule s = schedule("""
                windows:
                  - days: mon-fri
                    at: "09:00"
                    duration: 8h
                    zone: Europe/Berlin
                  - days: [mon, wed, fri]
                    at: 17:30
                    duration: 30m
                  - cron: "30 8 * * 1-5"
                    duration: 90m
                    zone: America/New_York
                freeze:
                  - from: 2026-12-21
                    to: 2027-01-04
                    zone: Europe/Berlin
                    reason: year-end freeze
                  - from: 2027-02-01T18:00
                    to: 2027-02-02T06:00
                """);
        assertThat(s.windows()).containsExactly(
                new DeployWindow(new WeeklyStart(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0)),
                        Duration.ofHours(8), BERLIN),
                new DeployWindow(new WeeklyStart(EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY),
                        LocalTime.of(17, 30)), Duration.ofMinutes(30), ZoneOffset.UTC),
                new DeployWindow(CronExpression.parse("30 8 * * 1-5"), Duration.ofMinutes(90), ZoneId.of("America/New_York")));
        assertThat(s.freezes()).containsExactly(
                Freeze.of("2026-12-21", "2027-01-04", BERLIN, Optional.of("year-end freeze")),
                Freeze.of("2027-02-01T18:00", "2027-02-02T06:00", ZoneOffset.UTC, Optional.empty()));
        assertThat(s.closedReason(Instant.parse("2026-12-22T10:00:00Z")))
                .contains("frozen until 2027-01-05 00:00 Europe/Berlin: year-end freeze");
        assertThat(s.describe()).startsWith("Mon-Fri 09:00 for 8h Europe/Berlin; Mon,Wed,Fri 17:30 for 30m UTC; ");
    }

    @Test
    void aWindowWithoutDaysOpensEveryDay() {
        assertThat(schedule("windows: [{at: \"06:00\", duration: 1h}]").windows().get(0).start())
                .isEqualTo(WeeklyStart.daily(LocalTime.of(6, 0)));
    }

    @Test
    void environmentsInheritWindowsAndFreezesKeyByKeyAndMayOverrideThem() {
        List<EnvironmentRule> rules = rules("""
                windows: [{days: mon-fri, at: "09:00", duration: 8h}]
                freeze: [{from: 2026-12-21, to: 2027-01-04}]
                environments:
                  production: {}
                  staging:
                    windows: []
                  qa:
                    freeze: [{from: 2026-12-24, to: 2026-12-26, reason: holidays}]
                """);
        Map<String, DeploySchedule> byEnv = new java.util.TreeMap<>();
        rules.forEach(r -> byEnv.put(r.environment().value(), r.schedule()));
        assertThat(byEnv.get("production").windows()).hasSize(1);
        assertThat(byEnv.get("production").freezes()).hasSize(1);
        assertThat(byEnv.get("staging").windows()).isEmpty();
        assertThat(byEnv.get("staging").freezes()).isEqualTo(byEnv.get("production").freezes());
        assertThat(byEnv.get("qa").windows()).isEqualTo(byEnv.get("production").windows());
        assertThat(byEnv.get("qa").freezes()).singleElement().extracting(f -> f.reason().orElseThrow()).isEqualTo("holidays");
    }

    @Test
    void mistakesInWindowsAreReportedWithTheirKeyPathAndLine() {
        assertThat(problems("""
                windows:
                  - days: mon-funday
                    at: "25:00"
                    duration: soon
                  - cron: "0 0 31 2 *"
                    duration: 8d
                    zone: Mars/Olympus
                  - dayz: mon
                    at: "09:00"
                    duration: 1h
                  - duration: 1h
                  - cron: "0 9 * * *"
                    at: "09:00"
                    duration: 1h
                  - days: mon
                    at: "09:00"
                  - every monday
                """)).containsExactly(
                "line 7: repos.octo/app.windows[0].days: \"funday\" is not a day of the week; write mon, tue, wed, thu, fri, "
                        + "sat or sun, or a range such as mon-fri",
                "line 8: repos.octo/app.windows[0].at: \"25:00\" is not a time of day; write HH:MM (24-hour, in quotes), such as \"09:00\"",
                "line 9: repos.octo/app.windows[0].duration: \"soon\" is not a positive duration; write it like 90m or 8h",
                "line 10: repos.octo/app.windows[1].cron: cron expression \"0 0 31 2 *\" never fires: no month in it has that day; "
                        + "check the day-of-month and month fields",
                "line 11: repos.octo/app.windows[1].duration: \"8d\" is longer than 7d; a window opens at least once a week, "
                        + "so use several windows, or none to deploy at any time",
                "line 12: repos.octo/app.windows[1].zone: \"Mars/Olympus\" is not a time zone; write an IANA zone such as "
                        + "Europe/Berlin, America/New_York or UTC",
                "line 13: repos.octo/app.windows[2].dayz: unknown key; did you mean days?",
                "line 16: repos.octo/app.windows[3]: has no start; write days and at, such as {days: mon-fri, at: \"09:00\", "
                        + "duration: 8h}, or cron, such as {cron: \"30 8 * * 1-5\", duration: 90m}",
                "line 17: repos.octo/app.windows[4]: has both cron and at; keep cron, or days and at",
                "line 20: repos.octo/app.windows[5].duration: is missing; write how long the window stays open, such as 8h or 90m",
                "line 22: repos.octo/app.windows[6]: must be a map, such as {days: mon-fri, at: \"09:00\", duration: 8h, "
                        + "zone: Europe/Berlin}");
    }

    @Test
    void mistakesInFreezesAreReportedWithTheirKeyPathAndLine() {
        assertThat(problems("""
                freeze:
                  - from: 2027-01-04
                    to: 2026-12-21
                  - from: 2026-12-32
                    to: soon
                    zone: Europe/Berlin
                  - to: 2027-01-04
                    reason: "two\\nlines"
                    until: 2027-01-05
                """)).containsExactly(
                "line 8: repos.octo/app.freeze[0].to: \"2026-12-21\" is not after from (\"2027-01-04\"); a freeze ends after "
                        + "it starts (a date as to means through the end of that day)",
                "line 9: repos.octo/app.freeze[1].from: \"2026-12-32\" is not a date; write YYYY-MM-DD, such as 2026-12-21",
                "line 10: repos.octo/app.freeze[1].to: \"soon\" is not a date or a local date-time; write 2026-12-21 or 2026-12-21T18:00",
                "line 12: repos.octo/app.freeze[2].from: is missing; write the first day of the freeze, such as 2026-12-21 "
                        + "(or 2026-12-21T18:00)",
                "line 13: repos.octo/app.freeze[2].reason: freeze reason \"two\\u000alines\" is not valid; write one line of 1 to "
                        + "200 characters, or leave it out",
                "line 14: repos.octo/app.freeze[2].until: unknown key; known keys here: from, reason, to, zone");
    }

    @Test
    void windowsAndFreezeMustBeLists() {
        assertThat(problems("windows: {days: mon-fri, at: \"09:00\", duration: 8h}\nfreeze: 2026-12-24\n")).containsExactly(
                "line 6: repos.octo/app.windows: must be a list of maps, such as [{days: mon-fri, at: \"09:00\", duration: 8h, "
                        + "zone: Europe/Berlin}]",
                "line 7: repos.octo/app.freeze: must be a list of maps, such as [{from: 2026-12-21, to: 2027-01-04, "
                        + "reason: year-end freeze}]");
    }

    @Test
    void aMistakeInAnInheritedWindowIsReportedOnceWhereItIsWritten() {
        assertThat(problems("""
                windows: [{days: mon-fri, at: "09:00", duration: soon}]
                environments:
                  production: {}
                  staging: {}
                """)).containsExactly("line 6: repos.octo/app.windows[0].duration: \"soon\" is not a positive duration; "
                + "write it like 90m or 8h");
    }
}
