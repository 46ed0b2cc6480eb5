package io.github.autodeploy.core.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole configuration as written (by a person, loaded by an adapter from YAML or JSON).
 *
 * @param publicUrl        {@code public_url}: where people reach the robot; links posted to GitHub
 *                         and Slack start with it (default {@code http://localhost:8080})
 * @param slackWebhookUrl  {@code slack.webhook_url}
 * @param repos            {@code repos}, keyed by {@code owner/name}
 */
public record AutodeployConfig(GitHubConfig github, Optional<String> slackWebhookUrl, Optional<String> publicUrl,
                               Map<String, RepoConfig> repos, EngineConfig engine) {

    public AutodeployConfig {
        Objects.requireNonNull(github, "github");
        Objects.requireNonNull(slackWebhookUrl, "slackWebhookUrl");
        Objects.requireNonNull(publicUrl, "publicUrl");
        repos = Map.copyOf(repos);
        Objects.requireNonNull(engine, "engine");
    }

    /** Every problem of this configuration, in key order; empty when it is valid. */
    public List<ConfigProblem> validate() {
        return new ConfigResolver(this).problems();
    }

    /**
     * The typed configuration with defaults applied.
     *
     * @throws InvalidConfigException listing every problem, if there is any
     */
    public RobotConfig resolve() {
        ConfigResolver resolver = new ConfigResolver(this);
        if (!resolver.problems().isEmpty()) {
            throw new InvalidConfigException(resolver.problems());
        }
        return resolver.config();
    }
}
