package io.github.autodeploy.core.model;

/** The GitHub login of whoever asked for a deployment, bots ({@code name[bot]}) included. */
public record Requester(String login) {
    public Requester {
        InvalidValueException.requireNonNull(login, "requester");
        if (!AsciiChecks.isLogin(login, false, true)) {
            throw new InvalidValueException("requester " + InvalidValueException.quote(login)
                    + " is not a GitHub login: use 1 to 39 letters, digits or inner hyphens, optionally followed by [bot]");
        }
    }

    public static Requester of(String login) {
        return new Requester(login);
    }

    @Override
    public String toString() {
        return login;
    }
}
