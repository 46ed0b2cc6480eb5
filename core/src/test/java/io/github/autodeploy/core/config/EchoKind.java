package io.github.autodeploy.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A kind of execution that core has never heard of, written only in tests: it claims the {@code
 * echo_*} keys, {@code echo_text} (required) and {@code echo_times} (1 to 9), and validates them.
 * It shows that a new kind needs no change in core or in the loader; {@code EchoPlanner} plans it.
 * Thread-safe.
 */
public class EchoKind implements ExecutionKind {
    public static final String KIND = "echo";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean claims(String key) {
        return key.startsWith("echo_");
    }

    @Override
    public String describe() {
        return "echo_text";
    }

    @Override
    public List<ConfigProblem> validate(String keyPath, Map<String, Object> options) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (!(options.get("echo_text") instanceof String text) || text.isBlank()) {
            problems.add(new ConfigProblem(keyPath + ".echo_text", "is missing; write what to echo"));
        }
        for (String key : new TreeSet<>(options.keySet())) {
            Object value = options.get(key);
            if (key.equals("echo_times") && !String.valueOf(value).matches("[1-9]")) {
                problems.add(new ConfigProblem(keyPath + ".echo_times", "is \"" + value + "\"; write a number from 1 to 9"));
            } else if (!key.equals("echo_text") && !key.equals("echo_times")) {
                problems.add(new ConfigProblem(keyPath + "." + key, "is not an echo option; use echo_text or echo_times"));
            }
        }
        return problems;
    }
}
