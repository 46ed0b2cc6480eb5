package io.github.autodeploy.core.store;

import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * Where the robot remembers deliveries, deployments and their logs, and whence it takes the lock of a
 * lane. One JVM can use the in-memory store; several nodes share a database-backed one, whose lane
 * locks then serialize a lane across nodes. Implementations must be thread-safe. A failing write is
 * logged by the engine and never changes a deployment's outcome.
 */
public interface DeploymentStore {

    /** Remembers a delivery; true the first time an id is seen, false for a redelivery. */
    boolean recordDelivery(DeliveryId id);

    /**
     * Forgets a recorded delivery, so its redelivery counts as new: the engine calls it when it could
     * not take a delivery (overloaded, or failing inside), whose answer invites a redelivery.
     */
    void forgetDelivery(DeliveryId id);

    /** Stores a new deployment; false (and nothing changes) when its id is already known. */
    boolean insert(DeploymentRecord record);

    /** Replaces what is stored for the record's deployment id. */
    void update(DeploymentRecord record);

    Optional<DeploymentRecord> find(DeploymentId id);

    /** At most {@code limit} deployments, newest queued first. */
    List<DeploymentRecord> recent(int limit);

    /** Adds one line to a deployment's log. */
    void appendLog(DeploymentId id, String line);

    /** The log from line {@code fromLine} on (or from the oldest line kept). */
    LogChunk readLog(DeploymentId id, long fromLine);

    /** The lock that lets one deployment of {@code lane} (repository + environment) run at a time. */
    Lock laneLock(String lane);
}
