package io.github.autodeploy.core.config;

import java.util.Optional;

/**
 * What makes the robot create a deployment by itself.
 *
 * @param branch the branch; absent means the repository's default branch
 */
public record Trigger(Kind kind, Optional<String> branch) {
    /** A merged pull request, or a push. */
    public enum Kind { MERGE, PUSH }

    /** True when a merge into or a push to {@code targetBranch} fires this trigger. */
    public boolean matchesBranch(String targetBranch, String defaultBranch) {
        return branch.orElse(defaultBranch).equals(targetBranch);
    }
}
