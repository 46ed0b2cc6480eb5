package io.github.autodeploy.servlet;

import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.control.Credential;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF tokens for the pages' forms: an HMAC-SHA256 over the action, its target, the user's name and a
 * one-hour time slot, valid in that slot and the next (so a form works for one to two hours, and only
 * for the user it was made for, the action and the target it names). A form puts {@link #issue} in the
 * hidden field {@value #FIELD}; the POST is taken only if {@link #accepts} says so, which also refuses
 * a request a browser marks as coming from another site ({@code Sec-Fetch-Site}, else {@code Origin}
 * against {@code Host}).
 *
 * <p>The key: {@link #forUsers} derives it from the users' tokens, so every node of a configuration
 * accepts the forms of every other (behind a load balancer) and a changed token set retires old forms;
 * with no user (open pages) it is random per servlet instance. Immutable and thread-safe.
 */
public final class FormTokens {
    /** The form field holding the token. */
    public static final String FIELD = "csrf";
    static final Duration SLOT = Duration.ofHours(1);
    private final byte[] key;
    private final Clock clock;

    private FormTokens(byte[] key, Clock clock) {
        this.key = key.clone();
        this.clock = Objects.requireNonNull(clock, "clock");
        if (key.length < 16) {
            throw new IllegalArgumentException("a form token key needs at least 16 bytes");
        }
    }

    /** Tokens under {@code key} (at least 16 bytes; the same on every node that must accept each other's forms). */
    public static FormTokens keyed(byte[] key, Clock clock) {
        return new FormTokens(key, clock);
    }

    /** Tokens under a random key: only this instance accepts them. */
    public static FormTokens random(Clock clock) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new FormTokens(key, clock);
    }

    /**
     * Tokens under a key derived from {@code users}' tokens (the same on every node with the same
     * configuration, and unknown to anyone who lacks any of them); random when there is no user.
     */
    public static FormTokens forUsers(List<Credential> users, Clock clock) {
        if (users.isEmpty()) {
            return random(clock);
        }
        StringBuilder material = new StringBuilder();
        users.forEach(u -> material.append(u.actor().name()).append('\n').append(u.token().length()).append(':')
                .append(u.token()).append('\n'));
        return new FormTokens(hmac("autodeploy form tokens v1".getBytes(StandardCharsets.UTF_8), material.toString()), clock);
    }

    /** A token for {@code actor} to do {@code action} (such as {@code "cancel"}) on {@code target} (such as a deployment id). */
    public String issue(String action, String target, Actor actor) {
        return token(action, target, actor, slot());
    }

    /** Whether {@code token} was issued for this action, target and actor, in this slot or the one before. */
    public boolean valid(String token, String action, String target, Actor actor) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        long now = slot();
        boolean current = MessageDigest.isEqual(given, token(action, target, actor, now).getBytes(StandardCharsets.UTF_8));
        boolean previous = MessageDigest.isEqual(given, token(action, target, actor, now - 1).getBytes(StandardCharsets.UTF_8));
        return current | previous;
    }

    /**
     * Whether a form POST may go on: it does not come from another site, and its {@value #FIELD}
     * parameter is {@link #valid} for {@code actor}, {@code action} and {@code target}.
     */
    public boolean accepts(HttpServletRequest request, String action, String target, Actor actor) {
        // Only from the form's body: a token in a URL ends up in logs and in the Referer of the next page.
        String query = request.getQueryString();
        if (query != null && (query.startsWith(FIELD + "=") || query.contains("&" + FIELD + "="))) {
            return false;
        }
        return !crossSite(request) && valid(request.getParameter(FIELD), action, target, actor);
    }

    /**
     * Whether the browser says the request comes from another site: {@code Sec-Fetch-Site} other than
     * {@code same-origin} or {@code none}; without it, an {@code Origin} whose host and port are not the
     * request's {@code Host} (a reverse proxy must pass {@code Host} on). No header: not cross-site
     * (a client other than a browser; the token still decides).
     */
    public static boolean crossSite(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return !(site.equalsIgnoreCase("same-origin") || site.equalsIgnoreCase("none"));
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        String host = request.getHeader("Host");
        try {
            String authority = URI.create(origin.strip()).getRawAuthority();
            return authority == null || host == null || !authority.equalsIgnoreCase(host.strip());
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private long slot() {
        return Math.floorDiv(clock.millis(), SLOT.toMillis());
    }

    private String token(String action, String target, Actor actor, long slot) {
        String message = field(action) + field(target) + field(actor.name()) + slot;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, message));
    }

    /** A field with its length first, so no two different (action, target, name) make the same message. */
    private static String field(String s) {
        return s.length() + ":" + s + "|";
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
