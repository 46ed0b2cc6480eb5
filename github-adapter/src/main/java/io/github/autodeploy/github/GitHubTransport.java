package io.github.autodeploy.github;

import io.github.autodeploy.core.port.ApiException;
import io.github.autodeploy.core.time.TimeSource;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import io.github.autodeploy.core.port.RobotMetrics;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Makes one call to GitHub's API and says what came of it: the answer to read, or an {@link
 * ApiException} that says whether and when the call may be tried again. It never retries or waits
 * itself: the caller's scheduler does. Headers, authorization and conditional GETs are the OkHttp
 * interceptors it is built with. Thread-safe.
 */
final class GitHubTransport {
    static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private final Supplier<OkHttpClient> client;
    private final HttpUrl base;
    /** {@link #base} as text without a final slash, what {@link #url(String)} puts paths after. */
    private final String baseText;
    private final TimeSource time;
    private final RobotMetrics metrics;
    /** Whether this transport's answers speak for the client's rate limit (an App's JWT calls have their own). */
    private final boolean countsRateLimit;
    /** GitHub's last {@code X-RateLimit-Remaining}; -1 until one was seen. */
    private final AtomicInteger rateLimitRemaining = new AtomicInteger(-1);

    /**
     * A call that failed after its request may have reached GitHub: the connection broke once the request
     * was on its way, or GitHub answered a server error. For a request that is not idempotent the outcome
     * is unknown; it is still retryable as an {@link ApiException} for those that are.
     */
    static final class MaybeReceived extends ApiException {
        private static final long serialVersionUID = 1L;

        MaybeReceived(String message, Optional<Duration> retryAfter, Throwable cause) {
            super(message, true, retryAfter, cause);
        }
    }

    /** What a call answered: status, body text, and the next page, if any. */
    record Answer(int status, String body, Optional<HttpUrl> next) {
    }

    private GitHubTransport(Supplier<OkHttpClient> client, HttpUrl base, TimeSource time, RobotMetrics metrics,
                            boolean countsRateLimit) {
        this.metrics = metrics;
        this.countsRateLimit = countsRateLimit;
        this.client = client;
        this.base = base;
        String b = base.toString();
        this.baseText = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.time = time;
    }

    /**
     * A transport on {@code shared}'s connection pool that sends {@code authorization} to {@code base}
     * only, follows no redirect, and retries nothing.
     */
    static GitHubTransport create(OkHttpClient shared, HttpUrl base, Supplier<String> authorization, String userAgent,
                                  TimeSource time, RobotMetrics metrics, boolean countsRateLimit) {
        return create(() -> shared, base, authorization, userAgent, time, metrics, countsRateLimit);
    }

    /** As {@link #create(OkHttpClient, HttpUrl, Supplier, String, TimeSource, RobotMetrics, boolean)}, {@code shared} asked for at the first call. */
    static GitHubTransport create(Supplier<OkHttpClient> shared, HttpUrl base, Supplier<String> authorization, String userAgent,
                                  TimeSource time, RobotMetrics metrics, boolean countsRateLimit) {
        Supplier<OkHttpClient> client = lazily(() -> shared.get().newBuilder()
                .followRedirects(false).followSslRedirects(false).retryOnConnectionFailure(false)
                .addInterceptor(new GitHubHeaders(userAgent))
                .addInterceptor(new TokenAuthorization(base, authorization))
                .addInterceptor(new ConditionalGets())
                .build());
        return new GitHubTransport(client, base, time, metrics, countsRateLimit);
    }

