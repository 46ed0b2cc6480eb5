package io.github.autodeploy.assembly;

import io.github.autodeploy.core.AutodeployException;

/**
 * The GitHub App of {@code github.app_id} and {@code github.private_key} cannot be used: its key is not a
 * private key GitHub gives (PEM, RSA). The message is one line naming the key, never its value; hosts
 * print it and stop.
 */
public final class GitHubAppKeyException extends AutodeployException {
    private static final long serialVersionUID = 1L;

    GitHubAppKeyException(String message) {
        super(message);
    }
}
