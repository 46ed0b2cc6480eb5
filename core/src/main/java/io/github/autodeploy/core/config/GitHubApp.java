package io.github.autodeploy.core.config;

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
}
