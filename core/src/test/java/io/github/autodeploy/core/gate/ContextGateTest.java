package io.github.autodeploy.core.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.model.ContextReport;
import io.github.autodeploy.core.model.ContextReport.Source;
import io.github.autodeploy.core.model.ContextState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContextGateTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private static ContextReport report(String name, ContextState state, int second, Source source) {
        return new ContextReport(name, state, T0.plusSeconds(second), source);
    }

    /** Every state a required context can be in, decided by the strict gate and by one that lets neutral pass. */
    @ParameterizedTest(name = "{0} from {1}: strict={2}, neutral passes={3}")
    @CsvSource({
            // commit status states
            "success,COMMIT_STATUS,OPEN,OPEN",
            "pending,COMMIT_STATUS,WAIT,WAIT",
            "failure,COMMIT_STATUS,CLOSED,CLOSED",
            "error,COMMIT_STATUS,CLOSED,CLOSED",
            // check run statuses and conclusions
            "queued,CHECK_RUN,WAIT,WAIT",
            "in_progress,CHECK_RUN,WAIT,WAIT",
            "completed/success,CHECK_RUN,OPEN,OPEN",
            "completed/neutral,CHECK_RUN,CLOSED,OPEN",
            "completed/skipped,CHECK_RUN,CLOSED,OPEN",
            "completed/failure,CHECK_RUN,CLOSED,CLOSED",
            "completed/cancelled,CHECK_RUN,CLOSED,CLOSED",
            "completed/timed_out,CHECK_RUN,CLOSED,CLOSED",
            "completed/action_required,CHECK_RUN,CLOSED,CLOSED",
            "completed/stale,CHECK_RUN,CLOSED,CLOSED",
            "completed/startup_failure,CHECK_RUN,CLOSED,CLOSED",
            "completed/some_future_word,CHECK_RUN,CLOSED,CLOSED"})
    void decidesEveryStateOfARequiredContext(String reported, Source source, String strict, String lenient) {
        ContextState state = source == Source.COMMIT_STATUS
                ? ContextState.fromCommitStatus(reported)
                : reported.contains("/") ? ContextState.fromCheckRun("completed", reported.split("/")[1])
                : ContextState.fromCheckRun(reported, null);
        List<ContextReport> reports = List.of(report("ci/build", state, 0, source), report("lint", ContextState.SUCCESS, 0, Source.CHECK_RUN));
        RequiredContexts required = RequiredContexts.of(List.of("ci/build", "lint"));

        assertThat(kind(ContextGate.strict().decide(required, reports))).isEqualTo(strict);
        assertThat(kind(ContextGate.neutralOrSkippedPasses().decide(required, reports))).isEqualTo(lenient);
        GateDecision decision = ContextGate.strict().decide(required, reports);
        if (decision instanceof GateDecision.Closed closed) {
            assertThat(closed.failed()).containsExactly(Map.entry("ci/build", state));
        }
        if (decision instanceof GateDecision.Wait wait) {
            assertThat(wait.pending()).containsExactly("ci/build");
            assertThat(wait.missing()).isEmpty();
        }
    }

    @Test
    void requiredContextThatNeverReportedIsMissing() {
        GateDecision d = ContextGate.strict().decide(RequiredContexts.of(List.of("ci/build", "deploy-check")),
                List.of(report("ci/build", ContextState.SUCCESS, 0, Source.COMMIT_STATUS)));
        assertThat(d).isEqualTo(new GateDecision.Wait(List.of(), List.of("deploy-check")));
    }

    @Test
    void absentRequiredContextsWaitsForEveryContextTheCommitHas() {
        List<ContextReport> reports = List.of(report("ci/build", ContextState.SUCCESS, 0, Source.COMMIT_STATUS),
                report("test (ubuntu)", ContextState.PENDING, 0, Source.CHECK_RUN));
        assertThat(ContextGate.strict().decide(RequiredContexts.all(), reports))
                .isEqualTo(new GateDecision.Wait(List.of("test (ubuntu)"), List.of()));
        assertThat(ContextGate.strict().decide(RequiredContexts.all(),
                List.of(report("ci/build", ContextState.SUCCESS, 0, Source.COMMIT_STATUS))))
                .isInstanceOf(GateDecision.Open.class);
    }

    @Test
    void absentRequiredContextsOnACommitWithoutCiIsOpenAsOnGitHub() {
        assertThat(ContextGate.strict().decide(RequiredContexts.all(), List.of())).isInstanceOf(GateDecision.Open.class);
    }

    @Test
    void emptyRequiredContextsMeansNoGateEvenWhenSomethingFailed() {
        assertThat(ContextGate.strict().decide(RequiredContexts.none(),
                List.of(report("ci/build", ContextState.FAILURE, 0, Source.COMMIT_STATUS))))
                .isInstanceOf(GateDecision.Open.class);
    }

    @Test
    void contextsThatAreNotRequiredDoNotMatter() {
        assertThat(ContextGate.strict().decide(RequiredContexts.of(List.of("ci/build")),
                List.of(report("ci/build", ContextState.SUCCESS, 0, Source.COMMIT_STATUS),
                        report("flaky", ContextState.FAILURE, 0, Source.CHECK_RUN))))
                .isInstanceOf(GateDecision.Open.class);
    }

    @Test
    void namesMatchExactly() {
        assertThat(ContextGate.strict().decide(RequiredContexts.of(List.of("CI/Build")),
                List.of(report("ci/build", ContextState.SUCCESS, 0, Source.COMMIT_STATUS))))
                .isEqualTo(new GateDecision.Wait(List.of(), List.of("CI/Build")));
    }

    @Test
    void newestReportOfAContextWinsAcrossStatusesAndCheckRuns() {
        List<ContextReport> failedThenFixed = List.of(
                report("build", ContextState.SUCCESS, 20, Source.CHECK_RUN),
                report("build", ContextState.FAILURE, 10, Source.COMMIT_STATUS));
        assertThat(ContextGate.strict().decide(RequiredContexts.of(List.of("build")), failedThenFixed))
                .isInstanceOf(GateDecision.Open.class);
        List<ContextReport> passedThenRerunning = List.of(
                report("build", ContextState.SUCCESS, 10, Source.COMMIT_STATUS),
                report("build", ContextState.PENDING, 30, Source.CHECK_RUN));
        assertThat(ContextGate.strict().decide(RequiredContexts.of(List.of("build")), passedThenRerunning))
                .isEqualTo(new GateDecision.Wait(List.of("build"), List.of()));
    }

    @Test
    void aFailureClosesTheGateEvenWhileOthersArePending() {
        GateDecision d = ContextGate.strict().decide(RequiredContexts.all(), List.of(
                report("a", ContextState.PENDING, 0, Source.CHECK_RUN),
                report("b", ContextState.TIMED_OUT, 0, Source.CHECK_RUN)));
        assertThat(d).isEqualTo(new GateDecision.Closed(Map.of("b", ContextState.TIMED_OUT)));
    }

    private static String kind(GateDecision d) {
        if (d instanceof GateDecision.Open) {
            return "OPEN";
        }
        return d instanceof GateDecision.Wait ? "WAIT" : "CLOSED";
    }
}
