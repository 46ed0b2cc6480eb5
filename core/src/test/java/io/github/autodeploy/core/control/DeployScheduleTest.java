package io.github.autodeploy.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.model.InvalidValueException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Weekly and cron-like windows, freezes, zones, the next opening and the texts people read. */
class DeployScheduleTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final DeployWindow OFFICE_HOURS = new DeployWindow(
            new WeeklyStart(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0)), Duration.ofHours(8), BERLIN);

    static Instant at(String utc) {
        return Instant.parse(utc);
    }

    static DeploySchedule windows(DeployWindow... windows) {
        return DeploySchedule.of(List.of(windows), List.of());
    }

    @Test
    void alwaysIsOpenAtAnyTimeAndSaysSo() {
        DeploySchedule always = DeploySchedule.always();
        assertThat(always.alwaysOpen()).isTrue();
        assertThat(always.isOpen(at("2026-03-07T03:00:00Z"))).isTrue();
        assertThat(always.nextOpening(at("2026-03-07T03:00:00Z"))).contains(at("2026-03-07T03:00:00Z"));
        assertThat(always.closedReason(at("2026-03-07T03:00:00Z"))).isEmpty();
        assertThat(always.describe()).isEqualTo("any time");
        assertThat(DeploySchedule.of(List.of(), List.of())).isSameAs(always);
    }

    @Test
    void aWeeklyWindowIsOpenFromItsStartForItsDuration() {
        DeploySchedule s = windows(OFFICE_HOURS);
        assertThat(s.alwaysOpen()).isFalse();
        // Monday 2 March 2026; Berlin is UTC+1 in winter.
        assertThat(s.isOpen(at("2026-03-02T07:59:59Z"))).isFalse();
        assertThat(s.isOpen(at("2026-03-02T08:00:00Z"))).isTrue();
        assertThat(s.isOpen(at("2026-03-02T15:59:59Z"))).isTrue();
        assertThat(s.isOpen(at("2026-03-02T16:00:00Z"))).isFalse();
        assertThat(s.isOpen(at("2026-03-06T12:00:00Z"))).as("Friday").isTrue();
        assertThat(s.isOpen(at("2026-03-07T12:00:00Z"))).as("Saturday").isFalse();
        assertThat(s.describe()).isEqualTo("Mon-Fri 09:00 for 8h Europe/Berlin");
    }

    @Test
    void nextOpeningIsNowWhenOpenAndTheNextStartOtherwise() {
        DeploySchedule s = windows(OFFICE_HOURS);
        assertThat(s.nextOpening(at("2026-03-02T10:00:00Z"))).contains(at("2026-03-02T10:00:00Z"));
        assertThat(s.nextOpening(at("2026-03-02T16:00:00Z"))).contains(at("2026-03-03T08:00:00Z"));
        assertThat(s.nextOpening(at("2026-03-06T20:00:00Z"))).as("Friday evening: Monday").contains(at("2026-03-09T08:00:00Z"));
    }

    @Test
    void closedReasonNamesTheNextOpeningInTheWindowsZone() {
        DeploySchedule s = windows(OFFICE_HOURS);
        assertThat(s.closedReason(at("2026-03-07T09:00:00Z")))
                .contains("outside the deploy window; opens Mon 09:00 Europe/Berlin");
        assertThat(s.closedReason(at("2026-03-02T12:00:00Z"))).isEmpty();
        DeploySchedule monthly = windows(DeployWindow.cron("0 9 1 * *", Duration.ofHours(2), NEW_YORK));
        assertThat(monthly.closedReason(at("2026-03-02T12:00:00Z")))
                .as("a week or more away: with the date")
                .contains("outside the deploy window; opens Wed 2026-04-01 09:00 America/New_York");
    }

    @Test
    void aWindowMaySpanMidnight() {
        DeploySchedule s = windows(new DeployWindow(WeeklyStart.daily(LocalTime.of(22, 0)), Duration.ofHours(4), ZoneOffset.UTC));
        assertThat(s.isOpen(at("2026-03-02T21:59:00Z"))).isFalse();
        assertThat(s.isOpen(at("2026-03-02T23:30:00Z"))).isTrue();
        assertThat(s.isOpen(at("2026-03-03T01:59:59Z"))).isTrue();
        assertThat(s.isOpen(at("2026-03-03T02:00:00Z"))).isFalse();
        assertThat(s.describe()).isEqualTo("daily 22:00 for 4h UTC");
    }

    @Test
    void overlappingWindowsAreOpenWhileEitherIs() {
        DeploySchedule s = windows(
                new DeployWindow(WeeklyStart.daily(LocalTime.of(9, 0)), Duration.ofHours(2), ZoneOffset.UTC),
                DeployWindow.cron("0 10 * * *", Duration.ofHours(2), ZoneOffset.UTC));
        assertThat(s.isOpen(at("2026-03-02T08:59:00Z"))).isFalse();
        assertThat(s.isOpen(at("2026-03-02T10:30:00Z"))).isTrue();
        assertThat(s.isOpen(at("2026-03-02T11:30:00Z"))).isTrue();
        assertThat(s.isOpen(at("2026-03-02T12:00:00Z"))).isFalse();
        assertThat(s.nextOpening(at("2026-03-02T12:00:00Z"))).contains(at("2026-03-03T09:00:00Z"));
        assertThat(s.describe()).isEqualTo("daily 09:00 for 2h UTC; cron \"0 10 * * *\" for 2h UTC");
    }

    @Test
    void theSameLocalTimeIsADifferentInstantInEachZone() {
        DeploySchedule berlin = windows(new DeployWindow(WeeklyStart.daily(LocalTime.of(9, 0)), Duration.ofMinutes(30), BERLIN));
        DeploySchedule newYork = windows(new DeployWindow(WeeklyStart.daily(LocalTime.of(9, 0)), Duration.ofMinutes(30), NEW_YORK));
        DeploySchedule tokyo = windows(DeployWindow.cron("0 9 * * *", Duration.ofMinutes(30), DeployWindow.zone("Asia/Tokyo")));
        Instant night = at("2026-03-02T00:00:00Z");
        assertThat(berlin.nextOpening(night)).contains(at("2026-03-02T08:00:00Z"));
        assertThat(newYork.nextOpening(night)).contains(at("2026-03-02T14:00:00Z"));
        assertThat(tokyo.nextOpening(night)).as("09:00 in Tokyo is midnight UTC: open now").contains(night);
        assertThat(tokyo.nextOpening(at("2026-03-02T00:30:00Z"))).contains(at("2026-03-03T00:00:00Z"));
    }

    @Test
    void cronWindowsOpenAtEachMatchingMinute() {
        DeploySchedule s = windows(DeployWindow.cron("30 8 * * 1-5", Duration.ofMinutes(90), NEW_YORK));
        // Monday 2 March 2026, New York is UTC-5.
        assertThat(s.nextOpening(at("2026-03-02T00:00:00Z"))).contains(at("2026-03-02T13:30:00Z"));
        assertThat(s.isOpen(at("2026-03-02T14:59:59Z"))).isTrue();
        assertThat(s.isOpen(at("2026-03-02T15:00:00Z"))).isFalse();
        assertThat(s.nextOpening(at("2026-03-06T15:00:00Z"))).as("after Friday's: Monday's").contains(at("2026-03-09T12:30:00Z"));
        assertThat(s.describe()).isEqualTo("cron \"30 8 * * 1-5\" for 1h 30m America/New_York");

        DeploySchedule quarterHours = windows(DeployWindow.cron("*/15 9-10 * * *", Duration.ofMinutes(5), ZoneOffset.UTC));
        assertThat(quarterHours.nextOpening(at("2026-03-02T09:05:00Z"))).contains(at("2026-03-02T09:15:00Z"));
        assertThat(quarterHours.nextOpening(at("2026-03-02T10:50:00Z"))).contains(at("2026-03-03T09:00:00Z"));
        assertThat(quarterHours.isOpen(at("2026-03-02T10:49:00Z"))).isTrue();
    }

    @Test
    void aRareWindowIsFoundWithinTheYear() {
        DeploySchedule yearly = windows(DeployWindow.cron("0 0 1 1 *", Duration.ofHours(1), ZoneOffset.UTC));
        assertThat(yearly.nextOpening(at("2026-01-01T01:00:00Z"))).contains(at("2027-01-01T00:00:00Z"));
        DeploySchedule lastOfMonth = windows(DeployWindow.cron("0 0 31 * *", Duration.ofHours(1), ZoneOffset.UTC));
        assertThat(lastOfMonth.nextOpening(at("2026-02-01T00:00:00Z"))).contains(at("2026-03-31T00:00:00Z"));
    }

    @Test
    void aFreezeGivenAsDatesRunsThroughTheEndOfItsLastDay() {
        Freeze f = Freeze.of("2026-12-21", "2027-01-04", BERLIN, Optional.of("year-end freeze"));
        assertThat(f.start()).isEqualTo(at("2026-12-20T23:00:00Z"));
        assertThat(f.end()).isEqualTo(at("2027-01-04T23:00:00Z"));
        DeploySchedule s = DeploySchedule.of(List.of(), List.of(f));
        assertThat(s.alwaysOpen()).isFalse();
        assertThat(s.isOpen(at("2026-12-20T22:59:59Z"))).isTrue();
        assertThat(s.isOpen(at("2026-12-20T23:00:00Z"))).isFalse();
        assertThat(s.isOpen(at("2027-01-04T22:59:59Z"))).as("23:59 on the last day").isFalse();
        assertThat(s.isOpen(at("2027-01-04T23:00:00Z"))).isTrue();
        assertThat(s.closedReason(at("2026-12-24T12:00:00Z")))
                .contains("frozen until 2027-01-05 00:00 Europe/Berlin: year-end freeze");
        assertThat(s.nextOpening(at("2026-12-24T12:00:00Z"))).contains(at("2027-01-04T23:00:00Z"));
        assertThat(s.describe()).isEqualTo("any time; freeze 2026-12-21..2027-01-04 (year-end freeze)");
    }

    @Test
    void aFreezeGivenAsDateTimesEndsAtItsEndExclusive() {
        Freeze f = Freeze.of("2026-12-21T18:00", "2026-12-22T06:00", ZoneOffset.UTC, Optional.empty());
        DeploySchedule s = DeploySchedule.of(List.of(), List.of(f));
        assertThat(s.isOpen(at("2026-12-21T17:59:59Z"))).isTrue();
        assertThat(s.isOpen(at("2026-12-21T18:00:00Z"))).isFalse();
        assertThat(s.isOpen(at("2026-12-22T05:59:59Z"))).isFalse();
        assertThat(s.isOpen(at("2026-12-22T06:00:00Z"))).isTrue();
        assertThat(s.closedReason(at("2026-12-22T00:00:00Z"))).contains("frozen until 2026-12-22 06:00 UTC");
    }

    @Test
    void aFreezeWinsOverAWindowAndTheNextOpeningIsTheFirstWindowAfterIt() {
        DeploySchedule s = DeploySchedule.of(List.of(OFFICE_HOURS),
                List.of(Freeze.of("2026-12-21", "2027-01-04", BERLIN, Optional.of("year-end freeze"))));
        Instant mondayMorning = at("2026-12-21T10:00:00Z");
        assertThat(OFFICE_HOURS.isOpen(mondayMorning)).isTrue();
        assertThat(s.isOpen(mondayMorning)).isFalse();
        assertThat(s.closedReason(mondayMorning)).contains("frozen until 2027-01-05 00:00 Europe/Berlin: year-end freeze");
        // The freeze ends at midnight on Tuesday 5 January 2027; the window opens at 09:00.
        assertThat(s.nextOpening(mondayMorning)).contains(at("2027-01-05T08:00:00Z"));
        assertThat(s.describe()).isEqualTo("Mon-Fri 09:00 for 8h Europe/Berlin; freeze 2026-12-21..2027-01-04 (year-end freeze)");
    }

    @Test
    void whenAFreezeEndsInsideAWindowItOpensAtTheFreezesEnd() {
        DeploySchedule s = DeploySchedule.of(List.of(OFFICE_HOURS),
                List.of(Freeze.of("2027-01-04", "2027-01-05T12:00", BERLIN, Optional.empty())));
        assertThat(s.nextOpening(at("2027-01-04T10:00:00Z"))).contains(at("2027-01-05T11:00:00Z"));
        assertThat(s.closedReason(at("2027-01-04T10:00:00Z"))).contains("frozen until 2027-01-05 12:00 Europe/Berlin");
    }

    @Test
    void backToBackFreezesAreReportedUntilTheLastEnds() {
        DeploySchedule s = DeploySchedule.of(List.of(), List.of(
                Freeze.of("2026-12-21", "2026-12-27", ZoneOffset.UTC, Optional.of("holidays")),
                Freeze.of("2026-12-28", "2027-01-03", ZoneOffset.UTC, Optional.of("inventory"))));
        assertThat(s.closedReason(at("2026-12-22T00:00:00Z"))).contains("frozen until 2027-01-04 00:00 UTC: holidays");
        assertThat(s.nextOpening(at("2026-12-22T00:00:00Z"))).contains(at("2027-01-04T00:00:00Z"));
    }

    @Test
    void aFreezeBeyondTheHorizonLeavesNoOpening() {
        DeploySchedule s = DeploySchedule.of(List.of(OFFICE_HOURS),
                List.of(Freeze.of("2026-01-01", "2027-12-31", BERLIN, Optional.of("moratorium"))));
        assertThat(s.nextOpening(at("2026-03-02T10:00:00Z"))).isEmpty();
        assertThat(s.closedReason(at("2026-03-02T10:00:00Z"))).contains("frozen until 2028-01-01 00:00 Europe/Berlin: moratorium");
        DeploySchedule windowAfterFreeze = DeploySchedule.of(List.of(OFFICE_HOURS),
                List.of(Freeze.of("2026-03-03", "2027-12-31", BERLIN, Optional.empty())));
        assertThat(windowAfterFreeze.closedReason(at("2026-03-02T20:00:00Z")))
                .contains("outside the deploy window; no window opens within a year");
    }

    @Test
    void badFreezesAndWindowsAreRefused() {
        assertThatThrownBy(() -> Freeze.of("2027-01-04", "2026-12-21", BERLIN, Optional.empty()))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("ends before it starts");
        assertThatThrownBy(() -> Freeze.of("2026-13-01", "2027-01-04", BERLIN, Optional.empty()))
                .hasMessage("\"2026-13-01\" is not a date; write YYYY-MM-DD, such as 2026-12-21");
        assertThatThrownBy(() -> Freeze.of("soon", "2027-01-04", BERLIN, Optional.empty()))
                .hasMessageContaining("is not a date or a local date-time");
        assertThatThrownBy(() -> Freeze.of("2026-12-21", "2027-01-04", BERLIN, Optional.of("two\nlines")))
                .hasMessageContaining("write one line");
        assertThatThrownBy(() -> new DeployWindow(WeeklyStart.daily(LocalTime.NOON), Duration.ofDays(8), BERLIN))
                .hasMessageContaining("at most 7d");
        assertThatThrownBy(() -> new DeployWindow(WeeklyStart.daily(LocalTime.NOON), Duration.ZERO, BERLIN))
                .hasMessageContaining("more than zero");
        assertThatThrownBy(() -> DeployWindow.zone("Mars/Olympus")).isInstanceOf(InvalidValueException.class)
                .hasMessage("\"Mars/Olympus\" is not a time zone; write an IANA zone such as Europe/Berlin, America/New_York or UTC");
    }

    @Test
    void weeklyDaysAndTimesAreReadAsPeopleWriteThem() {
        assertThat(WeeklyStart.parseDays(List.of("mon-fri"))).isEqualTo(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
        assertThat(WeeklyStart.parseDays(List.of("mon", "Wednesday", "FRI")))
                .containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY);
        assertThat(WeeklyStart.parseDays(List.of("fri-mon"))).as("wraps over the weekend")
                .containsExactlyInAnyOrder(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY, DayOfWeek.MONDAY);
        assertThat(WeeklyStart.parseDays(List.of("mon,wed"))).containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY);
        assertThatThrownBy(() -> WeeklyStart.parseDays(List.of("funday"))).isInstanceOf(InvalidValueException.class)
                .hasMessage("\"funday\" is not a day of the week; write mon, tue, wed, thu, fri, sat or sun, or a range such as mon-fri");
        assertThat(WeeklyStart.parseTime("9:05")).isEqualTo(LocalTime.of(9, 5));
        assertThatThrownBy(() -> WeeklyStart.parseTime("25:00")).hasMessageContaining("is not a time of day");
        assertThat(new WeeklyStart(EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0))
                .describe()).isEqualTo("Mon,Wed,Fri 09:00");
        assertThat(new WeeklyStart(EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY),
                LocalTime.of(9, 0)).describe()).isEqualTo("Mon,Tue,Sat,Sun 09:00");
    }
}
