package io.github.autodeploy.assembly;

import io.github.autodeploy.core.AutodeployException;

/**
 * The store named by {@code store.url} could not be opened at start (unreachable, refused, or a schema
 * from a newer version). The message is one line that names {@code store.url}, with every password
 * masked, and says what to check; hosts print it and stop. It carries no cause, since a driver's
 * message deep in the causes could hold the URL as written.
 */
public final class StoreUnavailableException extends AutodeployException {
    private static final long serialVersionUID = 1L;

    StoreUnavailableException(String message) {
        super(message);
    }
}
