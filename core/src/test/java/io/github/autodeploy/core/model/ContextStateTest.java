package io.github.autodeploy.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContextStateTest {

    @ParameterizedTest
    @CsvSource({"success,SUCCESS", "pending,PENDING", "failure,FAILURE", "error,ERROR", "SUCCESS,SUCCESS", "bogus,UNKNOWN"})
    void mapsEveryCommitStatusState(String word, ContextState expected) {
        assertThat(ContextState.fromCommitStatus(word)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "queued,null,PENDING", "in_progress,null,PENDING", "waiting,null,PENDING", "requested,null,PENDING",
            "pending,null,PENDING", "completed,success,SUCCESS", "completed,failure,FAILURE",
            "completed,neutral,NEUTRAL", "completed,skipped,SKIPPED", "completed,cancelled,CANCELLED",
            "completed,timed_out,TIMED_OUT", "completed,action_required,ACTION_REQUIRED", "completed,stale,STALE",
            "completed,startup_failure,STARTUP_FAILURE", "completed,brand_new,UNKNOWN", "completed,null,UNKNOWN"})
    void mapsEveryCheckRunStatusAndConclusion(String status, String conclusion, ContextState expected) {
        assertThat(ContextState.fromCheckRun(status, conclusion)).isEqualTo(expected);
    }
}
