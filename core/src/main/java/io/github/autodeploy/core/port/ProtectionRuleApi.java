package io.github.autodeploy.core.port;

/**
 * GitHub's answer channel for a custom deployment protection rule: approve or reject a workflow job that
 * waits for this robot, and post status reports (Markdown) while it waits. Implementations must be
 * thread-safe; the engine calls them from its own threads, never from the webhook thread. A call whose
 * request certainly did not reach GitHub for a passing reason (no connection, a rate limit, the
 * installation token could not be had) throws {@link ApiException} with {@code retryable} true, and the
 * same call may be made again; every other outcome is a {@link ProtectionRuleResult}, never thrown.
 *
 * <p>Contract:
 * <ul>
 *   <li>Each call sends its request at most once: a request that may have reached GitHub is never sent
 *       again by the implementation; its lost answer is {@link ProtectionRuleResult.OutcomeUnknown}.
 *       A caller that got {@code OutcomeUnknown} for a review treats the target as reviewed.</li>
 *   <li>Comments and reports longer than {@link #MAX_COMMENT} characters (code points) are cut to that
 *       length, ending with {@code …} ({@link #fit}).</li>
 *   <li>The implementation counts the reports it sent (or may have sent) per target and answers the
 *       {@value #MAX_REPORTS}th-plus-one with {@link ProtectionRuleResult.LimitReached} without sending it.
 *       The count lives in the instance: it does not survive a restart nor span nodes. A caller that
 *       must hold the limit across those keeps its own count in its store and reports only while under it.</li>
 *   <li>A review is not counted as a report.</li>
 * </ul>
 */
public interface ProtectionRuleApi {
    /** GitHub's limit on a status report, applied to review comments too. */
    int MAX_COMMENT = 1024;
    /** GitHub's limit on status reports per deployment. */
    int MAX_REPORTS = 10;

    /** The state of a review. */
    enum Decision {
        APPROVED("approved"), REJECTED("rejected");

        private final String apiValue;

        Decision(String apiValue) {
            this.apiValue = apiValue;
        }

        /** GitHub's word for it. */
        public String apiValue() {
            return apiValue;
        }
    }

    /**
     * Approves or rejects the waiting job, with a comment (Markdown; may be empty). Sent once; see the
     * class comment for what each result means.
     */
    ProtectionRuleResult review(ProtectionRuleTarget target, Decision decision, String comment);

    /** Posts a status report (Markdown) on the waiting job without deciding, within the limits above. */
    ProtectionRuleResult report(ProtectionRuleTarget target, String markdown);

    /**
     * Whether calls can reach GitHub at all (an App is configured); false when every call would answer
     * {@link ProtectionRuleResult.NotConfigured}. The engine then takes no request it could not answer.
     */
    default boolean configured() {
        return true;
    }

    /** {@code text} cut to {@link #MAX_COMMENT} code points, its end replaced by {@code …} when it was longer. */
    static String fit(String text) {
        if (text.codePointCount(0, text.length()) <= MAX_COMMENT) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, MAX_COMMENT - 1)) + "…";
    }

    /** An API that answers every call {@link ProtectionRuleResult.NotConfigured} with {@code reason} and sends nothing. */
    static ProtectionRuleApi notConfigured(String reason) {
        ProtectionRuleResult answer = new ProtectionRuleResult.NotConfigured(reason);
        return new ProtectionRuleApi() {
            @Override
            public ProtectionRuleResult review(ProtectionRuleTarget target, Decision decision, String comment) {
                return answer;
            }

            @Override
            public ProtectionRuleResult report(ProtectionRuleTarget target, String markdown) {
                return answer;
            }

            @Override
            public boolean configured() {
                return false;
            }
        };
    }
}
