package io.github.autodeploy.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The accept path's insert on PostgreSQL sends the delivery id and the deployment in one message
 * ({@link Sql#secondOfTwo}); these tests hold the driver and server to what that relies on.
 */
class PostgresOneMessageTest {
    private final String url = TestPostgres.freshSchemaUrl();

    @Test
    void twoStatementsInOneMessageAreKeptTogetherOrNotAtAll() throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE pair (id INTEGER PRIMARY KEY)");
            }
            assertThat(Sql.secondOfTwo(c, new Rows.Statement("INSERT INTO pair (id) VALUES (?)", 1),
                    new Rows.Statement("INSERT INTO pair (id) VALUES (?) ON CONFLICT (id) DO NOTHING", 2))).isEqualTo(1);
            assertThat(Sql.secondOfTwo(c, new Rows.Statement("INSERT INTO pair (id) VALUES (?)", 3),
                    new Rows.Statement("INSERT INTO pair (id) VALUES (?) ON CONFLICT (id) DO NOTHING", 2))).isZero();

            assertThatThrownBy(() -> Sql.secondOfTwo(c, new Rows.Statement("INSERT INTO pair (id) VALUES (?)", 4),
                    new Rows.Statement("INSERT INTO pair (id) VALUES (?)", 1))).isInstanceOf(SQLException.class);

            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT string_agg(id::text, ',' ORDER BY id) FROM pair")) {
                r.next();
                assertThat(r.getString(1)).as("4 went with the failed second statement").isEqualTo("1,2,3");
            }
        }
    }

    @Test
    void aDeliveryIsRecordedWithItsDeploymentAndARedeliveryIsNotStoredTwice() {
        Instant at = Instant.parse("2026-11-28T10:00:00Z");
        try (JdbcDeploymentStore store = JdbcDeploymentStore.open(url)) {
            assertThat(store.insert(Records.queued(5, at), DeliveryId.of("d-5"))).isTrue();
            assertThat(store.insert(Records.queued(5, at), DeliveryId.of("d-5"))).isFalse();
            assertThat(store.insert(Records.queued(5, at), DeliveryId.of("d-5-again"))).isFalse();
            assertThat(store.deliverySeen(DeliveryId.of("d-5"))).isTrue();
            assertThat(store.find(DeploymentId.of(5))).contains(Records.queued(5, at));
        }
    }
}
