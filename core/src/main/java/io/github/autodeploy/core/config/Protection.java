package io.github.autodeploy.core.config;

import io.github.autodeploy.core.control.Role;
import java.time.Duration;
import java.util.Objects;

/**
 * How the robot gates GitHub Actions deployments to an environment as a custom deployment protection
 * rule ({@code protect: true} or a {@code protection_rules:} section): besides the environment's lock,
 * deploy window and {@code required_contexts} on the deployment's commit, how many of the robot's
 * users must approve it, with which role, and whether the user who started the run may be one of
 * them. Immutable.
 *
 * @param approvalsRequired {@code approvals.required}: approvals needed (default 0: none)
 * @param approvalRole      {@code approvals.role}: the least role that may approve or reject (default deployer)
 * @param selfApproval      {@code approvals.self_approval}: whether the run's own creator may approve it
 *                          (default false; a user's name is compared with the creator's GitHub login)
 * @param notifyAfter       {@code notify_after}: announce a run still waiting after this long (default 30m)
 */
public record Protection(int approvalsRequired, Role approvalRole, boolean selfApproval, Duration notifyAfter) {
    public static final Duration DEFAULT_NOTIFY_AFTER = Duration.ofMinutes(30);
    /** The most approvals a rule may ask for. */
    public static final int MAX_APPROVALS = 10;

    public Protection {
        Objects.requireNonNull(approvalRole, "approvalRole");
        Objects.requireNonNull(notifyAfter, "notifyAfter");
        if (approvalsRequired < 0 || approvalsRequired > MAX_APPROVALS) {
            throw new IllegalArgumentException("approvals.required must be within 0.." + MAX_APPROVALS);
        }
        if (approvalRole == Role.VIEWER) {
            throw new IllegalArgumentException("approvals.role must be deployer or admin");
        }
        if (notifyAfter.isNegative() || notifyAfter.isZero()) {
            throw new IllegalArgumentException("notify_after must be positive");
        }
    }

    /** The gate with only the lock, window and CI conditions. */
    public static Protection defaults() {
        return new Protection(0, Role.DEPLOYER, false, DEFAULT_NOTIFY_AFTER);
    }
}
