package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.testkit.Values;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * A client for an {@code http://} API (a test server, a proxy inside a trusted network) is built without TLS, so
 * it loads no trust store; one for {@code https://} keeps OkHttp's TLS defaults.
 */
class PlainHttpClientTest {
    @StartStop
    private final MockWebServer github = new MockWebServer();

    @Test
    void aClientForPlainHttpIsBuiltWithoutTlsAndStillCallsTheApi() throws Exception {
        OkHttpClient plain = GitHubClient.Builder.fresh(false).build();
        assertThat(plain.connectionSpecs()).containsExactly(ConnectionSpec.CLEARTEXT);
        assertThat(plain.x509TrustManager()).as("no trust store loaded").isNull();

        github.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body("[]").build());
        GitHubClient client = GitHubClient.builder().baseUrl(github.url("/").toString()).token("ghp_plain_http_test_token")
                .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20)).build();
        assertThat(client.listUnfinished(Values.REPO, EnvironmentName.of("production"))).isEmpty();
        assertThat(github.takeRequest().getUrl().encodedPath()).startsWith("/repos/");
    }

    @Test
    void aClientForHttpsKeepsTls() {
        OkHttpClient tls = GitHubClient.Builder.fresh(true).build();
        assertThat(tls.connectionSpecs()).anyMatch(ConnectionSpec::isTls);
        assertThat(tls.x509TrustManager()).isNotNull();
    }
}
