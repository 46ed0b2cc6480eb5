package io.github.autodeploy.core.store;

import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Requester;
import java.time.Instant;
import java.util.Objects;

/**
 * A merge or push waiting for CI before the robot creates its deployment, as the store keeps it so
 * that a restart, or another node, carries on waiting. Immutable.
 *
 * @param requestId unique to this request; marks the deployment it creates (in the payload), so a
 *                  create whose answer was lost can be found
 * @param deadline  when the robot gives up waiting
 * @param mayExist  a create was sent whose answer was lost: look for the deployment before creating again
 */
public record WaitingMerge(String requestId, RepositoryName repository, EnvironmentName environment, CommitSha sha,
                           String branch, Requester requester, String cause, Instant deadline, boolean mayExist) {
    public WaitingMerge {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(sha, "sha");
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(deadline, "deadline");
        if (requestId.isBlank() || requestId.length() > 64) {
            throw new IllegalArgumentException("requestId must be 1 to 64 characters");
        }
    }

    public WaitingMerge withMayExist(boolean mayExist) {
        return new WaitingMerge(requestId, repository, environment, sha, branch, requester, cause, deadline, mayExist);
    }
}
