package io.github.autodeploy.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.lifecycle.StatusUpdate;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.core.store.StepRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static final Instant AT = Instant.parse("2026-11-29T03:00:00.123456789Z");

    @Test
    void historyIsWrittenInTheStoredFormAndReadBack() {
        List<StatusUpdate> history = List.of(new StatusUpdate(DeploymentState.QUEUED, "queued for \"prod\"\n\u00e9\u2028", AT),
                new StatusUpdate(DeploymentState.INACTIVE, "", AT.plusSeconds(1)));

        String json = Json.history(history);

        assertThat(json).isEqualTo("[{\"state\":\"QUEUED\",\"description\":\"queued for \\\"prod\\\"\\n\u00e9\u2028\","
                + "\"at\":\"2026-11-29T03:00:00.123456789Z\"},{\"state\":\"INACTIVE\",\"description\":\"\","
                + "\"at\":\"2026-11-29T03:00:01.123456789Z\"}]");
        assertThat(Json.history(json)).isEqualTo(history);
    }

    @Test
    void stepsAreWrittenInTheStoredFormAndReadBack() {
        List<StepRecord> steps = List.of(new StepRecord("build \\ test",
                new StepResult(StepResult.Outcome.FAILED, -1, Duration.ofMillis(1500), "exit code 1\ttab")));

        String json = Json.steps(steps);

        assertThat(json).isEqualTo("[{\"name\":\"build \\\\ test\",\"outcome\":\"FAILED\",\"exit_code\":-1,"
                + "\"duration\":\"PT1.5S\",\"message\":\"exit code 1\\ttab\"}]");
        assertThat(Json.steps(json)).isEqualTo(steps);
    }

    @Test
    void noStepsAreAnEmptyArray() {
        assertThat(Json.steps(List.of())).isEqualTo("[]");
        assertThat(Json.history(List.of())).isEqualTo("[]");
        assertThat(Json.steps("[]")).isEmpty();
    }
}
