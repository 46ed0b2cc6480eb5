package io.github.autodeploy.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.autodeploy.core.config.UnknownKeys;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed values out of a parsed file by key path, substituting {@code ${NAME}} and {@code
 * ${NAME:-default}} from the environment, and collecting a problem (never throwing) for each wrong
 * type, missing variable or unknown key. Upper-case names only, so the lower-case command
 * placeholders ({@code ${sha}}) pass through untouched. Not thread-safe.
 */
final class TreeReader {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?}");
    private final Map<String, String> env;
    final List<ConfigFileException.Problem> problems = new ArrayList<>();
    private final LineIndex lines;

    TreeReader(Map<String, String> env, LineIndex lines) {
        this.env = env;
        this.lines = lines;
    }

    void problem(String path, String message) {
        problems.add(new ConfigFileException.Problem(lines.lineOf(path), path, message));
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Reports keys of {@code node} that are not in {@code known}, suggesting the closest. */
    void onlyKnownKeys(JsonNode node, String path, Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (known.contains(key)) {
                continue;
            }
            problem(child(path, key), UnknownKeys.message(key, known));
        }
    }

    Optional<String> text(JsonNode parent, String path, String key) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isValueNode()) {
            problem(child(path, key), "must be a single value, not a " + (n.isArray() ? "list" : "map"));
            return Optional.empty();
        }
        return Optional.of(substitute(child(path, key), n.asText()));
    }

    Optional<Boolean> bool(JsonNode parent, String path, String key) {
        return text(parent, path, key).flatMap(v -> {
            if (v.equals("true") || v.equals("false")) {
                return Optional.of(Boolean.parseBoolean(v));
            }
            problem(child(path, key), "is \"" + v + "\"; write true or false");
            return Optional.empty();
        });
    }

    Optional<Long> number(JsonNode parent, String path, String key) {
        return text(parent, path, key).flatMap(v -> {
            try {
                return Optional.of(Long.parseLong(v.strip()));
            } catch (NumberFormatException e) {
                problem(child(path, key), "is \"" + v + "\"; write a whole number");
                return Optional.empty();
            }
        });
    }

    /** A list of strings; a single string counts as a list of one. */
    Optional<List<String>> strings(JsonNode parent, String path, String key) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        String p = child(path, key);
        if (n.isValueNode()) {
            return Optional.of(List.of(substitute(p, n.asText())));
        }
        if (!n.isArray()) {
            problem(p, "must be a list, such as [a, b]");
            return Optional.empty();
        }
        return Optional.of(strings(n, p));
    }

    /** The values of a list node at {@code p}; a problem for each that is not a single value. */
    List<String> strings(JsonNode n, String p) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isValueNode() || e.isNull()) {
                problem(p + "[" + i + "]", "must be a single value");
                continue;
            }
            out.add(substitute(p + "[" + i + "]", e.asText()));
        }
        return out;
    }

    String substitute(String path, String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.get(m.group(1));
            if (v == null) {
                v = m.group(2);
            }
            if (v == null) {
                problem(path, "environment variable " + m.group(1) + " is not set; export it, or write ${" + m.group(1)
                        + ":-default} to give a default");
                v = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
