package io.github.autodeploy.core.control;

import io.github.autodeploy.core.model.InvalidValueException;
import java.util.Objects;

/**
 * A configured way in: whoever presents {@code token} (as a bearer token, or as the password of
 * HTTP basic credentials named after the actor) acts as {@code actor}. The token is a secret:
 * {@link #toString()} never shows it. Immutable.
 *
 * @param actor who the holder of the token is, with their role
 * @param token the secret; never blank
 */
public record Credential(Actor actor, String token) {
    /** The name the single shared bearer token of {@code pages.token} acts under. */
    public static final String SHARED_TOKEN_USER = "admin";

    public Credential {
        Objects.requireNonNull(actor, "actor");
        InvalidValueException.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new InvalidValueException("the token of user " + actor.name() + " is blank; a blank token would let anyone in");
        }
    }

    /** The shared bearer token of older configurations ({@code pages.token}): an admin named {@code admin}. */
    public static Credential sharedToken(String token) {
        return new Credential(new Actor(SHARED_TOKEN_USER, Role.ADMIN), token);
    }

    /** The shared basic credentials of older configurations ({@code pages.username}, {@code pages.password}): an admin named after the user. */
    public static Credential sharedBasic(String user, String password) {
        return new Credential(new Actor(user, Role.ADMIN), password);
    }

    @Override
    public String toString() {
        return "Credential[" + actor.name() + " (" + actor.role().key() + "), token ***]";
    }
}