    /**
     * {@code make}'s value, made once, at the first {@code get()}: an OkHttp client loads the JDK's trust store
     * and TLS context when it is built, a good part of a robot's start, which then waits for the first call.
     */
    static <T> Supplier<T> lazily(Supplier<T> make) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T v = value;
                if (v == null) {
                    synchronized (this) {
                        v = value;
                        if (v == null) {
                            v = make.get();
                            value = v;
                        }
                    }
                }
                return v;
            }
        };
    }

    HttpUrl url(String path) {
        HttpUrl u = HttpUrl.parse(baseText + path);
        if (u == null) {
            throw new IllegalArgumentException("not a URL path: " + path);
        }
        return u;
    }

    Answer get(HttpUrl url) {
        return call(new Request.Builder().url(url).get().build());
    }

    Answer post(HttpUrl url, String json) {
        return call(new Request.Builder().url(url).post(RequestBody.create(json, JSON)).build());
    }

    private Answer call(Request request) {
        String what = request.method() + " " + request.url().encodedPath();
        if (!TokenAuthorization.sameOrigin(request.url(), base)) {
            throw new ApiException("refusing to call " + request.url().host() + ": the GitHub client only calls "
                    + base.host(), false);
        }
        String operation = operation(request.method(), request.url().encodedPath());
        try (Response response = client.get().newCall(request).execute()) {
            String body = response.body().string();
            Verdict verdict = Verdict.of(response.code(), response.headers(), body, time.now());
            measure(operation, response, verdict);
            if (verdict instanceof Verdict.Retry retry) {
                String message = what + " " + retry.why() + retry.after().map(d -> "; retry in " + d.toSeconds() + "s").orElse("");
                // A server error may come after GitHub acted on the request; a rate limit means it did not.
                throw response.code() >= 500 || response.code() == 408
                        ? new MaybeReceived(message, retry.after(), null)
                        : new ApiException(message, true, retry.after(), null);
            }
            return new Answer(response.code(), body, nextPage(response.header("Link")));
        } catch (ConnectException | UnknownHostException | NoRouteToHostException e) {
            metrics.githubCall(operation, "io_error");
            throw new ApiException(what + " failed: " + e, true, Optional.empty(), e);
        } catch (IOException e) {
            // Anything later (a reset, a timeout) may have struck after GitHub received the request.
            metrics.githubCall(operation, "io_error");
            throw new MaybeReceived(what + " failed: " + e, Optional.empty(), e);
        }
    }

    /** GitHub's last {@code X-RateLimit-Remaining} on this transport; empty until an answer carried one. */
    OptionalInt rateLimitRemaining() {
        int r = rateLimitRemaining.get();
        return r < 0 ? OptionalInt.empty() : OptionalInt.of(r);
    }

    private void measure(String operation, Response response, Verdict verdict) {
        int code = response.code();
        boolean limited = verdict instanceof Verdict.Retry && (code == 403 || code == 429);
        metrics.githubCall(operation, limited ? "rate_limited" : Math.min(Math.max(code / 100, 1), 5) + "xx");
        String remaining = response.header("X-RateLimit-Remaining");
        if (countsRateLimit && remaining != null) {
            try {
                int r = Integer.parseInt(remaining.strip());
                if (r >= 0) {
                    rateLimitRemaining.set(r);
                    metrics.githubRateLimitRemaining(r);
                }
            } catch (NumberFormatException e) {
                // Not a number: nothing to tell.
            }
        }
    }

    /** A low-cardinality name of the call: what it does, never which repository or sha. */
    static String operation(String method, String path) {
        boolean post = method.equals("POST");
        if (path.endsWith("/access_tokens")) {
            return "installation_token";
        } else if (path.endsWith("/deployment_protection_rule")) {
            return "deployment_protection_rule";
        } else if (path.endsWith("/statuses") && numberBefore(path, "/deployments/", path.length() - "/statuses".length())) {
            return post ? "create_deployment_status" : "list_deployment_statuses";
        } else if (path.endsWith("/deployments")) {
            return post ? "create_deployment" : "list_deployments";
        } else if (segmentAfterCommits(path, "/statuses") || segmentAfterCommits(path, "/status")) {
            return "commit_statuses";
        } else if (segmentAfterCommits(path, "/check-runs")) {
            return "check_runs";
        }
        return "other";
    }

    /** Whether {@code path} has {@code prefix} followed by one or more digits ending at {@code end} (plain checks, no regex). */
    private static boolean numberBefore(String path, String prefix, int end) {
        int i = end;
        while (i > 0 && Character.isDigit(path.charAt(i - 1)) && path.charAt(i - 1) < 128) {
            i--;
        }
        return i < end && path.startsWith(prefix, i - prefix.length()) && i - prefix.length() >= 0;
    }

    /** Whether {@code path} ends with {@code /commits/SEGMENT} and then {@code suffix}, SEGMENT one or more characters but no slash. */
    private static boolean segmentAfterCommits(String path, String suffix) {
        if (!path.endsWith(suffix)) {
            return false;
        }
        int end = path.length() - suffix.length();
        int slash = path.lastIndexOf('/', end - 1);
        return slash >= 0 && slash < end - 1 && path.startsWith("/commits", slash - "/commits".length())
                && slash - "/commits".length() >= 0;
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
