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
 * Any missing, malformed or wrong signature is simply {@code false}. Thread-safe; it keeps keyed Macs for reuse.
 */
public final class WebhookVerifier {
    /** One HMAC-SHA256 per secret, in the secrets' order. */
    private final List<Macs> sha256;
    /** One HMAC-SHA1 per secret when legacy signatures count, else none. */
    private final List<Macs> sha1;
    private final boolean legacySha1;

    private WebhookVerifier(List<String> secrets, boolean legacySha1) {
        if (secrets.isEmpty() || secrets.stream().anyMatch(s -> s == null || s.isEmpty())) {
            throw new IllegalArgumentException("a webhook verifier needs at least one non-empty secret; set github.webhook_secret");
        }
        List<byte[]> keys = secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        this.sha256 = keys.stream().map(k -> new Macs("HmacSHA256", k)).toList();
        this.sha1 = legacySha1 ? keys.stream().map(k -> new Macs("HmacSHA1", k)).toList() : List.of();
        this.legacySha1 = legacySha1;
    }

    /**
     * Macs keyed with one secret, kept for the next delivery: finding the provider and keying a Mac costs
     * more than hashing a 7 KB body. A thread takes one (or makes one when none is idle) and gives it back,
     * so there are never more than the deliveries verified at once. Thread-safe.
     */
    private static final class Macs {
        private final String algorithm;
        private final SecretKeySpec key;
        private final java.util.concurrent.ConcurrentLinkedQueue<Mac> idle = new java.util.concurrent.ConcurrentLinkedQueue<>();

        Macs(String algorithm, byte[] secret) {
            this.algorithm = algorithm;
            this.key = new SecretKeySpec(secret, algorithm);
            idle.add(newMac());
        }

        private Mac newMac() {
            try {
                Mac mac = Mac.getInstance(algorithm);
                mac.init(key);
                return mac;
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException(algorithm + " is not available in this JDK", e);
            }
        }

        /** The HMAC of {@code body}; {@code doFinal} leaves the Mac keyed and empty for its next use. */
        byte[] of(byte[] body) {
            Mac mac = idle.poll();
            if (mac == null) {
                mac = newMac();
            }
            byte[] result = mac.doFinal(body);
            idle.offer(mac);
            return result;
        }
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
            return matches(body, signature256.get(), "sha256=", sha256, 32);
        }
        return legacySha1 && signature1.isPresent() && matches(body, signature1.get(), "sha1=", sha1, 20);
    }

    private static boolean matches(byte[] body, String header, String prefix, List<Macs> macs, int length) {
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
        for (Macs mac : macs) {
            // Every secret is tried, so the time taken does not tell which one matched.
            ok |= MessageDigest.isEqual(mac.of(body), given);
        }
        return ok;
    }
}
