package io.github.autodeploy.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.AutodeployException;
import io.github.autodeploy.core.model.DeliveryId;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code jdbc:postgresql://USER:PASSWORD@HOST/DB}, which PostgreSQL's driver does not read itself, works as written. */
class PostgresUserInfoTest {

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return q;
    }

    @Test
    void credentialsBeforeTheHostAreUsedAndNeverShown() {
        URI real = URI.create(TestPostgres.freshSchemaUrl().substring("jdbc:".length()));
        Map<String, String> q = query(real);
        String user = q.remove("user");
        String password = q.remove("password");
        StringBuilder rest = new StringBuilder();
        q.forEach((k, v) -> rest.append(rest.length() == 0 ? "?" : "&").append(k).append('=').append(v));
        String url = "jdbc:postgresql://" + user + ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@" + real.getHost()
                + ":" + real.getPort() + real.getRawPath() + rest;
        try (JdbcDeploymentStore store = JdbcDeploymentStore.open(url)) {
            assertThat(store.recordDelivery(DeliveryId.of("d-userinfo"))).isTrue();
            assertThat(store.describe()).doesNotContain(password).contains(user + ":***@");
        }
    }

    @Test
    void aWrongPasswordWithAnAtSignIsReportedWithoutAnyOfIt() {
        URI real = URI.create(TestPostgres.url().substring("jdbc:".length()));
        String url = "jdbc:postgresql://autodeploy:pa@ss-wrong@" + real.getHost() + ":" + real.getPort() + real.getRawPath();
        assertThatThrownBy(() -> JdbcDeploymentStore.builder().url(url).connectTimeout(java.time.Duration.ofSeconds(2)).build())
                .isInstanceOf(AutodeployException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("store.url").doesNotContain("pa@ss").doesNotContain("ss-wrong"));
    }
}
