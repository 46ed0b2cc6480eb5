package io.github.autodeploy.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.core.port.ApiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
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
        boolean pkcs1 = pem.contains("BEGIN RSA PRIVATE KEY");
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs1 ? wrapPkcs1(der) : der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the GitHub App private key is not a PEM RSA key; use the .pem file GitHub gave you");
        }
    }

    /** Wraps a PKCS#1 RSAPrivateKey in the PKCS#8 PrivateKeyInfo the JDK reads. */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = concat(new byte[] {0x04}, length(pkcs1.length), pkcs1);
        byte[] content = concat(version, algorithm, octets);
        return concat(new byte[] {0x30}, length(content.length), content);
    }

    private static byte[] length(int n) {
        if (n < 0x80) {
            return new byte[] {(byte) n};
        }
        if (n < 0x100) {
            return new byte[] {(byte) 0x81, (byte) n};
        }
        if (n < 0x10000) {
            return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        }
        return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] p : parts) {
            size += p.length;
        }
        byte[] out = new byte[size];
        int i = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }
}
