package io.github.autodeploy.core.event;

import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.ContextState;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.InvalidValueException;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Requester;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One webhook delivery, parsed: a record per kind of event the robot acts on, and {@link
 * Unsupported} for the rest. An adapter (the GitHub parser) builds these from raw payloads.
 */
public sealed interface WebhookEvent {

    /** The repository the event is about, when it is about one. */
    Optional<RepositoryName> repository();

    /** GitHub's {@code ping}, sent when a webhook is created. */
    record Ping(Optional<RepositoryName> repository, String zen) implements WebhookEvent {
        public Ping {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(zen, "zen");
        }
    }

    /**
     * A pull request was closed, merged or not.
     *
     * @param baseBranch     the branch it was merged into (short name)
     * @param defaultBranch  the repository's default branch
     * @param mergeCommitSha present when merged
     * @param headRepository absent when the fork was deleted
     */
    record PullRequestClosed(
            RepositoryName repo,
            int number,
            boolean merged,
            GitRef baseBranch,
            String defaultBranch,
            CommitSha headSha,
            Optional<CommitSha> mergeCommitSha,
            Optional<Requester> mergedBy,
            Requester author,
            Optional<RepositoryName> headRepository,
            String title) implements WebhookEvent {
        public PullRequestClosed {
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(baseBranch, "baseBranch");
            Objects.requireNonNull(defaultBranch, "defaultBranch");
            Objects.requireNonNull(headSha, "headSha");
            Objects.requireNonNull(mergeCommitSha, "mergeCommitSha");
            Objects.requireNonNull(mergedBy, "mergedBy");
            Objects.requireNonNull(author, "author");
            Objects.requireNonNull(headRepository, "headRepository");
            Objects.requireNonNull(title, "title");
        }

        @Override
        public Optional<RepositoryName> repository() {
            return Optional.of(repo);
        }
    }

    /**
     * Commits were pushed to a ref.
     *
     * @param after   the new head; all zeros when {@code deleted}
     * @param pusher  who pushed
     */
    record Push(
            RepositoryName repo,
            GitRef ref,
            String defaultBranch,
            CommitSha before,
            CommitSha after,
            Requester pusher,
            boolean created,
            boolean deleted,
            boolean forced) implements WebhookEvent {
        public Push {
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(defaultBranch, "defaultBranch");
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(pusher, "pusher");
        }

        @Override
        public Optional<RepositoryName> repository() {
            return Optional.of(repo);
        }
    }

    /** A deployment was created: the robot's cue to run it. */
    /**
     * @param deployment  the deployment, attributed to its GitHub creator
     * @param requestedFor whom the deployment's payload names as requester ({@code autodeploy.requester});
     *                     trusted only for deployments the robot created itself
     */
    record DeploymentCreated(Deployment deployment, Optional<Requester> requestedFor) implements WebhookEvent {
        public DeploymentCreated {
            Objects.requireNonNull(deployment, "deployment");
            Objects.requireNonNull(requestedFor, "requestedFor");
        }

        public DeploymentCreated(Deployment deployment) {
            this(deployment, Optional.empty());
        }

        @Override
        public Optional<RepositoryName> repository() {
            return Optional.of(deployment.repository());
        }
    }

    /** A status was added to a deployment (by this robot or any other tool). */
    record DeploymentStatusCreated(
            RepositoryName repo,
            DeploymentId deploymentId,
            EnvironmentName environment,
            CommitSha sha,
            Optional<GitRef> ref,
            DeploymentState state,
            String description,
            Optional<String> logUrl,
            Requester creator) implements WebhookEvent {
        public DeploymentStatusCreated {
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(deploymentId, "deploymentId");
            Objects.requireNonNull(environment, "environment");
            Objects.requireNonNull(sha, "sha");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(logUrl, "logUrl");
            Objects.requireNonNull(creator, "creator");
        }

        @Override
        public Optional<RepositoryName> repository() {
            return Optional.of(repo);
        }
    }

