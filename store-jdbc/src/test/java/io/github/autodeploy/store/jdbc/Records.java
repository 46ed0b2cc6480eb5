package io.github.autodeploy.store.jdbc;

import io.github.autodeploy.core.lifecycle.DeploymentLifecycle;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.Requester;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.WaitingMerge;
import io.github.autodeploy.testkit.Values;
import java.time.Instant;

/** Deployment records at each stage, and waiting merges, for the ownership tests. Stateless. */
final class Records {
    private Records() {
    }

    /** Queued: one status (queued), none posted yet when inserted. */
    static DeploymentRecord queued(long id, Instant at) {
        DeploymentLifecycle.Step q = DeploymentLifecycle.created().advance(DeploymentState.QUEUED, "queued", at);
        return DeploymentRecord.queued(Values.deployment(id), q.lifecycle(), at, "page-" + id);
    }

    /** Running: queued then in progress (two statuses). */
    static DeploymentRecord running(long id, Instant at) {
        DeploymentRecord q = queued(id, at);
        return q.withLifecycle(q.lifecycle().advance(DeploymentState.IN_PROGRESS, "running", at.plusSeconds(1)).lifecycle())
                .started(at.plusSeconds(1));
    }

    /** Finished with success: three statuses. */
    static DeploymentRecord finished(long id, Instant at) {
        return SqliteStoreTest.finished(id, at);
    }

    static WaitingMerge merge(String requestId, Instant deadline) {
        return new WaitingMerge(requestId, Values.REPO, EnvironmentName.PRODUCTION,
                CommitSha.of("0123456789abcdef0123456789abcdef01234567"), "main", Requester.of("octocat"),
                "merge of pull request #1 by octocat", deadline, false);
    }
}
