package io.github.autodeploy.core.model;

import java.util.Locale;

/** A full git commit id: 40 hexadecimal digits, kept lower-cased. */
public record CommitSha(String value) {
    private static final String ZERO = "0".repeat(40);

    public CommitSha {
        InvalidValueException.requireNonNull(value, "commit sha");
        value = value.toLowerCase(Locale.ROOT);
        if (!AsciiChecks.isLowerHex40(value)) {
            throw new InvalidValueException("commit sha " + InvalidValueException.quote(value)
                    + " is not 40 hexadecimal digits; use the full sha, not an abbreviation");
        }
    }

    public static CommitSha of(String value) {
        return new CommitSha(value);
    }

    /** True for the all-zero sha GitHub sends as {@code after} when a push deletes a branch. */
    public boolean isZero() {
        return value.equals(ZERO);
    }

    /** The first seven digits, as GitHub shows them. */
    public String abbreviated() {
        return value.substring(0, 7);
    }

    @Override
    public String toString() {
        return value;
    }
}
