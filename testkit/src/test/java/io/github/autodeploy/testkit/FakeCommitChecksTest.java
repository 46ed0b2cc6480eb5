package io.github.autodeploy.testkit;

import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.ContextReport;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.port.CommitChecks;

class FakeCommitChecksTest extends CommitChecksContract {
    private final FakeCommitChecks checks = new FakeCommitChecks();

    @Override
    protected CommitChecks checks() {
        return checks;
    }

    @Override
    protected void given(RepositoryName repo, CommitSha sha, ContextReport... reports) {
        checks.report(repo, sha, reports);
    }
}
