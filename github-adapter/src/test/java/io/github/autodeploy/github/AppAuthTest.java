package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.testkit.Values;
import io.github.autodeploy.testkit.ManualTimeSource;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AppAuthTest {
    private static KeyPair keys;
    @StartStop
    private final MockWebServer github = new MockWebServer();
    private final ManualTimeSource clock = ManualTimeSource.at("2026-11-27T10:00:00Z");

    @BeforeAll
    static void makeKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        keys = g.generateKeyPair();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** GitHub hands out PKCS#1 keys; the JDK writes PKCS#8, whose last element is the PKCS#1 key. */
    private static String pkcs1Pem() {
        byte[] pkcs8 = keys.getPrivate().getEncoded();
        return pem("RSA PRIVATE KEY", Arrays.copyOfRange(pkcs8, 26, pkcs8.length));
    }

    private GitHubClient client(String pem) {
        return GitHubClient.builder().baseUrl(github.url("/").toString()).app(12345, 42, pem).timeSource(clock).build();
    }

    private MockResponse token(String token, String expires) {
        return new MockResponse.Builder().code(201).body("{\"token\":\"" + token + "\",\"expires_at\":\"" + expires + "\"}").build();
    }

    private static MockResponse created() {
        return new MockResponse.Builder().code(201).body("{}").build();
    }

    @Test
    void signsAJwtTradesItForAnInstallationTokenAndRenewsItBeforeExpiry() throws Exception {
        GitHubClient client = client(pkcs1Pem());
        github.enqueue(token("ghs_first", "2026-11-27T11:00:00Z"));
        github.enqueue(created());
        github.enqueue(created());
        client.postStatus(Values.REPO, DeploymentId.of(1), Values.status(DeploymentState.QUEUED, "x"));
        client.postStatus(Values.REPO, DeploymentId.of(1), Values.status(DeploymentState.IN_PROGRESS, "x"));

        RecordedRequest exchange = github.takeRequest(5, TimeUnit.SECONDS);
        assertThat(exchange.getUrl().encodedPath()).isEqualTo("/app/installations/42/access_tokens");
        String jwt = exchange.getHeaders().get("Authorization").substring("Bearer ".length());
        String[] parts = jwt.split("\\.");
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(keys.getPublic());
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rsa.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.path("iss").asText()).isEqualTo("12345");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isLessThanOrEqualTo(600);
        assertThat(github.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization")).isEqualTo("Bearer ghs_first");
        assertThat(github.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization")).isEqualTo("Bearer ghs_first");

        clock.advance(Duration.ofMinutes(56));
        github.enqueue(token("ghs_second", "2026-11-27T12:00:00Z"));
        github.enqueue(created());
        client.postStatus(Values.REPO, DeploymentId.of(1), Values.status(DeploymentState.SUCCESS, "x"));
        assertThat(github.takeRequest(5, TimeUnit.SECONDS).getUrl().encodedPath()).isEqualTo("/app/installations/42/access_tokens");
        assertThat(github.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization")).isEqualTo("Bearer ghs_second");
    }

    @Test
    void readsAPkcs8KeyToo() {
        GitHubClient client = client(pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        github.enqueue(token("ghs_x", "2026-11-27T11:00:00Z"));
        github.enqueue(created());
        client.postStatus(Values.REPO, DeploymentId.of(1), Values.status(DeploymentState.QUEUED, "x"));
        assertThat(github.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aKeyThatIsNotPemSaysSo() {
        assertThatThrownBy(() -> client("not a key"))
                .hasMessage("the GitHub App private key is not a PEM RSA key; use the .pem file GitHub gave you");
    }
}
