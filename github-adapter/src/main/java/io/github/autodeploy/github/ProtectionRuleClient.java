package io.github.autodeploy.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.autodeploy.core.port.ApiException;
import io.github.autodeploy.core.port.ProtectionRuleApi;
import io.github.autodeploy.core.port.ProtectionRuleResult;
import io.github.autodeploy.core.port.ProtectionRuleTarget;
import io.github.autodeploy.core.port.RobotMetrics;
import io.github.autodeploy.core.time.TimeSource;
import java.io.IOException;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Answers GitHub Actions' custom deployment protection rules as a GitHub App: reviews (approve or reject)
 * and status reports go to {@code POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule}
 * of the configured API, with an installation token of the target's installation (fetched per
 * installation and cached until five minutes before it expires). Without an App it sends nothing and
 * answers {@link ProtectionRuleResult.NotConfigured}: a personal access token is never used here. Each
 * request is sent once and never retried: a lost answer is {@link ProtectionRuleResult.OutcomeUnknown}.
 * Reports are counted per target in this instance (at most {@value ProtectionRuleApi#MAX_REPORTS}, the
 * ones that may have reached GitHub). Build one with {@link #builder()}. Thread-safe.
 */
public final class ProtectionRuleClient implements ProtectionRuleApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Targets whose report counts are kept; the oldest are forgotten beyond this (a run waits for days at most). */
    private static final int COUNTED_TARGETS = 10_000;
    private final Optional<App> app;
    private final Map<Long, Installation> installations = new ConcurrentHashMap<>();
    private final Map<ProtectionRuleTarget, Integer> reports = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<ProtectionRuleTarget, Integer> eldest) {
            return size() > COUNTED_TARGETS;
        }
    };

    /** The App and how to reach GitHub as it. */
    private record App(long appId, PrivateKey key, OkHttpClient client, HttpUrl base, String userAgent, TimeSource time,
                       RobotMetrics metrics) {
    }

    /** One installation's token and the transport that sends it. */
    private record Installation(AppTokens tokens, GitHubTransport http) {
    }

    private ProtectionRuleClient(Optional<App> app) {
        this.app = app;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean configured() {
        return app.isPresent();
    }

    @Override
    public ProtectionRuleResult review(ProtectionRuleTarget target, Decision decision, String comment) {
        ObjectNode body = JSON.createObjectNode();
        body.put("environment_name", target.environment().value());
        body.put("state", decision.apiValue());
        body.put("comment", ProtectionRuleApi.fit(comment));
        return send(target, body);
    }

    @Override
    public ProtectionRuleResult report(ProtectionRuleTarget target, String markdown) {
        synchronized (reports) {
            int sent = reports.getOrDefault(target, 0);
            if (sent >= MAX_REPORTS) {
                return new ProtectionRuleResult.LimitReached(target + " already has " + sent
                        + " status reports, GitHub's limit per deployment; this one was not sent");
            }
            reports.put(target, sent + 1);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("environment_name", target.environment().value());
        body.put("comment", ProtectionRuleApi.fit(markdown));
        ProtectionRuleResult result;
        try {
            result = send(target, body);
        } catch (RuntimeException e) {
            unreserve(target);
            throw e;
        }
        if (!(result instanceof ProtectionRuleResult.Sent) && !(result instanceof ProtectionRuleResult.OutcomeUnknown)) {
            unreserve(target);
        }
        return result;
    }

    private void unreserve(ProtectionRuleTarget target) {
        synchronized (reports) {
            reports.computeIfPresent(target, (t, n) -> n <= 1 ? null : n - 1);
        }
    }

    private ProtectionRuleResult send(ProtectionRuleTarget target, ObjectNode body) {
        if (app.isEmpty()) {
            return new ProtectionRuleResult.NotConfigured("no GitHub App is configured, so " + target
                    + " cannot be answered; protection rules need the App's id and private key (a token is never used for them)");
        }
        if (target.installationId().isEmpty()) {
            return new ProtectionRuleResult.NotConfigured("the event for " + target + " named no App installation; "
                    + "install the GitHub App on the repository and subscribe it to deployment protection rule events");
        }
        long id = target.installationId().getAsLong();
        Installation installation = installations.computeIfAbsent(id, this::installation);
        try {
            installation.tokens().authorization();
        } catch (ApiException e) {
            if (!e.retryable()) {
                return new ProtectionRuleResult.NotConfigured("GitHub gave no token for installation " + id + ": " + e.getMessage());
            }
            throw new ApiException("no token for installation " + id + " yet, nothing sent: " + e.getMessage(), true,
                    e.retryAfter(), null);
        }
        GitHubTransport http = installation.http();
        HttpUrl url = http.url("/repos/" + target.repository().owner() + "/" + target.repository().name()
                + "/actions/runs/" + target.runId() + "/deployment_protection_rule");
        GitHubTransport.Answer a;
        try {
            a = http.post(url, body.toString());
        } catch (GitHubTransport.MaybeReceived e) {
            return new ProtectionRuleResult.OutcomeUnknown(e.getMessage() + "; not sent again, it may have reached GitHub");
        }
        if (a.status() >= 200 && a.status() < 300) {
            return new ProtectionRuleResult.Sent();
        }
        return new ProtectionRuleResult.Refused(a.status(), message(a));
    }

    private Installation installation(long id) {
        App a = app.orElseThrow();
        AppTokens tokens = new AppTokens(a.appId(), id, a.key(), a.time().asClock());
        tokens.use(jwt -> GitHubTransport.create(a.client(), a.base(), () -> jwt, a.userAgent(), a.time(), a.metrics(), false));
        // The token is fetched before each request is sent; a failure here must not look like a lost answer.
        GitHubTransport http = GitHubTransport.create(a.client(), a.base(), () -> {
            try {
                return tokens.authorization();
            } catch (ApiException e) {
                throw new ApiException(e.getMessage(), e.retryable(), e.retryAfter(), null);
            }
        }, a.userAgent(), a.time(), a.metrics(), true);
        return new Installation(tokens, http);
    }

    private static String message(GitHubTransport.Answer a) {
        String text = "";
        try {
            JsonNode body = a.body() == null || a.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(a.body());
            text = body.path("message").asText("");
            StringBuilder details = new StringBuilder();
            for (JsonNode e : body.path("errors")) {
                details.append(details.length() == 0 ? " (" : "; ")
                        .append(e.isTextual() ? e.asText() : e.path("message").asText(e.path("code").asText("")));
            }
            text += details.length() == 0 ? "" : details + ")";
        } catch (IOException e) {
            // Not JSON: the status says enough.
        }
        return text.isBlank() ? "GitHub answered " + a.status() : text;
    }

    /** Configures a client; {@link #build()} checks it. Not thread-safe. */
    public static final class Builder {
        private String baseUrl = "https://api.github.com";
        private Long appId;
        private String privateKeyPem;
        private OkHttpClient okHttp;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration callTimeout = Duration.ofSeconds(60);
        private TimeSource time = TimeSource.system();
        private boolean allowPlainHttp;
        private RobotMetrics metrics = RobotMetrics.none();

        private Builder() {
        }

        /** {@code https://api.github.com} (the default), or {@code https://HOST/api/v3}; plain http as {@link GitHubClient.Builder#baseUrl} allows it. */
        public Builder baseUrl(String url) { this.baseUrl = url; return this; }

        /** The GitHub App that is the protection rule; without it every call answers {@link ProtectionRuleResult.NotConfigured}. */
        public Builder app(long appId, String privateKeyPem) {
            this.appId = appId;
            this.privateKeyPem = privateKeyPem;
            return this;
        }

        /** An OkHttp client to share connection pools with; timeouts below are applied to a copy. */
        public Builder okHttpClient(OkHttpClient client) { this.okHttp = client; return this; }

        public Builder timeouts(Duration connect, Duration read, Duration call) {
            this.connectTimeout = connect;
            this.readTimeout = read;
            this.callTimeout = call;
            return this;
        }

        /** Where the client reads the time (token expiry, rate-limit resets); default {@link TimeSource#system()}. */
        public Builder timeSource(TimeSource time) { this.time = time; return this; }

        /** Accepts an {@code http://} base URL on another host; only inside a trusted network. */
        public Builder allowPlainHttp() { this.allowPlainHttp = true; return this; }

        /** Where calls are reported (operation {@code deployment_protection_rule}); default none. */
        public Builder metrics(RobotMetrics metrics) { this.metrics = metrics; return this; }

        public ProtectionRuleClient build() {
            HttpUrl base = GitHubClient.Builder.checkedBase(baseUrl, allowPlainHttp, "installation token");
            if (metrics == null || time == null) {
                throw new IllegalStateException("the protection rule client needs metrics and a time source; leave them out for the defaults");
            }
            if (appId == null) {
                return new ProtectionRuleClient(Optional.empty());
            }
            if (privateKeyPem == null) {
                throw new IllegalStateException("app(...) needs the App's private key (the .pem file GitHub gave you)");
            }
            PrivateKey key = AppTokens.privateKey(privateKeyPem);
            OkHttpClient client = (okHttp == null ? new OkHttpClient() : okHttp).newBuilder()
                    .connectTimeout(connectTimeout).readTimeout(readTimeout).callTimeout(callTimeout).build();
            return new ProtectionRuleClient(Optional.of(new App(appId, key, client, base, GitHubClient.Builder.userAgent(), time,
                    metrics)));
        }
    }
}
