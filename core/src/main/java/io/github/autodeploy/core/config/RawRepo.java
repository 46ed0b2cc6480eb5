package io.github.autodeploy.core.config;

import java.util.Map;
import java.util.Objects;

/**
 * One entry under {@code repos:} as written. The seed tool's keys sit directly on the entry and are
 * the defaults of every environment; {@code environments:} names environments, each of which may
 * override any key. An entry without {@code environments:} deploys to {@code production}.
 */
public record RawRepo(RawRule defaults, Map<String, RawRule> environments) {
    public RawRepo {
        Objects.requireNonNull(defaults, "defaults");
        environments = Map.copyOf(environments);
    }

    public static RawRepo of(RawRule rule) {
        return new RawRepo(rule, Map.of());
    }
}
