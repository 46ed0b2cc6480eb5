package io.github.autodeploy.servlet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Who may read the deployments list and act (cancel): a bearer token, HTTP basic credentials, or,
 * when the host application guards the pages itself, anyone. A single deployment's page is read by
 * its unguessable key instead. Credentials are compared in constant time; a blank one counts as none.
 * Immutable and thread-safe.
 */
public final class PageAccess {
    private final Optional<byte[]> token;
    private final Optional<byte[]> basic;
    private final boolean open;

    private PageAccess(Optional<String> token, Optional<String> user, Optional<String> password, boolean open) {
        this.token = token.filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.basic = user.filter(u -> !u.isBlank()).flatMap(u -> password.filter(p -> !p.isBlank())
                .map(p -> (u + ":" + p).getBytes(StandardCharsets.UTF_8)));
        this.open = open;
    }

    /**
     * A bearer token and/or basic credentials; with neither, the list and cancelling are closed to all.
     * A blank token, user or password is none (so {@code admin:} never lets anyone in).
     */
    public static PageAccess credentials(Optional<String> bearerToken, Optional<String> user, Optional<String> password) {
        return new PageAccess(bearerToken, user, password, false);
    }

    /** No built-in rule: the host application puts its own authentication in front of the pages. */
    public static PageAccess open() {
        return new PageAccess(Optional.empty(), Optional.empty(), Optional.empty(), true);
    }

    /** Whether an {@code Authorization} header (absent: null) grants the list and actions. */
    boolean allows(String authorization) {
        if (open) {
            return true;
        }
        if (authorization == null) {
            return false;
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7) && token.isPresent()) {
            return MessageDigest.isEqual(token.get(), authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8));
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6) && basic.isPresent()) {
            try {
                byte[] given = Base64.getDecoder().decode(authorization.substring(6).strip());
                return MessageDigest.isEqual(basic.get(), given);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return false;
    }

    /** Whether a browser should be asked for basic credentials. */
    boolean offersBasic() {
        return basic.isPresent();
    }

    /** True when nothing can ever be granted: no token, no user, not open. */
    boolean closedToAll() {
        return !open && token.isEmpty() && basic.isEmpty();
    }
}
