package io.github.autodeploy.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.model.InvalidValueException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The cron-like start of a window: fields, names, Sunday as 0 and 7, cron's day rule, and refusals. */
class CronExpressionTest {
    /** Monday 2 March 2026. */
    private static final LocalDate MONDAY = LocalDate.of(2026, 3, 2);

    private static List<LocalDate> matchingDaysOfMarch(String expression) {
        CronExpression c = CronExpression.parse(expression);
        return Stream.iterate(LocalDate.of(2026, 3, 1), d -> d.plusDays(1)).limit(31).filter(c::onDay).toList();
    }

    private static List<LocalTime> times(String expression) {
        return CronExpression.parse(expression).times();
    }

    @Test
    void aWeekdayRangeMatchesMondayToFriday() {
        CronExpression c = CronExpression.parse("30 8 * * 1-5");
        assertThat(c.times()).containsExactly(LocalTime.of(8, 30));
        assertThat(Stream.iterate(MONDAY, d -> d.plusDays(1)).limit(7).map(c::onDay))
                .containsExactly(true, true, true, true, true, false, false);
        assertThat(c.describe()).isEqualTo("cron \"30 8 * * 1-5\"");
    }

    @Test
    void listsRangesAndStepsExpandInEveryField() {
        assertThat(times("0,30 9,17 * * *")).containsExactly(LocalTime.of(9, 0), LocalTime.of(9, 30),
                LocalTime.of(17, 0), LocalTime.of(17, 30));
        assertThat(times("*/15 8 * * *")).extracting(LocalTime::getMinute).containsExactly(0, 15, 30, 45);
        assertThat(times("10/20 8 * * *")).extracting(LocalTime::getMinute).containsExactly(10, 30, 50);
        assertThat(times("0 8-18/5 * * *")).extracting(LocalTime::getHour).containsExactly(8, 13, 18);
        assertThat(times("0-2,58-59 0 * * *")).extracting(LocalTime::getMinute).containsExactly(0, 1, 2, 58, 59);
        assertThat(times("* * * * *")).hasSize(24 * 60);
        assertThat(matchingDaysOfMarch("0 9 * * 1-5/2")).extracting(LocalDate::getDayOfWeek).containsOnly(
                java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.WEDNESDAY, java.time.DayOfWeek.FRIDAY);
        assertThat(matchingDaysOfMarch("0 9 1-31/10 * *")).extracting(LocalDate::getDayOfMonth).containsExactly(1, 11, 21, 31);
    }

    @Test
    void monthsAndDaysMayBeNamedInAnyCase() {
        assertThat(matchingDaysOfMarch("0 9 * MAR mon-Fri")).isEqualTo(matchingDaysOfMarch("0 9 * 3 1-5"));
        assertThat(matchingDaysOfMarch("0 9 * jan,feb,apr *")).isEmpty();
        assertThat(matchingDaysOfMarch("0 9 * feb-apr sun")).extracting(LocalDate::getDayOfMonth)
                .containsExactly(1, 8, 15, 22, 29);
    }

    @Test
    void sundayIsBothZeroAndSeven() {
        assertThat(matchingDaysOfMarch("0 9 * * 0")).isEqualTo(matchingDaysOfMarch("0 9 * * 7"))
                .extracting(LocalDate::getDayOfMonth).containsExactly(1, 8, 15, 22, 29);
        assertThat(matchingDaysOfMarch("0 9 * * 5-7")).extracting(LocalDate::getDayOfWeek).containsOnly(
                java.time.DayOfWeek.FRIDAY, java.time.DayOfWeek.SATURDAY, java.time.DayOfWeek.SUNDAY);
    }

    @Test
    void whenDayOfMonthAndDayOfWeekAreBothRestrictedEitherMatches() {
        // 1 March 2026 is a Sunday: the first of the month and every Monday.
        assertThat(matchingDaysOfMarch("0 9 1 * mon")).extracting(LocalDate::getDayOfMonth)
                .containsExactly(1, 2, 9, 16, 23, 30);
        assertThat(matchingDaysOfMarch("0 9 1 * *")).extracting(LocalDate::getDayOfMonth).containsExactly(1);
        assertThat(matchingDaysOfMarch("0 9 * * mon")).extracting(LocalDate::getDayOfMonth).containsExactly(2, 9, 16, 23, 30);
    }

