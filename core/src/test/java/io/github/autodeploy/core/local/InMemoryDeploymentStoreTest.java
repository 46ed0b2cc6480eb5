package io.github.autodeploy.core.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.lifecycle.DeploymentLifecycle;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.core.store.LogChunk;
import io.github.autodeploy.testkit.DeploymentStoreContract;
import io.github.autodeploy.testkit.Values;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryDeploymentStoreTest extends DeploymentStoreContract {

    @Override
    protected DeploymentStore newStore() {
        return InMemoryDeploymentStore.create(3, 1024);
    }

    private static DeploymentRecord record(long id) {
        return DeploymentRecord.queued(Values.deployment(id), DeploymentLifecycle.created(),
                Instant.parse("2026-11-27T10:00:00Z").plusSeconds(id), "k");
    }

    @Test
    void dropsTheOldestDeploymentsPastTheHistoryLimit() {
        for (long id = 1; id <= 5; id++) {
            store.insert(record(id));
            store.appendLog(DeploymentId.of(id), "line of " + id);
        }
        assertThat(store.recent(10)).extracting(r -> r.deployment().id().value()).containsExactly(5L, 4L, 3L);
        assertThat(store.find(DeploymentId.of(1))).isEmpty();
        assertThat(store.readLog(DeploymentId.of(1), 0).lines()).isEmpty();
    }

    @Test
    void keepsTheTailOfALongLogAndSaysWhereItStarts() {
        store.insert(record(1));
        for (int i = 0; i < 1000; i++) {
            store.appendLog(DeploymentId.of(1), String.format("line %04d", i));
        }
        LogChunk chunk = store.readLog(DeploymentId.of(1), 0);
        assertThat(chunk.firstLine()).isPositive();
        assertThat(chunk.nextLine()).isEqualTo(1000);
        assertThat(chunk.lines()).last().isEqualTo("line 0999");
        assertThat(chunk.lines().stream().mapToInt(l -> l.length() + 1).sum()).isLessThanOrEqualTo(1024);
        assertThat(chunk.lines().get(0)).isEqualTo(String.format("line %04d", chunk.firstLine()));
    }

    @Test
    void logOfAnUnknownDeploymentIsNotKept() {
        store.appendLog(DeploymentId.of(77), "stray");
        assertThat(store.readLog(DeploymentId.of(77), 0).lines()).isEmpty();
    }

    @Test
    void remembersOnlyTheNewestDeliveries() {
        for (int i = 0; i < 10_001; i++) {
            store.recordDelivery(DeliveryId.of("d" + i));
        }
        assertThat(store.recordDelivery(DeliveryId.of("d10000"))).isFalse();
        assertThat(store.recordDelivery(DeliveryId.of("d0"))).isTrue();
    }
}
