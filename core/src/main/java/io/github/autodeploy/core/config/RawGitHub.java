package io.github.autodeploy.core.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code github:} section as written.
 *
 * @param apiUrl         {@code api_url}; default {@code https://api.github.com}
 * @param token          {@code token}; without it the robot keeps statuses locally
 * @param webhookSecrets {@code webhook_secret} (one, or several during a rotation)
 * @param legacySha1     {@code legacy_sha1_signatures}: also accept {@code X-Hub-Signature}
 * @param appId          {@code app_id}: the GitHub App that answers deployment protection rules
 * @param privateKey     {@code private_key}: that App's private key (PEM text)
 */
public record RawGitHub(Optional<String> apiUrl, Optional<String> token, List<String> webhookSecrets,
                           boolean legacySha1, Optional<String> appId, Optional<String> privateKey) {
    public RawGitHub {
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(token, "token");
        webhookSecrets = List.copyOf(webhookSecrets);
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /** The keys without a GitHub App. */
    public RawGitHub(Optional<String> apiUrl, Optional<String> token, List<String> webhookSecrets, boolean legacySha1) {
        this(apiUrl, token, webhookSecrets, legacySha1, Optional.empty(), Optional.empty());
    }

    public static RawGitHub of(String token, String webhookSecret) {
        return new RawGitHub(Optional.empty(), Optional.ofNullable(token), List.of(webhookSecret), false);
    }
}
