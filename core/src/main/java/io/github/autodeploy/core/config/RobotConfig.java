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
        List<String> environmentValues) {

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

    public RobotConfig {
        Objects.requireNonNull(githubApiUrl, "githubApiUrl");
        Objects.requireNonNull(githubToken, "githubToken");
        webhookSecrets = List.copyOf(webhookSecrets);
        Objects.requireNonNull(slackWebhookUrl, "slackWebhookUrl");
        Objects.requireNonNull(publicUrl, "publicUrl");
        rules = List.copyOf(rules);
        Objects.requireNonNull(engine, "engine");
        environmentValues = List.copyOf(environmentValues);
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
                url.endsWith("/") ? url.substring(0, url.length() - 1) : url, rules, engine, environmentValues);
    }

    /** The rule for a repository and environment, if the robot owns that pair. */
    public Optional<EnvironmentRule> rule(RepositoryName repository, EnvironmentName environment) {
        return rules.stream()
                .filter(r -> r.repository().equals(repository) && r.environment().equals(environment))
                .findFirst();
    }

    /** Every rule of a repository; empty when it is not configured. */
    public List<EnvironmentRule> rules(RepositoryName repository) {
        return rules.stream().filter(r -> r.repository().equals(repository)).toList();
    }

    /**
     * Every configured secret (token, webhook secrets, Slack webhook URLs, and every value taken from
     * the environment into a command or a credential): what must never appear in a log, a status, a
     * page or a message.
     */
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>(webhookSecrets);
        githubToken.ifPresent(secrets::add);
        slackWebhookUrl.ifPresent(secrets::add);
        rules.forEach(r -> r.slackWebhookUrl().ifPresent(secrets::add));
        secrets.addAll(environmentValues);
        return secrets.stream().filter(s -> !s.isEmpty()).distinct().toList();
    }
}
