package io.github.autodeploy.github;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a webhook delivery was signed by GitHub with one of the configured secrets: an
 * HMAC-SHA256 of the raw body in {@code X-Hub-Signature-256}, compared in constant time. Several
 * secrets allow a rotation; the legacy SHA-1 {@code X-Hub-Signature} counts only when enabled.
 * Any missing, malformed or wrong signature is simply {@code false}. Immutable and thread-safe.
 */
public final class WebhookVerifier {
    private final List<byte[]> secrets;
    private final boolean legacySha1;

    private WebhookVerifier(List<String> secrets, boolean legacySha1) {
        if (secrets.isEmpty() || secrets.stream().anyMatch(s -> s == null || s.isEmpty())) {
            throw new IllegalArgumentException("a webhook verifier needs at least one non-empty secret; set github.webhook_secret");
        }
        this.secrets = secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        this.legacySha1 = legacySha1;
    }

    /** A verifier accepting a SHA-256 signature made with any of {@code secrets}. */
    public static WebhookVerifier create(List<String> secrets) {
        return new WebhookVerifier(List.copyOf(secrets), false);
    }

    /**
     * A verifier that also accepts the legacy SHA-1 {@code X-Hub-Signature} when no SHA-256 header is
     * sent, for old GitHub Enterprise Servers.
     */
    public static WebhookVerifier withLegacySha1(List<String> secrets) {
        return new WebhookVerifier(List.copyOf(secrets), true);
    }

    /**
     * Whether {@code body} carries a valid signature.
     *
     * @param signature256 the {@code X-Hub-Signature-256} header, if sent
     * @param signature1   the {@code X-Hub-Signature} header, if sent (used only when legacy SHA-1 is on)
     */
    public boolean verify(byte[] body, Optional<String> signature256, Optional<String> signature1) {
        if (signature256.isPresent()) {
            return matches(body, signature256.get(), "sha256=", "HmacSHA256", 32);
        }
        return legacySha1 && signature1.isPresent() && matches(body, signature1.get(), "sha1=", "HmacSHA1", 20);
    }

    private boolean matches(byte[] body, String header, String prefix, String algorithm, int length) {
        String h = header.strip();
        if (!h.startsWith(prefix) || h.length() != prefix.length() + 2 * length) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(h, prefix.length(), h.length());
        } catch (IllegalArgumentException e) {
            return false;
        }
        boolean ok = false;
        for (byte[] secret : secrets) {
            // Every secret is tried, so the time taken does not tell which one matched.
            ok |= MessageDigest.isEqual(hmac(algorithm, secret, body), given);
        }
        return ok;
    }

    private static byte[] hmac(String algorithm, byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret, algorithm));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(algorithm + " is not available in this JDK", e);
        }
    }
}
