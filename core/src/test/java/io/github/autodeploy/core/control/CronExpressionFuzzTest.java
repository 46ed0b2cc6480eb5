package io.github.autodeploy.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.autodeploy.core.model.InvalidValueException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Whatever is written as {@code cron:}, parsing either refuses it with the project's validation
 * exception or gives an expression whose window opens within the horizon and is open at its opening.
 */
class CronExpressionFuzzTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @FuzzTest(maxDuration = "10s")
    void parsingThrowsNothingButInvalidValueAndAcceptedExpressionsOpen(FuzzedDataProvider data) {
        long seconds = data.consumeLong(1_700_000_000L, 2_000_000_000L);
        String text = data.consumeRemainingAsString();
        CronExpression cron;
        try {
            cron = CronExpression.parse(text);
        } catch (InvalidValueException e) {
            assertThat(e.getMessage()).startsWith("cron expression");
            return;
        }
        assertThat(cron.times()).isNotEmpty().isSorted();
        DeploySchedule schedule = DeploySchedule.of(List.of(new DeployWindow(cron, Duration.ofMinutes(1), BERLIN)), List.of());
        Instant t = Instant.ofEpochSecond(seconds);
        Instant opening = schedule.nextOpening(t).orElseThrow();
        assertThat(opening).isAfterOrEqualTo(t);
        assertThat(schedule.isOpen(opening)).isTrue();
        assertThat(schedule.closedReason(opening)).isEmpty();
    }
}
