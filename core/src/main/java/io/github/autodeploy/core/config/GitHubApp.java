package io.github.autodeploy.core.config;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * The GitHub App the robot answers deployment protection rules as ({@code github.app_id} and {@code
 * github.private_key}): its installation tokens, never the personal token, approve or reject Actions
 * deployments. Immutable; {@link #toString()} never shows the key.
 *
 * @param appId         the App's id, as GitHub shows it on the App's settings page
 * @param privateKeyPem the App's private key as GitHub gives it (PEM, PKCS#1 or PKCS#8); a secret
 */
public record GitHubApp(long appId, String privateKeyPem) {
    public GitHubApp {
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        if (appId <= 0) {
            throw new IllegalArgumentException("a GitHub App id is a positive number");
        }
        if (privateKeyPem.isBlank()) {
            throw new IllegalArgumentException("a GitHub App needs its private key");
        }
    }

    @Override
    public String toString() {
        return "GitHub App " + appId;
    }

    /**
     * The RSA private key of a PEM text as GitHub gives it (PKCS#1, {@code BEGIN RSA PRIVATE KEY}) or
     * PKCS#8 ({@code BEGIN PRIVATE KEY}).
     *
     * @throws IllegalArgumentException when it is not one (truncated, another kind of key, encrypted); the
     *                                  message never shows the text
     */
    public static PrivateKey readPrivateKey(String pem) {
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
