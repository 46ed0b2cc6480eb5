package io.github.autodeploy.core.port;

import io.github.autodeploy.core.gate.RequiredContexts;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Requester;
import java.util.Objects;

/**
 * A deployment the robot asks GitHub to create, always at an exact sha and with {@code
 * auto_merge: false}.
 *
 * @param requester   who merged or pushed; recorded in the payload
 * @param payloadJson JSON text for GitHub's {@code payload}
 */
public record NewDeployment(RepositoryName repository, CommitSha sha, EnvironmentName environment, String task,
                            RequiredContexts requiredContexts, Requester requester, String payloadJson,
                            String description) {
    public NewDeployment {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(sha, "sha");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(requiredContexts, "requiredContexts");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(payloadJson, "payloadJson");
        Objects.requireNonNull(description, "description");
    }
}
