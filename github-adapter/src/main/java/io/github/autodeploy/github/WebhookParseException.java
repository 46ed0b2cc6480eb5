package io.github.autodeploy.github;

import io.github.autodeploy.core.AutodeployException;

/**
 * A webhook delivery that cannot be read: the one exception {@link WebhookParser} throws. The message
 * says what is wrong in words fit for the sender; {@link #kind()} tells an HTTP endpoint which
 * answer to give.
 */
public final class WebhookParseException extends AutodeployException {
    private static final long serialVersionUID = 1L;
    private final Kind kind;

    /** Why a delivery could not be read. */
    public enum Kind {
        /** Not JSON nor form-encoded (HTTP 415). */
        UNSUPPORTED_CONTENT_TYPE,
        /** Not valid JSON, no event name, or a required field missing or invalid (HTTP 400). */
        MALFORMED
    }

    WebhookParseException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    WebhookParseException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
