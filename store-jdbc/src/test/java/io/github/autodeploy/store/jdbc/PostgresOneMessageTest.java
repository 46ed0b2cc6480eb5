package io.github.autodeploy.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The accept path's insert on PostgreSQL records the delivery id and the deployment in one statement
 * ({@link Rows#insertWithDelivery}, a data-modifying {@code WITH}); these tests hold it to each case.
 */
class PostgresOneMessageTest {
    private final String url = TestPostgres.freshSchemaUrl();

    @Test
    void aDeliveryIsRecordedWithItsDeploymentAndARedeliveryIsNotStoredTwice() {
        Instant at = Instant.parse("2026-11-28T10:00:00Z");
        try (JdbcDeploymentStore store = JdbcDeploymentStore.open(url)) {
            assertThat(store.insert(Records.queued(5, at), DeliveryId.of("d-5"))).isTrue();
            assertThat(store.insert(Records.queued(5, at), DeliveryId.of("d-5"))).isFalse();
            assertThat(store.insert(Records.queued(5, at), DeliveryId.of("d-5-again"))).isFalse();
            assertThat(store.deliverySeen(DeliveryId.of("d-5"))).isTrue();
            assertThat(store.deliverySeen(DeliveryId.of("d-5-again"))).as("recorded, its deployment known").isTrue();
            assertThat(store.find(DeploymentId.of(5))).contains(Records.queued(5, at));
        }
    }

    @Test
    void aDeliveryRecordedBeforeStoresNothingEvenWhenItsDeploymentIsGone() {
        Instant at = Instant.parse("2026-11-28T10:00:00Z");
        try (JdbcDeploymentStore store = JdbcDeploymentStore.open(url)) {
            assertThat(store.recordDelivery(DeliveryId.of("d-6"))).isTrue();
            assertThat(store.insert(Records.queued(6, at), DeliveryId.of("d-6"))).isFalse();
            assertThat(store.find(DeploymentId.of(6))).isEmpty();
            assertThat(store.insert(Records.queued(6, at), DeliveryId.of("d-6-new"))).isTrue();
            assertThat(store.find(DeploymentId.of(6))).contains(Records.queued(6, at));
        }
    }
}
