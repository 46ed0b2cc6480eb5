package io.github.autodeploy.github;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import okhttp3.Headers;

/**
 * What an answer from GitHub means for the caller: an answer to read (success or a refusal the caller
 * interprets, such as 409 or 422), or a failure worth trying again later, with how long GitHub asked
 * to wait. Follows GitHub's guidance on rate limits: honour {@code Retry-After}; when the primary
 * limit is spent, wait until {@code x-ratelimit-reset}; for a secondary rate limit that gives
 * neither, wait at least a minute.
 */
sealed interface Verdict {
    /** The longest wait GitHub's answer may impose; a wilder header is read as this. */
    Duration LONGEST_WAIT = Duration.ofHours(1);
    /** GitHub's advice for a secondary rate limit without headers. */
    Duration SECONDARY_LIMIT_WAIT = Duration.ofMinutes(1);

    /** The caller reads the answer. */
    record Read() implements Verdict {
    }

    /** The same call may succeed later, not before {@code after} when GitHub said. */
    record Retry(Optional<Duration> after, String why) implements Verdict {
    }

    static Verdict of(int status, Headers headers, String body, Instant now) {
        boolean spent = "0".equals(headers.get("x-ratelimit-remaining"));
        Optional<Duration> retryAfter = seconds(headers.get("Retry-After"));
        boolean secondary = body.toLowerCase(Locale.ROOT).contains("secondary rate limit")
                || body.toLowerCase(Locale.ROOT).contains("abuse detection");
        if (status == 429 || (status == 403 && (spent || secondary || retryAfter.isPresent()))) {
            Optional<Duration> untilReset = spent ? seconds(headers.get("x-ratelimit-reset"))
                    .map(epoch -> Duration.ofSeconds(Math.max(1, epoch.toSeconds() - now.getEpochSecond()))) : Optional.empty();
            Duration wait = retryAfter.or(() -> untilReset).orElse(SECONDARY_LIMIT_WAIT);
            return new Retry(Optional.of(clamp(wait)), "rate limited (" + status + ")");
        }
        if (status >= 500 || status == 408) {
            return new Retry(Optional.empty(), "answered " + status);
        }
        return new Read();
    }

    private static Optional<Duration> seconds(String header) {
        if (header == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(header.strip())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Duration clamp(Duration d) {
        return d.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : d.isNegative() ? Duration.ZERO : d;
    }
}
