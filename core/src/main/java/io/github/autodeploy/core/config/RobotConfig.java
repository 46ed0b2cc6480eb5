package io.github.autodeploy.core.config;

import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated configuration with every default applied: what the engine and adapters are built
 * from. Immutable and thread-safe.
 *
 * @param githubApiUrl  GitHub's REST API base URL, without a trailing slash
 * @param githubToken   absent: statuses are kept locally, auto-deploy is off
 * @param publicUrl     where people reach the robot, without a trailing slash
 * @param environmentValues values taken from the environment into keys that may carry a secret; masked
 * @param store         where deployments, logs and delivery ids are kept
 * @param githubApp     the GitHub App that answers deployment protection rules; empty: none is answered
 */
public record RobotConfig(
        String githubApiUrl,
        Optional<String> githubToken,
        List<String> webhookSecrets,
        boolean legacySha1Signatures,
        Optional<String> slackWebhookUrl,
        String publicUrl,
        List<EnvironmentRule> rules,
        Engine engine,
        List<String> environmentValues,
        Store store,
        Optional<GitHubApp> githubApp) {

    /** A configuration without a GitHub App (no protection rules are answered). */
    public RobotConfig(String githubApiUrl, Optional<String> githubToken, List<String> webhookSecrets,
                       boolean legacySha1Signatures, Optional<String> slackWebhookUrl, String publicUrl,
                       List<EnvironmentRule> rules, Engine engine, List<String> environmentValues, Store store) {
        this(githubApiUrl, githubToken, webhookSecrets, legacySha1Signatures, slackWebhookUrl, publicUrl, rules, engine,
                environmentValues, store, Optional.empty());
    }

    public static final String DEFAULT_GITHUB_API_URL = "https://api.github.com";
    public static final String DEFAULT_PUBLIC_URL = "http://localhost:8080";

    /**
     * Engine limits.
     *
     * @param workers        lanes that may run at once
     * @param queueCapacity  deployments waiting at most, over all lanes
     * @param shutdownGrace  how long closing lets running work finish
     * @param historyLimit   deployments kept in memory for the pages
     * @param logLimitBytes  log kept per deployment (the tail)
     */
    public record Engine(int workers, int queueCapacity, Duration shutdownGrace, int historyLimit, long logLimitBytes) {
        public static Engine defaults() {
            return new Engine(4, 100, Duration.ofSeconds(30), 500, 1024 * 1024);
        }
    }

    /**
     * Where the robot keeps what it knows.
     *
     * @param url          {@code memory}, {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://HOST:PORT/DB} as
     *                     written (a relative SQLite file is relative to the configuration file, which core does not
     *                     know); empty: the default of whoever loads the configuration (SQLite beside the file, or
     *                     memory without one)
     * @param user         PostgreSQL's user, when the URL does not name it
     * @param password     PostgreSQL's password, when the URL does not hold it; a secret
     * @param retention    how long finished deployments (and their logs) are kept
     * @param dedupeWindow how long delivery ids are remembered to spot redeliveries
     * @param leaseTimeout how soon another node takes over what a node that died was doing
     * @param logBudgetBytes what all deployments' logs together may hold in a database store
     * @param syncEveryAccept on SQLite, whether an accepted delivery is synced to disk before it is answered
     *                     ({@code store.sync: full}, survives a power cut) or only written to the file
     *                     ({@code normal}, survives the robot being killed, not a power cut or an OS crash)
     */
    public record Store(Optional<String> url, Optional<String> user, Optional<String> password, Duration retention,
                        Duration dedupeWindow, Duration leaseTimeout, long logBudgetBytes, boolean syncEveryAccept) {
        /** What all logs together may hold unless told otherwise: 1 GiB. */
        public static final long DEFAULT_LOG_BUDGET_BYTES = 1L << 30;

        /** With the default log budget, every accept synced. */
        public Store(Optional<String> url, Optional<String> user, Optional<String> password, Duration retention,
                     Duration dedupeWindow, Duration leaseTimeout) {
            this(url, user, password, retention, dedupeWindow, leaseTimeout, DEFAULT_LOG_BUDGET_BYTES);
        }

        /** Every accept synced. */
        public Store(Optional<String> url, Optional<String> user, Optional<String> password, Duration retention,
                     Duration dedupeWindow, Duration leaseTimeout, long logBudgetBytes) {
            this(url, user, password, retention, dedupeWindow, leaseTimeout, logBudgetBytes, true);
        }

        public Store {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(retention, "retention");
            Objects.requireNonNull(dedupeWindow, "dedupeWindow");
            Objects.requireNonNull(leaseTimeout, "leaseTimeout");
        }

        public static Store defaults() {
            return new Store(Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofDays(90), Duration.ofDays(7),
                    Duration.ofSeconds(30), DEFAULT_LOG_BUDGET_BYTES, true);
        }

        /** The URL as written with any password masked, or "the default" when none is written: for messages. */
        public String describe() {
            return url.map(StoreUrls::mask).orElse("the default");
        }

        /** The passwords of this store ({@code password} and any in the URL): secrets. */
        List<String> secrets() {
            List<String> secrets = new ArrayList<>();
            password.ifPresent(secrets::add);
            url.ifPresent(u -> secrets.addAll(StoreUrls.passwords(u)));
            return secrets;
        }
    }

    public RobotConfig {
        Objects.requireNonNull(githubApiUrl, "githubApiUrl");
        Objects.requireNonNull(githubToken, "githubToken");
        webhookSecrets = List.copyOf(webhookSecrets);
        Objects.requireNonNull(slackWebhookUrl, "slackWebhookUrl");
        Objects.requireNonNull(publicUrl, "publicUrl");
        rules = List.copyOf(rules);
        Objects.requireNonNull(engine, "engine");
        environmentValues = List.copyOf(environmentValues);
        Objects.requireNonNull(store, "store");
    }

    /** A configuration with the default store. */
    public RobotConfig(String githubApiUrl, Optional<String> githubToken, List<String> webhookSecrets,
                       boolean legacySha1Signatures, Optional<String> slackWebhookUrl, String publicUrl,
                       List<EnvironmentRule> rules, Engine engine, List<String> environmentValues) {
        this(githubApiUrl, githubToken, webhookSecrets, legacySha1Signatures, slackWebhookUrl, publicUrl, rules, engine,
                environmentValues, Store.defaults());
    }

    /** A configuration without values from the environment. */
    public RobotConfig(String githubApiUrl, Optional<String> githubToken, List<String> webhookSecrets,
                       boolean legacySha1Signatures, Optional<String> slackWebhookUrl, String publicUrl,
                       List<EnvironmentRule> rules, Engine engine) {
        this(githubApiUrl, githubToken, webhookSecrets, legacySha1Signatures, slackWebhookUrl, publicUrl, rules, engine,
                List.of());
    }

    /** This configuration with links starting at {@code url} (without a trailing slash). */
    public RobotConfig withPublicUrl(String url) {
        return new RobotConfig(githubApiUrl, githubToken, webhookSecrets, legacySha1Signatures, slackWebhookUrl,
                url.endsWith("/") ? url.substring(0, url.length() - 1) : url, rules, engine, environmentValues, store, githubApp);
    }

    /** The rule for a repository and environment, if the robot owns that pair. */
    public Optional<EnvironmentRule> rule(RepositoryName repository, EnvironmentName environment) {
        // A loop, not a stream: this runs for every delivery.
        for (EnvironmentRule r : rules) {
            if (r.repository().equals(repository) && r.environment().equals(environment)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Whether any rule is for {@code repository}; unlike {@link #rules}, it builds no list (it runs for every delivery). */
    public boolean configures(RepositoryName repository) {
        for (EnvironmentRule r : rules) {
            if (r.repository().equals(repository)) {
                return true;
            }
        }
        return false;
    }

    /** Every rule of a repository; empty when it is not configured. */
    public List<EnvironmentRule> rules(RepositoryName repository) {
        List<EnvironmentRule> found = new ArrayList<>();
        for (EnvironmentRule r : rules) {
            if (r.repository().equals(repository)) {
                found.add(r);
            }
        }
        return List.copyOf(found);
    }

    /**
     * Every configured secret (token, webhook secrets, Slack webhook URLs, the store's password and any
     * password in its URL, and every value taken from the environment into a command or a credential):
     * what must never appear in a log, a status, a page or a message.
     */
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>(webhookSecrets);
        githubToken.ifPresent(secrets::add);
        githubApp.ifPresent(app -> secrets.add(app.privateKeyPem().strip()));
        slackWebhookUrl.ifPresent(secrets::add);
        rules.forEach(r -> r.slackWebhookUrl().ifPresent(secrets::add));
        secrets.addAll(environmentValues);
        secrets.addAll(store.secrets());
        return secrets.stream().filter(s -> !s.isEmpty()).distinct().toList();
    }
}
