package io.github.autodeploy.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.autodeploy.core.lifecycle.StatusUpdate;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.ContextReport;
import io.github.autodeploy.core.model.ContextState;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Requester;
import io.github.autodeploy.core.port.ApiException;
import io.github.autodeploy.core.port.CommitChecks;
import io.github.autodeploy.core.port.CreateResult;
import io.github.autodeploy.core.port.DeploymentApi;
import io.github.autodeploy.core.port.NewDeployment;
import io.github.autodeploy.core.port.RobotMetrics;
import io.github.autodeploy.core.port.StatusPost;
import io.github.autodeploy.core.port.UnfinishedDeployment;
import io.github.autodeploy.core.time.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * GitHub's REST API for the robot: creates deployments (and finds one whose create lost its answer),
 * posts their statuses, finds unfinished ones, and reads commit statuses and check runs. Authenticates with a token or as a GitHub App; sends
 * the token only to the configured base URL's host and follows no redirect. It makes each call once:
 * a failure worth retrying (a 5xx, a rate limit, a dropped connection) is an {@link ApiException}
 * that says so, with GitHub's requested wait, and the caller schedules the retry. Creating a
 * deployment is not idempotent: when its answer is lost after the request may have reached GitHub,
 * {@link #create} says {@link CreateResult.OutcomeUnknown} and {@link #find} tells whether it was made. Build one with
 * {@link #builder()}. Thread-safe.
 */
public final class GitHubClient implements DeploymentApi, CommitChecks {
    /** The version this library reports in its {@code User-Agent}. */
    public static final String VERSION = "0.1.0";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_PAGES = 10;
    private final GitHubTransport http;

    private GitHubClient(GitHubTransport http) {
        this.http = http;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CreateResult create(NewDeployment d) {
        ObjectNode body = JSON.createObjectNode();
        body.put("ref", d.sha().value());
        body.put("task", d.task());
        body.put("auto_merge", false);
        d.requiredContexts().names().ifPresent(names -> {
            ArrayNode a = body.putArray("required_contexts");
            names.forEach(a::add);
        });
        body.set("payload", JSON.valueToTree(d.payload()));
        body.put("environment", d.environment().value());
        body.put("description", StatusUpdate.shorten(d.description(), 140));
        HttpUrl url = http.url(repoPath(d.repository()) + "/deployments");
        GitHubTransport.Answer a;
        try {
            a = http.post(url, body.toString());
        } catch (GitHubTransport.MaybeReceived e) {
            return new CreateResult.OutcomeUnknown(e.getMessage());
        }
        JsonNode answer = parse(a.body(), "answer");
        String message = answer.path("message").asText("");
        switch (a.status()) {
            case 201:
                return new CreateResult.Created(DeploymentId.of(answer.path("id").asLong()));
            case 202:
                return new CreateResult.Rejected(message.isEmpty() ? "GitHub merged the default branch instead of deploying" : message);
            case 409:
                Map<String, ContextState> contexts = new LinkedHashMap<>();
                for (JsonNode error : answer.path("errors")) {
                    for (JsonNode c : error.path("contexts")) {
                        String state = c.path("state").asText("");
                        contexts.put(c.path("context").asText(), "pending".equals(state) ? ContextState.PENDING
                                : "error".equals(state) ? ContextState.ERROR : ContextState.fromConclusion(state));
                    }
                }
                return contexts.isEmpty() ? new CreateResult.Rejected(message) : new CreateResult.ChecksNotPassed(contexts, message);
            case 422:
                return new CreateResult.Rejected(message + errorDetails(answer));
            default:
                throw failure("POST", url, a);
        }
    }

    @Override
    public Optional<DeploymentId> find(NewDeployment d) {
        HttpUrl url = http.url(repoPath(d.repository()) + "/deployments").newBuilder()
                .addQueryParameter("sha", d.sha().value()).addQueryParameter("environment", d.environment().value())
                .addQueryParameter("per_page", "100").build();
        JsonNode wanted = normalized(JSON.valueToTree(d.payload()));
        for (JsonNode found : pages(url, n -> n)) {
            if (d.sha().value().equals(found.path("sha").asText()) && d.environment().value().equals(found.path("environment").asText())
                    && wanted.equals(normalized(found.path("payload")))) {
                return Optional.of(DeploymentId.of(found.path("id").asLong()));
            }
        }
        return Optional.empty();
    }

    /** The same JSON read back from text, so that numbers compare by value rather than by Java type. */
    private static JsonNode normalized(JsonNode n) {
        return parse(n.toString(), "payload");
    }

    @Override
    public java.util.OptionalInt rateLimitRemaining() {
        return http.rateLimitRemaining();
    }

    @Override
    public void postStatus(RepositoryName repository, DeploymentId id, StatusPost status) {
        ObjectNode body = JSON.createObjectNode();
        body.put("state", status.update().state().apiValue());
        body.put("description", StatusUpdate.shorten(status.update().description(), StatusUpdate.MAX_DESCRIPTION));
        body.put("log_url", status.logUrl());
        body.put("auto_inactive", true);
        HttpUrl url = http.url(repoPath(repository) + "/deployments/" + id + "/statuses");
        GitHubTransport.Answer a = http.post(url, body.toString());
        if (a.status() != 201) {
            throw failure("POST", url, a);
        }
    }

    @Override
    public List<UnfinishedDeployment> listUnfinished(RepositoryName repository, EnvironmentName environment) {
        HttpUrl url = http.url(repoPath(repository) + "/deployments").newBuilder()
                .addQueryParameter("environment", environment.value()).addQueryParameter("per_page", "100").build();
        List<UnfinishedDeployment> out = new ArrayList<>();
        // The newest hundred are enough: what a restart left unfinished is recent, and each costs a call.
        for (JsonNode d : pages(url, n -> n, 1)) {
            Deployment deployment = deployment(repository, d);
            HttpUrl statuses = http.url(repoPath(repository) + "/deployments/" + deployment.id() + "/statuses")
                    .newBuilder().addQueryParameter("per_page", "1").build();
            GitHubTransport.Answer a = http.get(statuses);
            if (a.status() != 200) {
                throw failure("GET", statuses, a);
            }
            JsonNode newest = parse(a.body(), "statuses").path(0);
            DeploymentState state = DeploymentState.fromGitHub(newest.path("state").asText(null));
            if (state == DeploymentState.QUEUED || state == DeploymentState.IN_PROGRESS) {
                String log = newest.path("log_url").asText(newest.path("target_url").asText(""));
                out.add(new UnfinishedDeployment(deployment, state, log.isEmpty() ? Optional.empty() : Optional.of(log)));
            }
        }
        return out;
    }

    @Override
    public List<ContextReport> reports(RepositoryName repository, CommitSha sha) {
        String commit = repoPath(repository) + "/commits/" + sha;
        List<ContextReport> reports = new ArrayList<>();
        for (JsonNode s : pages(http.url(commit + "/statuses").newBuilder().addQueryParameter("per_page", "100").build(), n -> n)) {
            reports.add(new ContextReport(s.path("context").asText("default"),
                    ContextState.fromCommitStatus(s.path("state").asText(null)),
                    time(s, "updated_at", "created_at"), ContextReport.Source.COMMIT_STATUS));
        }
        for (JsonNode r : pages(http.url(commit + "/check-runs").newBuilder().addQueryParameter("per_page", "100").build(),
                n -> n.path("check_runs"))) {
            reports.add(new ContextReport(r.path("name").asText("check"),
                    ContextState.fromCheckRun(r.path("status").asText(null), r.path("conclusion").asText(null)),
                    time(r, "completed_at", "started_at"), ContextReport.Source.CHECK_RUN));
        }
        return reports;
    }

    private List<JsonNode> pages(HttpUrl first, Function<JsonNode, JsonNode> items) {
        return pages(first, items, MAX_PAGES);
    }

    private List<JsonNode> pages(HttpUrl first, Function<JsonNode, JsonNode> items, int maxPages) {
        List<JsonNode> out = new ArrayList<>();
        Optional<HttpUrl> url = Optional.of(first);
        for (int page = 0; page < maxPages && url.isPresent(); page++) {
            GitHubTransport.Answer a = http.get(url.get());
            if (a.status() != 200) {
                throw failure("GET", url.get(), a);
            }
            items.apply(parse(a.body(), "page")).forEach(out::add);
            url = a.next();
        }
        return out;
    }

    private static Deployment deployment(RepositoryName repository, JsonNode d) {
        try {
            String task = d.path("task").asText("deploy");
            JsonNode payload = d.path("payload");
            return new Deployment(repository, DeploymentId.of(d.path("id").asLong()), CommitSha.of(d.path("sha").asText()),
                    GitRef.of(d.path("ref").asText()), EnvironmentName.of(d.path("environment").asText()),
                    task.isBlank() ? "deploy" : task, Requester.of(d.path("creator").path("login").asText("ghost")),
                    payload.isMissingNode() || payload.isNull() ? "{}" : payload.toString(), d.path("description").asText(""));
        } catch (RuntimeException e) {
            throw new ApiException("GitHub listed a deployment the robot cannot read: " + e.getMessage(), false);
        }
    }

    private static Instant time(JsonNode n, String field, String fallback) {
        String t = n.path(field).asText(n.path(fallback).asText(""));
        try {
            return t.isEmpty() ? Instant.EPOCH : Instant.parse(t);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    private static JsonNode parse(String json, String what) {
        if (json == null || json.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new ApiException("GitHub's " + what + " is not JSON", false);
        }
    }

    private static String errorDetails(JsonNode answer) {
        List<String> details = new ArrayList<>();
        for (JsonNode e : answer.path("errors")) {
            details.add(e.isTextual() ? e.asText() : e.path("message").asText(e.path("field").asText("") + " " + e.path("code").asText("")).strip());
        }
        return details.isEmpty() ? "" : " (" + String.join("; ", details) + ")";
    }

    private static ApiException failure(String method, HttpUrl url, GitHubTransport.Answer a) {
        String message = parse(a.body(), "error").path("message").asText("");
        // Answers worth retrying (5xx, rate limits) were already reported as such by the transport.
        return new ApiException(method + " " + url.encodedPath() + " answered " + a.status()
                + (message.isEmpty() ? "" : ": " + message), false);
    }

    private static String repoPath(RepositoryName r) {
        return "/repos/" + r.owner() + "/" + r.name();
    }

    /** Configures a client; {@link #build()} checks it. Not thread-safe. */
    public static final class Builder {
        private String baseUrl = "https://api.github.com";
        private String token;
        private Long appId;
        private Long installationId;
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

        /**
         * {@code https://api.github.com}, or {@code https://HOST/api/v3} for GitHub Enterprise Server. An
         * {@code http://} URL is refused unless it points at this machine (a test server) or {@link
         * #allowPlainHttp()} is called: the token would travel in clear.
         */
        public Builder baseUrl(String url) { this.baseUrl = url; return this; }

        /** A personal access token or any token with deployments and statuses access. */
        public Builder token(String token) { this.token = token; return this; }

        /** Authenticate as a GitHub App installation instead of with a token. */
        public Builder app(long appId, long installationId, String privateKeyPem) {
            this.appId = appId;
            this.installationId = installationId;
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

        /** Where the client reads the time (rate-limit resets, App token expiry); default {@link TimeSource#system()}. */
        public Builder timeSource(TimeSource time) { this.time = time; return this; }

        /** Accepts an {@code http://} base URL on another host, sending the token in clear; only inside a trusted network. */
        public Builder allowPlainHttp() { this.allowPlainHttp = true; return this; }

        /** Where calls (by operation and answer) and the rate-limit remaining are reported; default none. */
        public Builder metrics(RobotMetrics metrics) { this.metrics = metrics; return this; }

        public GitHubClient build() {
            HttpUrl base = checkedBase(baseUrl, allowPlainHttp, "token");
            if ((token == null) == (appId == null)) {
                throw new IllegalStateException("give the GitHub client either token(...) or app(...), not both or neither");
            }
            if (metrics == null) {
                throw new IllegalStateException("the GitHub client needs metrics; leave metrics(...) out for none");
            }
            if (time == null) {
                throw new IllegalStateException("the GitHub client needs a time source; leave timeSource(...) out for the system's");
            }
            OkHttpClient given = okHttp;
            Duration connect = connectTimeout;
            Duration read = readTimeout;
            Duration call = callTimeout;
            // Built at the first call, not here: see GitHubTransport.lazily.
            boolean https = base.isHttps();
            Supplier<OkHttpClient> client = GitHubTransport.lazily(() -> (given == null ? fresh(https) : given.newBuilder())
                    .connectTimeout(connect).readTimeout(read).callTimeout(call).build());
            String userAgent = userAgent();
            if (token != null) {
                String auth = "Bearer " + token;
                return new GitHubClient(GitHubTransport.create(client, base, () -> auth, userAgent, time, metrics, true));
            }
            AppTokens tokens = new AppTokens(appId, installationId, privateKeyPem, time.asClock());
            tokens.use(jwt -> GitHubTransport.create(client, base, () -> jwt, userAgent, time, metrics, false));
            return new GitHubClient(GitHubTransport.create(client, base, tokens::authorization, userAgent, time, metrics, true));
        }

        /**
         * A new client's builder: for an {@code http://} base URL (a test server, a proxy inside a trusted network)
         * without TLS, so that building it does not load the JDK's trust store and TLS context it would never use.
         */
        static OkHttpClient.Builder fresh(boolean https) {
            return https ? new OkHttpClient.Builder() : new OkHttpClient.Builder().connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        }

        /**
         * The API base URL, refused when it is not an http(s) URL, or plain http to another host (which
         * would send {@code credential} in clear) unless {@code allowPlainHttp}.
         */
        static HttpUrl checkedBase(String baseUrl, boolean allowPlainHttp, String credential) {
            HttpUrl base = HttpUrl.parse(baseUrl == null ? "" : baseUrl);
            if (base == null) {
                throw new IllegalStateException("GitHub base URL \"" + baseUrl + "\" is not an http(s) URL; use https://api.github.com or https://HOST/api/v3");
            }
            if (!base.isHttps() && !allowPlainHttp && !loopback(base.host())) {
                throw new IllegalStateException("GitHub base URL \"" + baseUrl + "\" is plain http, so the " + credential + " would travel "
                        + "in clear; use https://" + base.host() + base.encodedPath() + " (or allowPlainHttp() inside a trusted network)");
            }
            return base;
        }

        /** What every request of the robot names itself as. */
        static String userAgent() {
            return "autodeploy/" + VERSION + " (+https://github.com/autodeploy/autodeploy)";
        }

        /** localhost or a loopback address literal; no name is looked up. */
        static boolean loopback(String host) {
            return host.equals("localhost") || host.endsWith(".localhost") || host.matches("127(\\.\\d{1,3}){3}")
                    || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1");
        }
    }
}
