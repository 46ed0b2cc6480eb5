package io.github.autodeploy.core.model;

import java.util.regex.Pattern;

/** The GitHub login of whoever asked for a deployment, bots ({@code name[bot]}) included. */
public record Requester(String login) {
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])|_){0,38}(?:\\[bot\\])?");

    public Requester {
        InvalidValueException.requireNonNull(login, "requester");
        if (!LOGIN.matcher(login).matches()) {
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
