package io.github.autodeploy.core.control;

import static io.github.autodeploy.core.control.DeployScheduleTest.BERLIN;
import static io.github.autodeploy.core.control.DeployScheduleTest.NEW_YORK;
import static io.github.autodeploy.core.control.DeployScheduleTest.at;
import static io.github.autodeploy.core.control.DeployScheduleTest.windows;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * Windows across daylight-saving switches: local starts follow the zone's rules (a start in the
 * spring gap moves forward by the gap, one in the autumn overlap opens once, at the earlier offset),
 * and a window's duration is elapsed time. Berlin switches on 29 March and 25 October 2026, New York
 * on 8 March and 1 November 2026.
 */
class DaylightSavingTest {
    private static DeploySchedule daily(String time, Duration duration, ZoneId zone) {
        return windows(new DeployWindow(WeeklyStart.daily(LocalTime.parse(time)), duration, zone));
    }

    @Test
    void aBerlinStartInTheSpringGapOpensAtTheShiftedInstant() {
        DeploySchedule s = daily("02:30", Duration.ofHours(1), BERLIN);
        // 02:30 does not exist on 29 March: ZonedDateTime moves it to 03:30 CEST, 01:30 UTC.
        assertThat(s.nextOpening(at("2026-03-29T00:00:00Z"))).contains(at("2026-03-29T01:30:00Z"));
        assertThat(s.isOpen(at("2026-03-29T01:29:59Z"))).isFalse();
        assertThat(s.isOpen(at("2026-03-29T02:29:59Z"))).isTrue();
        assertThat(s.isOpen(at("2026-03-29T02:30:00Z"))).isFalse();
        // The next day 02:30 CEST is 00:30 UTC.
        assertThat(s.nextOpening(at("2026-03-29T02:30:00Z"))).contains(at("2026-03-30T00:30:00Z"));
    }

    @Test
    void aBerlinStartInTheAutumnOverlapOpensOnceAtTheEarlierOffset() {
        DeploySchedule s = daily("02:30", Duration.ofHours(1), BERLIN);
        // 02:30 happens twice on 25 October: 00:30 UTC (CEST) and 01:30 UTC (CET). The window opens at the first.
        assertThat(s.nextOpening(at("2026-10-25T00:00:00Z"))).contains(at("2026-10-25T00:30:00Z"));
        assertThat(s.isOpen(at("2026-10-25T01:29:59Z"))).isTrue();
        assertThat(s.isOpen(at("2026-10-25T01:30:00Z"))).as("the second 02:30 is no start").isFalse();
        assertThat(s.nextOpening(at("2026-10-25T01:30:00Z"))).contains(at("2026-10-26T01:30:00Z"));
    }

    @Test
    void aBerlinNineOClockWindowIsAnHourEarlierInUtcAfterTheSpringSwitchAndLaterAfterTheAutumnOne() {
        DeploySchedule s = windows(DeployWindow.cron("0 9 * * mon-fri", Duration.ofHours(8), BERLIN));
        assertThat(s.nextOpening(at("2026-03-27T00:00:00Z"))).as("Friday before, CET").contains(at("2026-03-27T08:00:00Z"));
        assertThat(s.nextOpening(at("2026-03-27T17:00:00Z"))).as("Monday after, CEST").contains(at("2026-03-30T07:00:00Z"));
        assertThat(s.nextOpening(at("2026-10-23T00:00:00Z"))).as("Friday before, CEST").contains(at("2026-10-23T07:00:00Z"));
        assertThat(s.nextOpening(at("2026-10-23T17:00:00Z"))).as("Monday after, CET").contains(at("2026-10-26T08:00:00Z"));
        assertThat(s.closedReason(at("2026-03-28T12:00:00Z"))).contains("outside the deploy window; opens Mon 09:00 Europe/Berlin");
    }

    @Test
    void aWindowsDurationIsElapsedTimeAcrossTheSwitch() {
        DeploySchedule s = daily("22:00", Duration.ofHours(8), BERLIN);
        // Opens 28 March 22:00 CET (21:00 UTC); eight hours later it is 07:00 CEST, 05:00 UTC.
        assertThat(s.isOpen(at("2026-03-29T04:59:59Z"))).isTrue();
        assertThat(s.isOpen(at("2026-03-29T05:00:00Z"))).isFalse();
        // Opens 24 October 22:00 CEST (20:00 UTC); eight hours later it is 03:00 CET, 04:00 UTC.
        assertThat(s.isOpen(at("2026-10-25T03:59:59Z"))).isTrue();
        assertThat(s.isOpen(at("2026-10-25T04:00:00Z"))).isFalse();
    }

    @Test
    void aNewYorkStartInTheSpringGapOpensAtTheShiftedInstant() {
        DeploySchedule s = windows(DeployWindow.cron("30 2 * * *", Duration.ofMinutes(30), NEW_YORK));
        // 02:30 does not exist on 8 March: it becomes 03:30 EDT, 07:30 UTC (the day before, 02:30 EST is 07:30 UTC too).
        assertThat(s.nextOpening(at("2026-03-08T06:00:00Z"))).contains(at("2026-03-08T07:30:00Z"));
        assertThat(s.isOpen(at("2026-03-08T07:59:59Z"))).isTrue();
        assertThat(s.nextOpening(at("2026-03-08T08:00:00Z"))).contains(at("2026-03-09T06:30:00Z"));
    }

    @Test
    void aNewYorkStartOnTheAutumnSwitchDay() {
        // 02:30 on 1 November is after the repeated hour: once, at 02:30 EST, 07:30 UTC.
        assertThat(daily("02:30", Duration.ofMinutes(30), NEW_YORK).nextOpening(at("2026-11-01T05:00:00Z")))
                .contains(at("2026-11-01T07:30:00Z"));
        // 01:30 is repeated: it opens once, at 01:30 EDT, 05:30 UTC, and not again at 06:30 UTC.
        DeploySchedule overlap = daily("01:30", Duration.ofMinutes(30), NEW_YORK);
        assertThat(overlap.nextOpening(at("2026-11-01T05:00:00Z"))).contains(at("2026-11-01T05:30:00Z"));
        assertThat(overlap.isOpen(at("2026-11-01T06:30:00Z"))).isFalse();
        assertThat(overlap.nextOpening(at("2026-11-01T06:00:00Z"))).contains(at("2026-11-02T06:30:00Z"));
    }

    @Test
    void aNewYorkNineOClockWindowMovesInUtcAcrossBothSwitches() {
        DeploySchedule s = windows(new DeployWindow(new WeeklyStart(WeeklyStart.parseDays(java.util.List.of("mon-fri")),
                LocalTime.of(9, 0)), Duration.ofHours(8), NEW_YORK));
        assertThat(s.nextOpening(at("2026-03-06T00:00:00Z"))).as("Friday before, EST").contains(at("2026-03-06T14:00:00Z"));
        assertThat(s.nextOpening(at("2026-03-06T23:00:00Z"))).as("Monday after, EDT").contains(at("2026-03-09T13:00:00Z"));
        assertThat(s.nextOpening(at("2026-10-30T00:00:00Z"))).as("Friday before, EDT").contains(at("2026-10-30T13:00:00Z"));
        assertThat(s.nextOpening(at("2026-10-30T23:00:00Z"))).as("Monday after, EST").contains(at("2026-11-02T14:00:00Z"));
    }
}
