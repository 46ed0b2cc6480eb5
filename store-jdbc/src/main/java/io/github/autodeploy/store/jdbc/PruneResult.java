package io.github.autodeploy.store.jdbc;

/**
 * What one {@link JdbcDeploymentStore#prune()} removed.
 *
 * @param deployments deployments (with their logs) older than the retention
 * @param deliveries  delivery ids older than the dedupe window
 */
public record PruneResult(int deployments, int deliveries) {
    public PruneResult {
        if (deployments < 0 || deliveries < 0) {
            throw new IllegalArgumentException("counts cannot be negative");
        }
    }
}
