package io.github.autodeploy.examples.standalone;

import io.github.autodeploy.testkit.CuttableProxy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.config.ConfigFile;
import io.github.autodeploy.github.sample.SampleWebhooks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server's /metrics (Prometheus text, own port, pages credential), /healthz and /readyz. */
class MetricsAndHealthIT {
    private static final String SECRET = "metrics-secret";
    private static final String PAGES_TOKEN = "metrics-pages-token-0123";
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Path config(String store) throws Exception {
        Path config = dir.resolve("autodeploy.yml");
        Files.writeString(config, """
                github:
                  webhook_secret: %s
                pages:
                  token: %s
                store:
                  url: "%s"
                repos:
                  example/app: {folder: %s, required_contexts: [], commands: [[sh, -c, 'true']]}
                """.formatted(SECRET, PAGES_TOKEN, store, dir));
        return config;
    }

    @Test
    void metricsCountTheDeliveriesOnTheirOwnPortBehindThePagesCredential() throws Exception {
        try (StandaloneServer server = StandaloneServer.start(ConfigFile.load(config("memory"), Map.of()), "127.0.0.1", 0,
                OptionalInt.of(0))) {
            String base = "http://127.0.0.1:" + server.port();
            String metrics = "http://127.0.0.1:" + server.metricsPort().orElseThrow() + "/metrics";
            for (long id : new long[] {4301, 4302}) {
                byte[] deployment = SampleWebhooks.body("deployment", Map.of("id", Long.toString(id)));
                assertThat(Signed.post(base + "/hooks/github", SECRET, "deployment", deployment).statusCode()).isEqualTo(202);
            }
            assertThat(Signed.post(base + "/hooks/github", "wrong-secret", "deployment", "{}".getBytes()).statusCode())
                    .isEqualTo(401);

            HttpResponse<String> unauthorized = get(metrics, null);
            assertThat(unauthorized.statusCode()).isEqualTo(401);
            assertThat(unauthorized.body()).doesNotContain("autodeploy_");
            assertThat(get(metrics, "Bearer not-the-token").statusCode()).isEqualTo(401);
            assertThat(get(base + "/metrics", "Bearer " + PAGES_TOKEN).statusCode()).isEqualTo(404);
            String metricsBase = "http://127.0.0.1:" + server.metricsPort().orElseThrow();
            for (String other : new String[] {"/deployments/api", "/deployments", "/hooks/github", "/healthz", "/"}) {
                assertThat(get(metricsBase + other, "Bearer " + PAGES_TOKEN).statusCode()).as("metrics port, %s", other)
                        .isEqualTo(404);
            }

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get(metrics, "Bearer " + PAGES_TOKEN).body())
                    .contains("autodeploy_deployments_total{environment=\"production\",outcome=\"success\",repository=\"example/app\"} 2.0"));
            HttpResponse<String> scrape = get(metrics, "Bearer " + PAGES_TOKEN);
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertThat(scrape.body())
                    .contains("autodeploy_webhook_deliveries_total{answer=\"accepted\",event=\"deployment\"} 2.0")
                    .contains("autodeploy_webhook_deliveries_total{answer=\"bad_signature\",event=\"unknown\"} 1.0")
                    .contains("autodeploy_deployment_run_seconds_count{environment=\"production\",outcome=\"success\",repository=\"example/app\"} 2")
                    .contains("autodeploy_deployment_queued_seconds_count{environment=\"production\",repository=\"example/app\"} 2")
                    .contains("autodeploy_outbox_pending_statuses ")
                    .doesNotContain("4301", "4302", SECRET, PAGES_TOKEN);

            HttpResponse<String> live = get(base + "/healthz", null);
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.body()).isEqualTo("{\"status\":\"up\"}");
            assertThat(get(base + "/readyz", null).body())
                    .isEqualTo("{\"ready\":true,\"store\":\"reachable\",\"recovery\":\"done\",\"draining\":false,\"queued\":0}");
        }
    }

    @Test
    void readinessFailsWhileThePostgresStoreIsCutOffAndReturnsWhenItIsBack() throws Exception {
        Assumptions.assumeTrue(TestPostgres.url().isPresent(), TestPostgres::whyNone);
        String url = TestPostgres.freshSchemaUrl();
        URI real = URI.create(url.substring("jdbc:".length()));
        try (CuttableProxy proxy = new CuttableProxy(real.getHost(), real.getPort())) {
            String proxied = url.replaceFirst(":" + real.getPort() + "/", ":" + proxy.port() + "/");
            try (StandaloneServer server = StandaloneServer.start(ConfigFile.load(config(proxied), Map.of()), "127.0.0.1", 0)) {
                String readyz = "http://127.0.0.1:" + server.port() + "/readyz";
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get(readyz, null).statusCode()).isEqualTo(200));

                proxy.cut();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    HttpResponse<String> down = get(readyz, null);
                    assertThat(down.statusCode()).isEqualTo(503);
                    assertThat(down.body()).startsWith("{\"ready\":false,\"store\":\"unreachable\",");
                    assertThat(down.body()).doesNotContain("postgresql", "password", String.valueOf(proxy.port()));
                });
                assertThat(get("http://127.0.0.1:" + server.port() + "/healthz", null).statusCode()).isEqualTo(200);

                proxy.mend();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    HttpResponse<String> up = get(readyz, null);
                    assertThat(up.statusCode()).isEqualTo(200);
                    assertThat(up.body()).startsWith("{\"ready\":true,\"store\":\"reachable\",");
                });
            }
        }
    }
}
