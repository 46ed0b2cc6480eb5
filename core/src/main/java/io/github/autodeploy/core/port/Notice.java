package io.github.autodeploy.core.port;

import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Requester;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Something to tell people about a deployment.
 *
 * @param ref          the branch or ref deployed
 * @param description  what happened, in a sentence (already free of secrets)
 * @param contexts     CI contexts this notice is about (pending or failed ones); empty otherwise
 * @param webhookUrl   a per-repository destination, overriding the notifier's default
 */
public record Notice(NotificationKind kind, RepositoryName repository, EnvironmentName environment, CommitSha sha,
                     String ref, Optional<DeploymentId> deploymentId, Requester requester, String description,
                     Optional<String> logUrl, Optional<Duration> duration, List<String> contexts,
                     Optional<String> webhookUrl) {
    public Notice {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(sha, "sha");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(deploymentId, "deploymentId");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(logUrl, "logUrl");
        Objects.requireNonNull(duration, "duration");
        contexts = List.copyOf(contexts);
        Objects.requireNonNull(webhookUrl, "webhookUrl");
    }
}
