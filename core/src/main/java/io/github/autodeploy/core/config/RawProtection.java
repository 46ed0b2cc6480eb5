package io.github.autodeploy.core.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The protection-rule keys of a rule as written: {@code protect}, and the {@code protection_rules:}
 * section ({@code approvals: {required, role, self_approval}}, {@code notify_after}), each absent key
 * inherited from the repository entry. Immutable.
 *
 * @param enabled {@code protect}; a {@code protection_rules:} section alone also turns the gate on
 */
public record RawProtection(Optional<Boolean> enabled, Optional<Integer> approvalsRequired, Optional<String> approvalRole,
                            Optional<Boolean> selfApproval, Optional<String> notifyAfter) {
    public RawProtection {
        Objects.requireNonNull(enabled, "enabled");
        Objects.requireNonNull(approvalsRequired, "approvalsRequired");
        Objects.requireNonNull(approvalRole, "approvalRole");
        Objects.requireNonNull(selfApproval, "selfApproval");
        Objects.requireNonNull(notifyAfter, "notifyAfter");
    }

    /** {@code protect: true} with every default. */
    public static RawProtection on() {
        return new RawProtection(Optional.of(true), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** These keys, each falling back to {@code parent}'s where absent here. */
    RawProtection inheritFrom(RawProtection parent) {
        return new RawProtection(enabled.or(parent::enabled), approvalsRequired.or(parent::approvalsRequired),
                approvalRole.or(parent::approvalRole), selfApproval.or(parent::selfApproval), notifyAfter.or(parent::notifyAfter));
    }
}
