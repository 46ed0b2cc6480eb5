package io.github.autodeploy.core;

/**
 * The root of every exception this library throws; unchecked, so that no checked exception crosses
 * a port. Immutable and thread-safe.
 */
public class AutodeployException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AutodeployException(String message) {
        super(message);
    }

    public AutodeployException(String message, Throwable cause) {
        super(message, cause);
    }
}
