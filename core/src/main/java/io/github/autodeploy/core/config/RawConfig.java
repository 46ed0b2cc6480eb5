package io.github.autodeploy.core.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole configuration as written (by a person, loaded by an adapter from YAML or JSON), before
 * validation and defaults; {@link #resolve(List)} turns it into a {@link RobotConfig}. Immutable.
 *
 * @param publicUrl        {@code public_url}: where people reach the robot; links posted to GitHub
 *                         and Slack start with it (default {@code http://localhost:8080})
 * @param slackWebhookUrl  {@code slack.webhook_url}
 * @param repos            {@code repos}, keyed by {@code owner/name}
 * @param environmentValues the values a loader took from the environment ({@code ${NAME}}) into keys
 *                         that may carry a secret (commands, credentials, a kind's keys): masked in every
 *                         output like the configured secrets, see {@link RobotConfig#secrets()}
 * @param store            {@code store}
 */
public record RawConfig(RawGitHub github, Optional<String> slackWebhookUrl, Optional<String> publicUrl,
                               Map<String, RawRepo> repos, RawEngine engine, List<String> environmentValues,
                               RawStore store) {

    public RawConfig {
        Objects.requireNonNull(github, "github");
        Objects.requireNonNull(slackWebhookUrl, "slackWebhookUrl");
        Objects.requireNonNull(publicUrl, "publicUrl");
        repos = Map.copyOf(repos);
        Objects.requireNonNull(engine, "engine");
        environmentValues = List.copyOf(environmentValues);
        Objects.requireNonNull(store, "store");
    }

    /** A configuration that leaves the store to its defaults. */
    public RawConfig(RawGitHub github, Optional<String> slackWebhookUrl, Optional<String> publicUrl,
                     Map<String, RawRepo> repos, RawEngine engine, List<String> environmentValues) {
        this(github, slackWebhookUrl, publicUrl, repos, engine, environmentValues, RawStore.defaults());
    }

    /** A configuration written without values from the environment. */
    public RawConfig(RawGitHub github, Optional<String> slackWebhookUrl, Optional<String> publicUrl,
                     Map<String, RawRepo> repos, RawEngine engine) {
        this(github, slackWebhookUrl, publicUrl, repos, engine, List.of());
    }

    /** Every problem of this configuration for a robot that runs only commands; see {@link #validate(List)}. */
    public List<ConfigProblem> validate() {
        return validate(List.of());
    }

    /**
     * Every problem of this configuration, in key order; empty when it is valid.
     *
     * @param kinds the execution kinds the robot has besides commands (its planners): a key of a rule
     *              that core does not read and that none of them claims is reported as unknown
     */
    public List<ConfigProblem> validate(List<? extends ExecutionKind> kinds) {
        return new ConfigResolver(this, kinds).problems();
    }

    /** The resolved configuration of a robot that runs only commands; see {@link #resolve(List)}. */
    public RobotConfig resolve() {
        return resolve(List.of());
    }

    /**
     * The resolved configuration, with defaults applied.
     *
     * @param kinds the execution kinds the robot has besides commands, as for {@link #validate(List)}
     * @throws InvalidConfigException listing every problem, if there is any
     */
    public RobotConfig resolve(List<? extends ExecutionKind> kinds) {
        ConfigResolver resolver = new ConfigResolver(this, kinds);
        if (!resolver.problems().isEmpty()) {
            throw new InvalidConfigException(resolver.problems());
        }
        return resolver.config();
    }
}
