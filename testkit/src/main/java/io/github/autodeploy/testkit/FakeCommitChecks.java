package io.github.autodeploy.testkit;

import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.ContextReport;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.port.CommitChecks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link CommitChecks} for tests: CI reports held in memory, set by the test; counts the calls. Thread-safe. */
public final class FakeCommitChecks implements CommitChecks {
    private final Map<String, List<ContextReport>> reports = new HashMap<>();
    private int calls;

    @Override
    public synchronized List<ContextReport> reports(RepositoryName repository, CommitSha sha) {
        calls++;
        return List.copyOf(reports.getOrDefault(repository + "@" + sha, List.of()));
    }

    /** Adds reports for a commit, as CI posting statuses or check runs. */
    public synchronized void report(RepositoryName repository, CommitSha sha, ContextReport... added) {
        reports.computeIfAbsent(repository + "@" + sha, k -> new ArrayList<>()).addAll(List.of(added));
    }

    public synchronized int calls() {
        return calls;
    }
}
