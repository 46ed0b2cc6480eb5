package io.github.autodeploy.core.port;

import io.github.autodeploy.core.AutodeployException;
import java.time.Duration;
import java.util.Optional;

/**
 * A call to GitHub (or another service behind a port) failed. {@link #retryable()} says whether the
 * same call may succeed later, and {@link #retryAfter()} how long the service asked to wait (a
 * {@code Retry-After} header or a rate-limit reset): the engine waits, not the adapter.
 */
public class ApiException extends AutodeployException {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;
    private final transient Optional<Duration> retryAfter;

    public ApiException(String message, boolean retryable, Optional<Duration> retryAfter, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    public ApiException(String message, boolean retryable) {
        this(message, retryable, Optional.empty(), null);
    }

    public boolean retryable() {
        return retryable;
    }

    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    /**
     * Whether a call that failed with {@code e} may be tried again: anything but an {@code ApiException}
     * that says it may not (GitHub refusing for good: a 404, a bad token, a 422) is worth another try.
     */
    public static boolean mayRetry(RuntimeException e) {
        return !(e instanceof ApiException api) || api.retryable();
    }

    /** The wait the server asked for with {@code e}, if it was an {@code ApiException} that carried one. */
    public static Optional<Duration> askedDelay(RuntimeException e) {
        return e instanceof ApiException api ? api.retryAfter() : Optional.empty();
    }
}
