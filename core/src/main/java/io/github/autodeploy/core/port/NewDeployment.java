package io.github.autodeploy.core.port;

import io.github.autodeploy.core.gate.RequiredContexts;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Requester;
import java.util.Map;
import java.util.Objects;

/**
 * A deployment the robot asks GitHub to create, always at an exact sha and with {@code
 * auto_merge: false}.
 *
 * @param requester   who merged or pushed; recorded in the payload
 * @param payload     GitHub's {@code payload}: JSON-like data (maps with string keys, lists, strings,
 *                    numbers, booleans) that the adapter writes as JSON
 */
public record NewDeployment(RepositoryName repository, CommitSha sha, EnvironmentName environment, String task,
                            RequiredContexts requiredContexts, Requester requester, Map<String, Object> payload,
                            String description) {
    public NewDeployment {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(sha, "sha");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(requiredContexts, "requiredContexts");
        Objects.requireNonNull(requester, "requester");
        payload = Map.copyOf(payload);
        Objects.requireNonNull(description, "description");
    }
}
