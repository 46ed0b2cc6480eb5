package io.github.autodeploy.core.port;

import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.ContextReport;
import io.github.autodeploy.core.model.RepositoryName;
import java.util.List;

/**
 * What CI reports for a commit: commit statuses and check runs. Thread-safe; may throw {@link
 * ApiException}.
 */
public interface CommitChecks {

    /** Every report for {@code sha}, all pages; the gate picks the newest per context. Empty when none. */
    List<ContextReport> reports(RepositoryName repository, CommitSha sha);
}
