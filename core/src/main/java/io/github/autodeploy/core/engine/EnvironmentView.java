package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.control.EnvironmentLock;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.WaitingMerge;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One repository's environment at a glance, for the environments page and its JSON: what is deployed
 * there now, what runs, waits in the queue and waits for CI, its lock and its deploy window. Immutable.
 *
 * @param current    the newest deployment that succeeded there (what runs there now)
 * @param running    deployments running now
 * @param queued     deployments queued, oldest first; a held one's last status says why it waits
 * @param held       ids of the queued deployments a lock or window holds
 * @param waitingForCi merges and pushes waiting for CI before a deployment is created
 * @param ciContexts what they wait for: the rule's {@code required_contexts}, empty meaning every context of the commit
 * @param lock       its lock, when one holds now
 * @param window     its deploy windows and freezes in a line; empty when auto-deploys may start at any time
 * @param closed     why auto-deploys wait now (outside the window, frozen); empty when open
 * @param opensAt    when a closed window opens next
 */
public record EnvironmentView(RepositoryName repository, EnvironmentName environment, Optional<DeploymentRecord> current,
                              List<DeploymentRecord> running, List<DeploymentRecord> queued, List<Long> held,
                              List<WaitingMerge> waitingForCi, List<String> ciContexts, Optional<EnvironmentLock> lock,
                              String window, Optional<String> closed, Optional<Instant> opensAt) {
    public EnvironmentView {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(current, "current");
        running = List.copyOf(running);
        queued = List.copyOf(queued);
        held = List.copyOf(held);
        waitingForCi = List.copyOf(waitingForCi);
        ciContexts = List.copyOf(ciContexts);
        Objects.requireNonNull(lock, "lock");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(closed, "closed");
        Objects.requireNonNull(opensAt, "opensAt");
    }
}