    /** A commit status changed. */
    record CommitStatus(RepositoryName repo, CommitSha sha, String context, ContextState state, Instant updatedAt)
            implements WebhookEvent {
        public CommitStatus {
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(sha, "sha");
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(updatedAt, "updatedAt");
        }

        @Override
        public Optional<RepositoryName> repository() {
            return Optional.of(repo);
        }
    }

    /** A check run completed. */
    record CheckRunCompleted(RepositoryName repo, CommitSha headSha, String name, ContextState state, Instant completedAt)
            implements WebhookEvent {
        public CheckRunCompleted {
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(headSha, "headSha");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(completedAt, "completedAt");
        }

        @Override
        public Optional<RepositoryName> repository() {
            return Optional.of(repo);
        }
    }

    /** A check suite completed. */
    record CheckSuiteCompleted(RepositoryName repo, CommitSha headSha, Optional<String> headBranch, ContextState conclusion)
            implements WebhookEvent {
        public CheckSuiteCompleted {
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(headSha, "headSha");
            Objects.requireNonNull(headBranch, "headBranch");
            Objects.requireNonNull(conclusion, "conclusion");
        }

        @Override
        public Optional<RepositoryName> repository() {
            return Optional.of(repo);
        }
    }

    /**
     * GitHub asks this robot, a GitHub App that is a custom deployment protection rule of {@code environment},
     * to approve or reject a workflow job that deploys to it ({@code deployment_protection_rule}, action
     * {@code requested}). The answer goes to the workflow run through the {@code ProtectionRuleApi} port,
     * never to {@code callbackUrl} itself: the parser checked that the URL is the configured API's review
     * address of this repository's run {@code runId}.
     *
     * @param repo           the repository whose workflow waits
     * @param environment    the environment that has the rule
     * @param trigger        GitHub's {@code event}: what started the workflow ({@code push}, {@code workflow_dispatch}, ...)
     * @param callbackUrl    GitHub's {@code deployment_callback_url}, as given
     * @param runId          the workflow run, read from the callback URL
     * @param deploymentId   the deployment GitHub made for the job
     * @param sha            the deployment's commit
     * @param ref            the deployment's ref (a branch, tag or sha)
     * @param creator        who created the deployment (the workflow's actor)
     * @param pullRequests   numbers of the pull requests of the run; empty for none
     * @param sender         who caused the event
     * @param installationId the App installation the event came through; absent when the payload names none
     *                       (a webhook configured on the repository rather than the App's)
     */
    record ProtectionRuleRequested(
            RepositoryName repo,
            EnvironmentName environment,
            String trigger,
            String callbackUrl,
            long runId,
            DeploymentId deploymentId,
            CommitSha sha,
            GitRef ref,
            Requester creator,
            List<Integer> pullRequests,
            Requester sender,
            OptionalLong installationId) implements WebhookEvent {
        public ProtectionRuleRequested {
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(environment, "environment");
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(callbackUrl, "callbackUrl");
            Objects.requireNonNull(deploymentId, "deploymentId");
            Objects.requireNonNull(sha, "sha");
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(creator, "creator");
            pullRequests = List.copyOf(pullRequests);
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(installationId, "installationId");
            if (runId <= 0) {
                throw new InvalidValueException("workflow run id " + runId + " is not positive");
            }
            if (pullRequests.stream().anyMatch(n -> n <= 0)) {
                throw new InvalidValueException("pull request numbers " + pullRequests + " must be positive");
            }
            if (installationId.isPresent() && installationId.getAsLong() <= 0) {
                throw new InvalidValueException("installation id " + installationId.getAsLong() + " is not positive");
            }
        }

        @Override
        public Optional<RepositoryName> repository() {
            return Optional.of(repo);
        }
    }

    /** Any event (or action) the robot does not act on. */
    record Unsupported(String eventName, Optional<String> action, Optional<RepositoryName> repository)
            implements WebhookEvent {
        public Unsupported {
            Objects.requireNonNull(eventName, "eventName");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(repository, "repository");
        }
    }
}
