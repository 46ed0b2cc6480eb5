package io.github.autodeploy.core.store;

import java.util.List;

/**
 * What a node took over from an owner that is gone (a crashed earlier run of this process, or a
 * node whose lease ran out): deployments not yet settled, each with how many of its statuses GitHub
 * already has, and merges waiting for CI. Immutable.
 */
public record Orphans(List<Adopted> deployments, List<WaitingMerge> waiting) {
    public Orphans {
        deployments = List.copyOf(deployments);
        waiting = List.copyOf(waiting);
    }

    public static Orphans none() {
        return new Orphans(List.of(), List.of());
    }

    public boolean isEmpty() {
        return deployments.isEmpty() && waiting.isEmpty();
    }

    /**
     * One deployment taken over.
     *
     * @param statusesPosted how many statuses of its history, from the first, GitHub has (or refused for good)
     */
    public record Adopted(DeploymentRecord record, int statusesPosted) {
        public Adopted {
            java.util.Objects.requireNonNull(record, "record");
            if (statusesPosted < 0) {
                throw new IllegalArgumentException("statusesPosted must not be negative");
            }
        }
    }
}
