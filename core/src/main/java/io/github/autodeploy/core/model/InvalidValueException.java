package io.github.autodeploy.core.model;

import io.github.autodeploy.core.AutodeployException;

/** Thrown when a value does not satisfy its type's rules; the message quotes the value. */
public final class InvalidValueException extends AutodeployException {
    private static final long serialVersionUID = 1L;

    public InvalidValueException(String message) {
        super(message);
    }

    /** A value as an error message may show it: quoted, control characters escaped, at most 80 characters. */
    public static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        int max = Math.min(value.length(), 80);
        for (int i = 0; i < max; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        if (value.length() > max) {
            sb.append("...");
        }
        return sb.append('"').toString();
    }

    /** {@code value}, or an {@link InvalidValueException} naming {@code what} when it is null. */
    public static <T> T requireNonNull(T value, String what) {
        if (value == null) {
            throw new InvalidValueException(what + " is required but was null");
        }
        return value;
    }
}
