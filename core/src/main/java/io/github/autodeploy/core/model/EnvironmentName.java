package io.github.autodeploy.core.model;

/**
 * A deployment environment such as {@code production}: 1 to 255 characters, no control characters,
 * no leading or trailing white space, not starting with '-'.
 */
public record EnvironmentName(String value) {
    public static final EnvironmentName PRODUCTION = new EnvironmentName("production");

    public EnvironmentName {
        InvalidValueException.requireNonNull(value, "environment");
        if (value.isEmpty() || value.length() > 255) {
            throw new InvalidValueException("environment " + InvalidValueException.quote(value)
                    + " must have 1 to 255 characters");
        }
        if (!value.strip().equals(value) || value.startsWith("-")) {
            throw new InvalidValueException("environment " + InvalidValueException.quote(value)
                    + " must not start or end with white space or start with '-'");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new InvalidValueException("environment " + InvalidValueException.quote(value)
                        + " contains a control character");
            }
        }
    }

    public static EnvironmentName of(String value) {
        return new EnvironmentName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
