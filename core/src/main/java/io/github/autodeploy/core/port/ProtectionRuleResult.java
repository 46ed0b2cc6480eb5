package io.github.autodeploy.core.port;

import java.util.Objects;

/**
 * What came of a review or a status report sent through {@link ProtectionRuleApi}. Only {@link Sent}
 * and {@link OutcomeUnknown} may have reached GitHub; the others certainly did not.
 */
public sealed interface ProtectionRuleResult {

    /** GitHub took it (HTTP 204). */
    record Sent() implements ProtectionRuleResult {
    }

    /**
     * GitHub refused it for good (a 4xx other than a rate limit: 422 for a run that no longer waits or a
     * review already given, 404 for a run or rule it does not know, 401/403 for missing permissions).
     * Sending the same again would be refused again.
     *
     * @param status  GitHub's HTTP status
     * @param message GitHub's message, or a description of the answer when it gave none
     */
    record Refused(int status, String message) implements ProtectionRuleResult {
        public Refused {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * The answer was lost after the request may have reached GitHub (the connection broke once it was
     * sent, or GitHub answered a server error). The API never sends it again: a review may have been
     * taken, so the caller must not review the same target a second time (it may never approve twice);
     * a report may have been posted and counts against the limit.
     */
    record OutcomeUnknown(String message) implements ProtectionRuleResult {
        public OutcomeUnknown {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Nothing was sent because the robot cannot answer for this target: no GitHub App is configured
     * (a personal access token is never used for protection rules), or the event named no installation.
     */
    record NotConfigured(String reason) implements ProtectionRuleResult {
        public NotConfigured {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Nothing was sent: this target already had {@link ProtectionRuleApi#MAX_REPORTS} status reports. */
    record LimitReached(String reason) implements ProtectionRuleResult {
        public LimitReached {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
