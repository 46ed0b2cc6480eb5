package io.github.autodeploy.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.port.ProtectionRuleApi;
import io.github.autodeploy.core.port.ProtectionRuleResult;
import io.github.autodeploy.core.port.ProtectionRuleTarget;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ProtectionRuleApi} must do: send an approval or rejection with its comment, send a
 * report without a state, cut text to {@value ProtectionRuleApi#MAX_COMMENT} characters, refuse the
 * eleventh report of a target without sending it, and send nothing for a target without an installation.
 * To check an implementation, extend this class in a JUnit 5 test, implement {@link #api()} against a
 * GitHub (real, fake, or MockWebServer playing one) on which the targets' runs wait, and {@link
 * #received()} with what that GitHub took. Not thread-safe (one instance per test).
 */
public abstract class ProtectionRuleApiContract {
    /** A target whose run waits, through installation 42. */
    protected static final ProtectionRuleTarget TARGET = new ProtectionRuleTarget(Values.REPO, 9876543210L,
            EnvironmentName.PRODUCTION, OptionalLong.of(42));

    /** What GitHub received: the run, the environment name, the state ({@code approved}/{@code rejected}, empty for a report) and the comment. */
    public record Received(long runId, String environmentName, Optional<String> state, String comment) {
    }

    /** The implementation under test; the same instance for every call within one test. */
    protected abstract ProtectionRuleApi api();

    /** What GitHub received so far, in order. */
    protected abstract List<Received> received();

    @Test
    void anApprovalIsSentOnceWithItsComment() {
        assertThat(api().review(TARGET, ProtectionRuleApi.Decision.APPROVED, "CI green; no lock"))
                .isEqualTo(new ProtectionRuleResult.Sent());
        assertThat(received()).containsExactly(new Received(TARGET.runId(), "production", Optional.of("approved"), "CI green; no lock"));
    }

    @Test
    void aRejectionIsSentWithItsComment() {
        assertThat(api().review(TARGET, ProtectionRuleApi.Decision.REJECTED, "ci/build failed"))
                .isEqualTo(new ProtectionRuleResult.Sent());
        assertThat(received()).containsExactly(new Received(TARGET.runId(), "production", Optional.of("rejected"), "ci/build failed"));
    }

    @Test
    void aReportIsSentWithoutAState() {
        assertThat(api().report(TARGET, "waiting for **ci/build**")).isEqualTo(new ProtectionRuleResult.Sent());
        assertThat(received()).containsExactly(new Received(TARGET.runId(), "production", Optional.empty(), "waiting for **ci/build**"));
    }

    @Test
    void aLongReportIsCutToTheLimitEndingWithAnEllipsis() {
        api().report(TARGET, "x".repeat(5000));
        assertThat(received()).singleElement().satisfies(r -> {
            assertThat(r.comment()).hasSize(ProtectionRuleApi.MAX_COMMENT).startsWith("xxx").endsWith("…");
        });
    }

    @Test
    void theEleventhReportOfATargetIsNotSentButAnotherTargetsIs() {
        for (int i = 1; i <= ProtectionRuleApi.MAX_REPORTS; i++) {
            assertThat(api().report(TARGET, "report " + i)).as("report %d", i).isEqualTo(new ProtectionRuleResult.Sent());
        }
        assertThat(api().report(TARGET, "report 11")).isInstanceOf(ProtectionRuleResult.LimitReached.class);
        assertThat(received()).hasSize(ProtectionRuleApi.MAX_REPORTS).extracting(Received::comment).doesNotContain("report 11");

        ProtectionRuleTarget other = new ProtectionRuleTarget(Values.REPO, 1234L, EnvironmentName.PRODUCTION, OptionalLong.of(42));
        assertThat(api().report(other, "first of another run")).isEqualTo(new ProtectionRuleResult.Sent());
        assertThat(api().review(TARGET, ProtectionRuleApi.Decision.APPROVED, "a review is not a report"))
                .isEqualTo(new ProtectionRuleResult.Sent());
    }

    @Test
    void aTargetWithoutAnInstallationIsNotConfiguredAndNothingIsSent() {
        ProtectionRuleTarget noInstallation = new ProtectionRuleTarget(Values.REPO, 77L, EnvironmentName.PRODUCTION, OptionalLong.empty());
        assertThat(api().review(noInstallation, ProtectionRuleApi.Decision.APPROVED, "ok"))
                .isInstanceOf(ProtectionRuleResult.NotConfigured.class);
        assertThat(api().report(noInstallation, "waiting")).isInstanceOf(ProtectionRuleResult.NotConfigured.class);
        assertThat(received()).isEmpty();
    }
}
