package io.github.autodeploy.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.core.port.ApiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Function;

/**
 * GitHub App authentication: an RS256 JWT signed with the app's private key (made with the JDK), traded
 * for an installation token that is cached and renewed five minutes before it expires. Thread-safe.
 */
final class AppTokens {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);
    private final long appId;
    private final long installationId;
    private final PrivateKey key;
    private final Clock clock;
    private Function<String, GitHubTransport> httpWithAuthorization;
    private String token;
    private Instant expires = Instant.EPOCH;

    AppTokens(long appId, long installationId, String pem, Clock clock) {
        this(appId, installationId, privateKey(pem), clock);
    }

    AppTokens(long appId, long installationId, PrivateKey key, Clock clock) {
        this.appId = appId;
        this.installationId = installationId;
        this.key = key;
        this.clock = clock;
    }

    void use(Function<String, GitHubTransport> httpWithAuthorization) {
        this.httpWithAuthorization = httpWithAuthorization;
    }

    /** {@code Bearer <installation token>}, fetched or renewed when needed. */
    synchronized String authorization() {
        if (token == null || !clock.instant().isBefore(expires.minus(RENEW_BEFORE))) {
            GitHubTransport http = httpWithAuthorization.apply("Bearer " + jwt());
            GitHubTransport.Answer a = http.post(http.url("/app/installations/" + installationId + "/access_tokens"), "{}");
            if (a.status() != 201) {
                throw new ApiException("GitHub did not give an installation token for app " + appId + " (HTTP " + a.status()
                        + "); check the app id, installation id and private key", a.status() >= 500);
            }
            try {
                JsonNode body = JSON.readTree(a.body());
                token = body.path("token").asText();
                expires = Instant.parse(body.path("expires_at").asText());
            } catch (IOException | RuntimeException e) {
                throw new ApiException("GitHub's installation token answer could not be read", true);
            }
        }
        return "Bearer " + token;
    }

    String jwt() {
        long now = clock.instant().getEpochSecond();
        String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64(("{\"iat\":" + (now - 60) + ",\"exp\":" + (now + 540) + ",\"iss\":\"" + appId + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + b64(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign the GitHub App JWT", e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Reads a PKCS#8 ({@code BEGIN PRIVATE KEY}) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, as GitHub issues) key. */
    static PrivateKey privateKey(String pem) {
        return io.github.autodeploy.core.config.GitHubApp.readPrivateKey(pem);
    }
}
