package io.github.autodeploy.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.ContextReport;
import io.github.autodeploy.core.model.ContextState;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.port.CommitChecks;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CommitChecks} must do: report a commit's statuses and check runs, and nothing for a
 * commit without CI. To check an implementation, extend this class in a JUnit 5 test, implement {@link
 * #checks()} and make {@link #given} put the reports where the implementation reads them (a fake stores
 * them; a MockWebServer serves them as GitHub would). Not thread-safe (one instance per test).
 */
public abstract class CommitChecksContract {

    /** The implementation under test. */
    protected abstract CommitChecks checks();

    /** Makes the service report these for the commit (a fake stores them; a MockWebServer serves them). */
    protected abstract void given(RepositoryName repo, CommitSha sha, ContextReport... reports);

    @Test
    void reportsStatusesAndCheckRunsOfTheCommit() {
        Instant t = Instant.parse("2026-11-27T10:00:00Z");
        given(Values.REPO, Values.SHA,
                new ContextReport("ci/build", ContextState.SUCCESS, t, ContextReport.Source.COMMIT_STATUS),
                new ContextReport("test", ContextState.PENDING, t, ContextReport.Source.CHECK_RUN));
        assertThat(checks().reports(Values.REPO, Values.SHA))
                .extracting(ContextReport::context, ContextReport::state, ContextReport::source)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("ci/build", ContextState.SUCCESS, ContextReport.Source.COMMIT_STATUS),
                        org.assertj.core.groups.Tuple.tuple("test", ContextState.PENDING, ContextReport.Source.CHECK_RUN));
    }

    @Test
    void commitWithoutCiHasNoReports() {
        given(Values.REPO, Values.SHA2);
        assertThat(checks().reports(Values.REPO, Values.SHA2)).isEmpty();
    }
}
