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
 * Something to tell people about a deployment. Build one with {@link #builder}; only what a notice is
 * about (kind, repository, environment, commit, requester, description) is required. Immutable.
 *
 * @param sha          the commit this notice is about; empty for a notice about the environment (a lock)
 * @param requester    who asked for the deployment (GitHub login); empty when the notice is about no commit
 * @param actor        the robot's user who did what it tells (a lock, a rollback, a forced deployment)
 * @param ref          the branch or ref deployed
 * @param description  what happened, in a sentence (already free of secrets)
 * @param contexts     CI contexts this notice is about (pending or failed ones); empty otherwise
 * @param webhookUrl   a per-repository destination, overriding the notifier's default
 */
public record Notice(NotificationKind kind, RepositoryName repository, EnvironmentName environment,
                     Optional<CommitSha> sha, String ref, Optional<DeploymentId> deploymentId,
                     Optional<Requester> requester, Optional<String> actor, String description,
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
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(logUrl, "logUrl");
        Objects.requireNonNull(duration, "duration");
        contexts = List.copyOf(contexts);
        Objects.requireNonNull(webhookUrl, "webhookUrl");
    }

    /** Starts a notice of {@code kind} about {@code sha} in {@code repository}'s {@code environment}; it needs a requester. */
    public static Builder builder(NotificationKind kind, RepositoryName repository, EnvironmentName environment,
                                  CommitSha sha) {
        return new Builder(kind, repository, environment, Optional.of(Objects.requireNonNull(sha, "sha")));
    }

    /**
     * Starts a notice of {@code kind} about {@code repository}'s {@code environment} itself (a lock
     * taken or released), done by the robot's user {@code actor}.
     */
    public static Builder about(NotificationKind kind, RepositoryName repository, EnvironmentName environment,
                                String actor) {
        return new Builder(kind, repository, environment, Optional.empty()).actor(actor);
    }

    /** The same notice with another description (for example, masked). */
    public Notice withDescription(String text) {
        return new Notice(kind, repository, environment, sha, ref, deploymentId, requester, actor, text, logUrl, duration,
                contexts, webhookUrl);
    }

    /** The same notice sent to another destination. */
    public Notice withWebhookUrl(Optional<String> url) {
        return new Notice(kind, repository, environment, sha, ref, deploymentId, requester, actor, description, logUrl,
                duration, contexts, url);
    }

    /** Collects a notice's optional parts; {@link #build} checks the required ones. Not thread-safe. */
    public static final class Builder {
        private final NotificationKind kind;
        private final RepositoryName repository;
        private final EnvironmentName environment;
        private final Optional<CommitSha> sha;
        private Optional<String> actor = Optional.empty();
        private String ref = "";
        private Optional<DeploymentId> deploymentId = Optional.empty();
        private Requester requester;
        private String description;
        private Optional<String> logUrl = Optional.empty();
        private Optional<Duration> duration = Optional.empty();
        private List<String> contexts = List.of();
        private Optional<String> webhookUrl = Optional.empty();

        private Builder(NotificationKind kind, RepositoryName repository, EnvironmentName environment, Optional<CommitSha> sha) {
            this.kind = Objects.requireNonNull(kind, "kind");
            this.repository = Objects.requireNonNull(repository, "repository");
            this.environment = Objects.requireNonNull(environment, "environment");
            this.sha = Objects.requireNonNull(sha, "sha");
        }

        /** The branch or ref deployed; empty when unknown. */
        public Builder ref(String v) { ref = Objects.requireNonNull(v, "ref"); return this; }
        public Builder deploymentId(DeploymentId v) { deploymentId = Optional.of(v); return this; }
        public Builder requester(Requester v) { requester = Objects.requireNonNull(v, "requester"); return this; }
        /** The robot's user who did what the notice tells (locked, rolled back, forced). */
        public Builder actor(String v) { actor = Optional.of(Objects.requireNonNull(v, "actor")); return this; }
        public Builder description(String v) { description = Objects.requireNonNull(v, "description"); return this; }
        public Builder logUrl(String v) { logUrl = Optional.of(v); return this; }
        public Builder logUrl(Optional<String> v) { logUrl = Objects.requireNonNull(v, "logUrl"); return this; }
        public Builder duration(Optional<Duration> v) { duration = Objects.requireNonNull(v, "duration"); return this; }
        public Builder contexts(List<String> v) { contexts = List.copyOf(v); return this; }
        public Builder webhookUrl(Optional<String> v) { webhookUrl = Objects.requireNonNull(v, "webhookUrl"); return this; }

        public Notice build() {
            if ((sha.isPresent() && requester == null) || description == null) {
                throw new IllegalStateException("a notice about a commit needs a requester, and every notice a description");
            }
            return new Notice(kind, repository, environment, sha, ref, deploymentId, Optional.ofNullable(requester), actor,
                    description, logUrl, duration, contexts, webhookUrl);
        }
    }
}
