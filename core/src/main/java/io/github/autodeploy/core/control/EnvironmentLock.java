package io.github.autodeploy.core.control;

import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;

/**
 * A lock on a repository's environment: while it holds, the robot deploys nothing there on its own
 * (merges and pushes wait) and refuses deployments made elsewhere unless they are forced. Immutable.
 *
 * @param reason  why, as its holder wrote it (at most 500 characters, no control characters)
 * @param holder  the user who took it
 * @param since   when it was taken
 * @param expires when it ends by itself; empty: when someone unlocks it
 */
public record EnvironmentLock(RepositoryName repository, EnvironmentName environment, String reason, String holder,
                              Instant since, Optional<Instant> expires) {
    /** The longest reason a lock keeps. */
    public static final int MAX_REASON = 500;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    public EnvironmentLock {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(expires, "expires");
        reason = cleanReason(reason);
        if (!Actor.validName(holder)) {
            throw new IllegalArgumentException("a lock's holder must be a user name");
        }
        if (expires.isPresent() && !expires.get().isAfter(since)) {
            throw new IllegalArgumentException("a lock must expire after it was taken");
        }
    }

    /**
     * A reason as kept: control characters become spaces, surrounding blanks go, and it is cut to
     * {@link #MAX_REASON} characters.
     */
    public static String cleanReason(String reason) {
        StringBuilder sb = new StringBuilder(Math.min(reason.length(), MAX_REASON));
        for (int i = 0; i < reason.length() && sb.length() < MAX_REASON; i++) {
            char c = reason.charAt(i);
            // Control characters, line separators and bidirectional overrides (which could make a reason read
            // backwards on a page) become spaces.
            boolean bidi = (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c == '\u200e' || c == '\u200f';
            sb.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029' || bidi ? ' ' : c);
        }
        return sb.toString().strip();
    }

    /** Whether the lock holds at {@code t}: taken, and not expired. */
    public boolean holdsAt(Instant t) {
        return expires.map(t::isBefore).orElse(true);
    }

    /** The same lock under another holder, from {@code at}: a steal. */
    public EnvironmentLock takenBy(String newHolder, String newReason, Instant at, Optional<Instant> until) {
        return new EnvironmentLock(repository, environment, newReason, newHolder, at, until);
    }

    /** One line for a status, a page or Slack: "locked by alice since 2026-11-28 14:02 UTC: incident 4711". */
    public String describe() {
        StringBuilder sb = new StringBuilder("locked by ").append(holder).append(" since ").append(WHEN.format(since));
        expires.ifPresent(e -> sb.append(" until ").append(WHEN.format(e)));
        if (!reason.isEmpty()) {
            sb.append(": ").append(reason);
        }
        return sb.toString();
    }
}
