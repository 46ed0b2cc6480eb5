package io.github.autodeploy.github;

import io.github.autodeploy.core.port.ApiException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests to GitHub's API: the headers GitHub asks for, the token on requests to the base
 * URL's host only, retries of connection failures and 5xx with backoff, rate-limit answers turned
 * into a retry hint for the caller, and conditional GETs with a small ETag cache. Thread-safe.
 */
final class Http {
    static final String API_VERSION = "2022-11-28";
    static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final Logger LOG = LoggerFactory.getLogger(Http.class);
    private static final Duration MAX_HINT = Duration.ofHours(1);
    private final OkHttpClient client;
    private final HttpUrl base;
    private final Supplier<String> authorization;
    private final String userAgent;
    private final int attempts;
    private final Duration backoff;
    private final Clock clock;
    private final Map<String, Cached> etags = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > 256;
        }
    };

    /** What a call answered: status, body text, and the next page, if any. */
    record Answer(int status, String body, Optional<HttpUrl> next, Map<String, String> headers) {
    }

    private record Cached(String etag, String body, Optional<HttpUrl> next) {
    }

    Http(OkHttpClient client, HttpUrl base, Supplier<String> authorization, String userAgent, int attempts,
         Duration backoff, Clock clock) {
        this.client = client;
        this.base = base;
        this.authorization = authorization;
        this.userAgent = userAgent;
        this.attempts = attempts;
        this.backoff = backoff;
        this.clock = clock;
    }

    HttpUrl url(String path) {
        HttpUrl u = HttpUrl.parse(base.toString().replaceAll("/$", "") + path);
        if (u == null) {
            throw new IllegalArgumentException("not a URL path: " + path);
        }
        return u;
    }

    Answer get(HttpUrl url) {
        return call("GET", url, null, true);
    }

    Answer post(HttpUrl url, String json) {
        return call("POST", url, json, false);
    }

    private Answer call(String method, HttpUrl url, String json, boolean conditional) {
        if (!sameOrigin(url)) {
            throw new ApiException("refusing to call " + url.host() + ": the GitHub client only calls " + base.host(), false);
        }
        Cached cached;
        synchronized (etags) {
            cached = conditional ? etags.get(url.toString()) : null;
        }
        IOException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Request.Builder rb = new Request.Builder().url(url)
                    .header("Accept", "application/vnd.github+json")
                    .header("X-GitHub-Api-Version", API_VERSION)
                    .header("User-Agent", userAgent)
                    .method(method, json == null ? null : RequestBody.create(json, JSON));
            String auth = authorization.get();
            if (auth != null) {
                rb.header("Authorization", auth);
            }
            if (cached != null) {
                rb.header("If-None-Match", cached.etag());
            }
            try (Response response = client.newCall(rb.build()).execute()) {
                int code = response.code();
                String body = response.body().string();
                if (code == 304 && cached != null) {
                    return new Answer(200, cached.body(), cached.next(), Map.of());
                }
                if (code >= 500 && attempt < attempts) {
                    LOG.warn("{} {} answered {}; retrying (attempt {} of {})", method, url.encodedPath(), code, attempt, attempts);
                    pause(attempt);
                    continue;
                }
                Optional<HttpUrl> next = nextPage(response.header("Link"));
                if (code == 403 || code == 429) {
                    Optional<Duration> hint = rateLimitWait(response);
                    if (hint.isPresent()) {
                        throw new ApiException(method + " " + url.encodedPath() + " was rate limited (" + code + "); retry in "
                                + hint.get().toSeconds() + "s", true, hint, null);
                    }
                }
                String etag = response.header("ETag");
                if (conditional && code == 200 && etag != null) {
                    synchronized (etags) {
                        etags.put(url.toString(), new Cached(etag, body, next));
                    }
                }
                Map<String, String> headers = new LinkedHashMap<>();
                response.headers().forEach(p -> headers.put(p.getFirst().toLowerCase(java.util.Locale.ROOT), p.getSecond()));
                return new Answer(code, body, next, headers);
            } catch (IOException e) {
                last = e;
                if (attempt < attempts) {
                    LOG.warn("{} {} failed: {}; retrying (attempt {} of {})", method, url.encodedPath(), e.toString(), attempt, attempts);
                    pause(attempt);
                }
            }
        }
        throw new ApiException(method + " " + url.encodedPath() + " failed after " + attempts + " attempts: " + last, true,
                Optional.empty(), last);
    }

    private boolean sameOrigin(HttpUrl url) {
        return url.scheme().equals(base.scheme()) && url.host().equals(base.host()) && url.port() == base.port();
    }

    private Optional<Duration> rateLimitWait(Response response) {
        String retryAfter = response.header("Retry-After");
        if (retryAfter != null) {
            try {
                return Optional.of(clamp(Duration.ofSeconds(Long.parseLong(retryAfter.strip()))));
            } catch (NumberFormatException e) {
                LOG.debug("Retry-After {} is not seconds", retryAfter);
            }
        }
        if ("0".equals(response.header("x-ratelimit-remaining"))) {
            String reset = response.header("x-ratelimit-reset");
            long wait = 60;
            if (reset != null) {
                try {
                    wait = Long.parseLong(reset.strip()) - Instant.now(clock).getEpochSecond();
                } catch (NumberFormatException e) {
                    LOG.debug("x-ratelimit-reset {} is not epoch seconds", reset);
                }
            }
            return Optional.of(clamp(Duration.ofSeconds(Math.max(1, wait))));
        }
        return Optional.empty();
    }

    private static Duration clamp(Duration d) {
        return d.compareTo(MAX_HINT) > 0 ? MAX_HINT : d.isNegative() ? Duration.ZERO : d;
    }

    private void pause(int attempt) {
        long millis = backoff.toMillis() << Math.min(attempt - 1, 10);
        millis = (long) (millis * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted while retrying a GitHub call", true);
        }
    }

    /** The {@code rel="next"} URL of a {@code Link} header. */
    static Optional<HttpUrl> nextPage(String link) {
        if (link == null) {
            return Optional.empty();
        }
        for (String part : link.split(",")) {
            String[] pieces = part.split(";");
            if (pieces.length >= 2 && pieces[0].strip().startsWith("<") && pieces[0].strip().endsWith(">")) {
                for (int i = 1; i < pieces.length; i++) {
                    if (pieces[i].strip().replace(" ", "").equals("rel=\"next\"")) {
                        String u = pieces[0].strip();
                        return Optional.ofNullable(HttpUrl.parse(u.substring(1, u.length() - 1)));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
