package io.github.autodeploy.testkit;

import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.lifecycle.StatusUpdate;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Requester;
import io.github.autodeploy.core.port.Notice;
import io.github.autodeploy.core.port.StatusPost;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Valid domain values the contracts and fakes use, for tests that need a repository, a commit, a
 * deployment, a status or a notice without caring which. Immutable.
 */
public final class Values {
    public static final RepositoryName REPO = RepositoryName.of("octo/app");
    public static final CommitSha SHA = CommitSha.of("a10867b14bb761a232cd80139fbd4c0d33264240");
    public static final CommitSha SHA2 = CommitSha.of("b20867b14bb761a232cd80139fbd4c0d33264241");
    public static final Requester OCTOCAT = Requester.of("octocat");

    private Values() {
    }

    /** A deployment of {@link #SHA} of {@link #REPO} at {@code main} to production, by {@link #OCTOCAT}. */
    public static Deployment deployment(long id) {
        return deployment(id, REPO, EnvironmentName.PRODUCTION);
    }

    /** A deployment of {@link #SHA} at {@code main}, by {@link #OCTOCAT}, with a small JSON payload. */
    public static Deployment deployment(long id, RepositoryName repo, EnvironmentName env) {
        return new Deployment(repo, DeploymentId.of(id), SHA, GitRef.of("main"), env, "deploy", OCTOCAT,
                "{\"note\":\"hello\"}", "");
    }

    /** A status of {@code state} linking to {@code logUrl}. */
    public static StatusPost status(DeploymentState state, String logUrl) {
        return new StatusPost(new StatusUpdate(state, state.apiValue(), Instant.parse("2026-11-27T10:00:00Z")), logUrl);
    }

    /** A notice of {@code kind} for deployment 7 of {@link #REPO}, with HTML-like text to escape. */
    public static Notice notice(NotificationKind kind) {
        return new Notice(kind, REPO, EnvironmentName.PRODUCTION, Optional.of(SHA), "main", Optional.of(DeploymentId.of(7)),
                Optional.of(OCTOCAT), Optional.empty(), "deployed a10867b to production in 12s <b>&</b>", Optional.of("https://deploy.example.com/deployments/7/k"),
                Optional.of(Duration.ofSeconds(12)), List.of("ci/build"), Optional.empty());
    }
}
