package io.github.autodeploy.servlet;

import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.control.Credential;
import io.github.autodeploy.core.control.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who is asking, for the deployments list, the JSON API and every action: the named users of the
 * configuration (a bearer token, or HTTP basic credentials {@code NAME:TOKEN}), the shared credential
 * of older configurations as one admin, or, when the host application guards the pages itself,
 * whoever the host says (an admin). A single deployment's page is read by its unguessable key instead.
 *
 * <p>A presented token is compared, in constant time, with every user's token (as SHA-256 digests, so
 * neither the tokens' lengths nor which users exist show in the time an answer takes). Immutable and
 * thread-safe.
 */
public final class PageAccess {
    /** The actor of open pages when the host names no user. */
    public static final String ANONYMOUS = "anonymous";
    private final List<Credential> users;
    private final List<byte[]> digests;
    private final boolean open;

    private PageAccess(List<Credential> users, boolean open) {
        this.users = List.copyOf(users);
        List<byte[]> d = new ArrayList<>();
        Set<String> tokens = new HashSet<>();
        for (Credential c : this.users) {
            if (!tokens.add(c.token())) {
                throw new IllegalArgumentException("two users (one is " + c.actor().name() + ") have the same token; "
                        + "give each user a token of their own");
            }
            d.add(sha256(c.token()));
        }
        this.digests = List.copyOf(d);
        this.open = open;
    }

    /** The named users (and the shared credential, if any, as {@link Credential#sharedToken} and {@link Credential#sharedBasic}). */
    public static PageAccess users(List<Credential> users) {
        return new PageAccess(users, false);
    }

    /**
     * The shared credential of older configurations: a bearer token and/or basic credentials, each one
     * admin; with neither, the list and every action are closed to all. A blank token, user or
     * password is none (so {@code admin:} never lets anyone in).
     */
    public static PageAccess credentials(Optional<String> bearerToken, Optional<String> user, Optional<String> password) {
        List<Credential> all = new ArrayList<>();
        bearerToken.filter(t -> !t.isBlank()).ifPresent(t -> all.add(Credential.sharedToken(t)));
        user.filter(u -> !u.isBlank()).ifPresent(u -> password.filter(p -> !p.isBlank())
                .ifPresent(p -> all.add(Credential.sharedBasic(u, p))));
        return users(all);
    }

    /**
     * No built-in rule: the host application puts its own authentication in front of the pages, and
     * whoever gets through is an admin, named after the host's user ({@code request.getRemoteUser()})
     * or {@value #ANONYMOUS}.
     */
    public static PageAccess open() {
        return new PageAccess(List.of(), true);
    }

    /**
     * Who an {@code Authorization} header (absent: null) names: {@code Bearer TOKEN}, or {@code Basic}
     * with {@code NAME:TOKEN} where the name is the one of the user whose token it is. Empty for no,
     * a malformed or an unknown credential. Open pages: {@value #ANONYMOUS}, an admin.
     */
    public Optional<Actor> who(String authorization) {
        if (open) {
            return Optional.of(new Actor(ANONYMOUS, Role.ADMIN));
        }
        if (authorization == null) {
            return Optional.empty();
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return byToken(authorization.substring(7).strip());
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            String name = decoded.substring(0, colon);
            return byToken(decoded.substring(colon + 1)).filter(a -> a.name().equals(name));
        }
        return Optional.empty();
    }

    /**
     * Who is asking: for open pages the host's authenticated user (when it is a valid user name) or
     * {@value #ANONYMOUS}, an admin; else as {@link #who(String)} of the request's {@code Authorization}.
     */
    public Optional<Actor> who(HttpServletRequest request) {
        if (open) {
            String host = request.getRemoteUser();
            return Optional.of(new Actor(host != null && Actor.validName(host) ? host : ANONYMOUS, Role.ADMIN));
        }
        return who(request.getHeader("Authorization"));
    }

    /** Whether an {@code Authorization} header (absent: null) names any known user: may read the list and the API. */
    public boolean allows(String authorization) {
        return who(authorization).isPresent();
    }

    /**
     * Whether {@code request} may do what needs {@code needed}: {@link Decision.Allowed} with the
     * actor, {@link Decision.Unauthenticated} (answer 401 with its challenge), or {@link
     * Decision.Forbidden} with a reason naming the role needed (answer 403).
     *
     * @param doing what the request does, for the reason, such as {@code "cancelling"}
     */
    public Decision decide(HttpServletRequest request, Role needed, String doing) {
        Optional<Actor> actor = who(request);
        if (actor.isEmpty()) {
            return new Decision.Unauthenticated(closedToAll()
                    ? "No credential is configured for this page; set access.users (or pages.token, or pages.username and pages.password)."
                    : "This page needs a user's credential: a bearer token, or the user's name and token.",
                    offersBasic() ? "Basic realm=\"Autodeploy\", charset=\"UTF-8\"" : "Bearer");
        }
        Actor a = actor.get();
        if (!a.may(needed)) {
            return new Decision.Forbidden(doing + " needs the " + needed.key() + " role; " + a.name() + " is "
                    + article(a.role()) + " " + a.role().key());
        }
        return new Decision.Allowed(a);
    }

    /** Whether a browser should be asked for basic credentials (a user's name and token). */
    public boolean offersBasic() {
        return !users.isEmpty();
    }

    /** True when nothing can ever be granted: no user, not open. */
    public boolean closedToAll() {
        return !open && users.isEmpty();
    }

    /** The users who may sign in, in order (empty for open pages). */
    public List<Credential> users() {
        return users;
    }

    /**
     * The user whose token this is, after comparing it with every user's token (no early return, so
     * the time taken does not depend on which user, if any, matched).
     */
    private Optional<Actor> byToken(String token) {
        if (token.isEmpty()) {
            return Optional.empty();
        }
        byte[] given = sha256(token);
        int found = -1;
        for (int i = 0; i < digests.size(); i++) {
            if (MessageDigest.isEqual(digests.get(i), given)) {
                found = i;
            }
        }
        return found < 0 ? Optional.empty() : Optional.of(users.get(found).actor());
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String article(Role role) {
        return role == Role.ADMIN ? "an" : "a";
    }

    /** What {@link #decide} found. */
    public sealed interface Decision {
        /** The request may go on, done by {@code actor}. */
        record Allowed(Actor actor) implements Decision {
            public Allowed {
                Objects.requireNonNull(actor, "actor");
            }
        }

        /** No, a malformed or an unknown credential: 401 with {@code challenge} as {@code WWW-Authenticate}. */
        record Unauthenticated(String reason, String challenge) implements Decision {
            public Unauthenticated {
                Objects.requireNonNull(reason, "reason");
                Objects.requireNonNull(challenge, "challenge");
            }
        }

        /** A known user whose role is too low: 403 with the reason. */
        record Forbidden(String reason) implements Decision {
            public Forbidden {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }
}
