package io.github.autodeploy.store.jdbc;

/**
 * What one {@link JdbcDeploymentStore#prune()} removed.
 *
 * @param deployments deployments (with their logs) older than the retention
 * @param deliveries  delivery ids older than the dedupe window
 * @param waiting     merges waiting for CI whose deadline passed longer than the retention ago
 * @param logsDropped logs of the oldest finished deployments dropped to keep all logs within the budget
 * @param gatedRuns   gated Actions deployments decided longer than the retention ago
 */
public record PruneResult(int deployments, int deliveries, int waiting, int logsDropped, int gatedRuns) {
    public PruneResult {
        if (deployments < 0 || deliveries < 0 || waiting < 0 || logsDropped < 0 || gatedRuns < 0) {
            throw new IllegalArgumentException("counts cannot be negative");
        }
    }
}
