package io.github.autodeploy.core.model;

import java.util.Locale;

/**
 * A GitHub repository as {@code owner/name}. GitHub treats names case-insensitively, so both parts
 * are kept lower-cased; two spellings of one repository are equal.
 */
public record RepositoryName(String owner, String name) {
    public RepositoryName {
        InvalidValueException.requireNonNull(owner, "repository owner");
        InvalidValueException.requireNonNull(name, "repository name");
        owner = owner.toLowerCase(Locale.ROOT);
        name = name.toLowerCase(Locale.ROOT);
        if (!AsciiChecks.isLogin(owner, true, false)) {
            throw new InvalidValueException("repository owner " + InvalidValueException.quote(owner)
                    + " is not a GitHub login: use 1 to 39 letters, digits or single inner hyphens");
        }
        if (!AsciiChecks.isRepositoryName(name) || name.equals(".") || name.equals("..")) {
            throw new InvalidValueException("repository name " + InvalidValueException.quote(name)
                    + " is not a GitHub repository name: use 1 to 100 letters, digits, '.', '-' or '_'");
        }
    }

    /** Parses {@code owner/name}. */
    public static RepositoryName of(String fullName) {
        InvalidValueException.requireNonNull(fullName, "repository");
        int slash = fullName.indexOf('/');
        if (slash < 0 || slash != fullName.lastIndexOf('/')) {
            throw new InvalidValueException("repository " + InvalidValueException.quote(fullName)
                    + " must be written owner/name, for example octo/app");
        }
        return new RepositoryName(fullName.substring(0, slash), fullName.substring(slash + 1));
    }

    /** {@code owner/name}. */
    public String fullName() {
        return owner + "/" + name;
    }

    @Override
    public String toString() {
        return fullName();
    }
}
