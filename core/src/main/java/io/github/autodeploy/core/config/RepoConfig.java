package io.github.autodeploy.core.config;

import java.util.Map;
import java.util.Objects;

/**
 * One entry under {@code repos:} as written. The seed tool's keys sit directly on the entry and are
 * the defaults of every environment; {@code environments:} names environments, each of which may
 * override any key. An entry without {@code environments:} deploys to {@code production}.
 */
public record RepoConfig(RuleConfig defaults, Map<String, RuleConfig> environments) {
    public RepoConfig {
        Objects.requireNonNull(defaults, "defaults");
        environments = Map.copyOf(environments);
    }

    public static RepoConfig of(RuleConfig rule) {
        return new RepoConfig(rule, Map.of());
    }
}
