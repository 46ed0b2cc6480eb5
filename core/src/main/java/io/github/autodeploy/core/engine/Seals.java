package io.github.autodeploy.core.engine;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals what a user of the robot asked for in a deployment the robot creates (HMAC-SHA256 keyed by
 * the webhook secret, so every node of a configuration verifies the others' seals), so that a
 * payload written by anyone else who may create deployments cannot pass as a user's redeploy or
 * rollback. Immutable and thread-safe.
 */
final class Seals {
    private final List<byte[]> keys;

    /** Seals with the first of {@code secrets}, verifies with any; with none, a key of this process only. */
    Seals(List<String> secrets) {
        List<byte[]> k = new ArrayList<>();
        for (String s : secrets) {
            if (!s.isEmpty()) {
                k.add(("autodeploy-seal:" + s).getBytes(StandardCharsets.UTF_8));
            }
        }
        if (k.isEmpty()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            k.add(random);
        }
        this.keys = List.copyOf(k);
    }

    String seal(String text) {
        return mac(keys.get(0), text);
    }

    boolean verifies(String text, String seal) {
        if (seal.isEmpty()) {
            return false;
        }
        byte[] given = seal.getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (byte[] key : keys) {
            ok |= MessageDigest.isEqual(mac(key, text).getBytes(StandardCharsets.UTF_8), given);
        }
        return ok;
    }

    private static String mac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
