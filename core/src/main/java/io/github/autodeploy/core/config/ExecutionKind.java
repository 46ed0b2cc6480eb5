package io.github.autodeploy.core.config;

import java.util.List;
import java.util.Map;

/**
 * What configuration needs to know about a kind of execution that core does not plan itself: which
 * of a rule's keys belong to it and what is wrong with them. A new kind of deployment implements this
 * (through {@link io.github.autodeploy.core.plan.ExecutionPlanner}) and needs no change in core or in
 * the loader. Implementations must be thread-safe and do no I/O.
 */
public interface ExecutionKind {

    /**
     * The name of this kind, carried by {@link Execution.Planned#kind()}: short, lower case, such as
     * the tool it runs.
     */
    String kind();

    /** Whether {@code key}, a key of a rule that core does not know, belongs to this kind. */
    boolean claims(String key);

    /**
     * What a message calls this kind when it names it to a person, such as the key that selects it
     * ({@code has both commands and ...}); by default {@link #kind()}.
     */
    default String describe() {
        return kind();
    }

    /**
     * Every problem of a rule's keys that this kind claims, each with its path below {@code keyPath}
     * ({@code keyPath + "." + key}), so that a file's loader can give its line; empty when they are
     * fine. Called with every key the kind claims in one rule, after inheritance.
     *
     * @param options the claimed keys, as written, with their values: a {@code String} for a single
     *                value, a {@code List} or {@code Map} for a list or a map
     */
    List<ConfigProblem> validate(String keyPath, Map<String, Object> options);
}