    @Test
    void aFieldStartingWithAStarCountsAsUnrestrictedForTheDayRule() {
        // As in cron: */2 is "every other day", so Monday must also be an odd day of the month.
        assertThat(matchingDaysOfMarch("0 9 */2 * mon")).extracting(LocalDate::getDayOfMonth).containsExactly(9, 23);
    }

    @Test
    void macrosStandForTheirExpressions() {
        assertThat(times("@daily")).containsExactly(LocalTime.MIDNIGHT);
        assertThat(times("@hourly")).hasSize(24);
        assertThat(matchingDaysOfMarch("@weekly")).isEqualTo(matchingDaysOfMarch("0 0 * * 0"));
        assertThat(matchingDaysOfMarch("@monthly")).extracting(LocalDate::getDayOfMonth).containsExactly(1);
    }

    @Test
    void spacesBetweenFieldsAreCollapsed() {
        assertThat(CronExpression.parse("  30   8 * *\t1-5 ")).isEqualTo(CronExpression.parse("30 8 * * 1-5"));
        assertThat(CronExpression.parse("  30   8 * *\t1-5 ").text()).isEqualTo("30 8 * * 1-5");
    }

    @Test
    void anExpressionThatNeverFiresIsRefused() {
        assertThatThrownBy(() -> CronExpression.parse("0 0 31 2 *")).isInstanceOf(InvalidValueException.class)
                .hasMessage("cron expression \"0 0 31 2 *\" never fires: no month in it has that day; "
                        + "check the day-of-month and month fields");
        assertThatThrownBy(() -> CronExpression.parse("0 0 30 2 *")).hasMessageContaining("never fires");
        assertThatThrownBy(() -> CronExpression.parse("0 0 31 apr,jun,sep,nov *")).hasMessageContaining("never fires");
        assertThatThrownBy(() -> CronExpression.parse("0 0 29 2 *")).hasMessageContaining("fires only on 29 February");
        // With a day of the week too, either matches, so it fires on Mondays of February.
        assertThat(CronExpression.parse("0 0 31 2 mon").onDay(LocalDate.of(2026, 2, 2))).isTrue();
        assertThat(CronExpression.parse("0 0 29-31 2,3 *").onDay(LocalDate.of(2026, 3, 30))).isTrue();
    }

    @Test
    void eachMistakeIsNamedWithItsFieldAndAHint() {
        assertThatThrownBy(() -> CronExpression.parse("30 8 * *")).isInstanceOf(InvalidValueException.class)
                .hasMessage("cron expression \"30 8 * *\" has 4 fields; write five: minute hour day-of-month month "
                        + "day-of-week, such as \"30 8 * * 1-5\"");
        assertThatThrownBy(() -> CronExpression.parse("")).hasMessageContaining("has 0 fields");
        assertThatThrownBy(() -> CronExpression.parse("60 8 * * *"))
                .hasMessage("cron expression \"60 8 * * *\": the minute field \"60\" is not valid; values must be from 0 to 59");
        assertThatThrownBy(() -> CronExpression.parse("0 24 * * *")).hasMessageContaining("the hour field \"24\"");
        assertThatThrownBy(() -> CronExpression.parse("0 8 0 * *")).hasMessageContaining("the day-of-month field \"0\"");
        assertThatThrownBy(() -> CronExpression.parse("0 8 * 13 *")).hasMessageContaining("the month field \"13\"");
        assertThatThrownBy(() -> CronExpression.parse("0 8 * * 8")).hasMessageContaining("the day-of-week field \"8\"");
        assertThatThrownBy(() -> CronExpression.parse("0 8 * * 5-1"))
                .hasMessageContaining("a range must go from low to high");
        assertThatThrownBy(() -> CronExpression.parse("*/0 8 * * *")).hasMessageContaining("a step must be from 1 to 60");
        assertThatThrownBy(() -> CronExpression.parse("0 8 * * funday"))
                .hasMessageContaining("the day-of-week field \"funday\" is not valid; write numbers or names such as sun-sat");
        assertThatThrownBy(() -> CronExpression.parse("0 8 * * mon,,fri")).hasMessageContaining("the day-of-week field \"\"");
        assertThatThrownBy(() -> CronExpression.parse("0 8 1-2-3 * *")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> CronExpression.parse("999999999999 8 * * *")).hasMessageContaining("the minute field");
        assertThatThrownBy(() -> CronExpression.parse("0 8 * * * " + "x".repeat(300))).hasMessageContaining("longer than 200");
    }
}
