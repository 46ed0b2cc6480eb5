package io.github.autodeploy.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.autodeploy.core.config.UnknownKeys;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed values out of a parsed file by key path, substituting {@code ${NAME}} and {@code
 * ${NAME:-default}} from the environment, and collecting a problem (never throwing) for each wrong
 * type, missing variable or unknown key. Upper-case names only, so the lower-case command
 * placeholders ({@code ${sha}}) pass through untouched. It remembers which values came from the
 * environment: those read as text that may carry a secret (a command, a credential, a kind's key)
 * are {@link #environmentValues() masked} later, and no message shows a value that came from the
 * environment or that a credential key holds. Not thread-safe.
 */
final class TreeReader {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?}");
    private static final Pattern WHOLE = Pattern.compile("[+-]?[0-9]+");
    /** The keys whose values are credentials, wherever they are written: never shown in a message. */
    private static final Set<String> CREDENTIALS = Set.of("token", "password", "username", "webhook_secret",
            "webhook_url", "slack_webhook_url");
    private final Map<String, String> env;
    final List<ConfigFileException.Problem> problems = new ArrayList<>();
    private final LineIndex lines;
    /** Per key path, the variables its value was made from; for messages. */
    private final Map<String, Set<String>> variablesAt = new LinkedHashMap<>();
    /** Per key path, the value made from variables; for messages. */
    private final Map<String, String> substitutedAt = new LinkedHashMap<>();
    /** Per key path, the value read there; for messages about credentials. */
    private final Map<String, String> readAt = new LinkedHashMap<>();
    private final Set<String> environmentValues = new LinkedHashSet<>();

    TreeReader(Map<String, String> env, LineIndex lines) {
        this.env = env;
        this.lines = lines;
    }

    /**
     * A problem at {@code path}, with the line of the key or of its nearest parent in the file; when
     * not even its section is in the file, the message says which is missing.
     */
    void problem(String path, String message) {
        int line = lines.lineOf(path);
        String text = hideValues(path, message);
        if (line == 0 && !path.isEmpty() && !text.contains("missing")) {
            int cut = path.indexOf('.');
            text += " (" + (cut < 0 ? path : path.substring(0, cut)) + " is missing from the file)";
        }
        problems.add(new ConfigFileException.Problem(line, path, text));
    }

    /** A problem whose line is known from elsewhere (a duplicate key, a byte that is not UTF-8). */
    void problemAt(int line, String path, String message) {
        problems.add(new ConfigFileException.Problem(line, path, message));
    }

    /**
     * {@code message} without any value that came from the environment (each replaced by the name of
     * its variable) or that the credential at {@code path} holds.
     */
    private String hideValues(String path, String message) {
        String out = message;
        for (Map.Entry<String, String> e : substitutedAt.entrySet()) {
            String v = e.getValue();
            if (!v.isEmpty()) {
                out = out.replace("\"" + v + "\"", shown(e.getKey(), v));
            }
        }
        String own = substitutedAt.getOrDefault(path, isCredential(path) ? readAt.get(path) : null);
        if (own != null && !own.isEmpty()) {
            out = out.replace("\"" + own + "\"", shown(path, own));
            if (own.length() >= 8) {
                // Unquoted, only a value long enough not to be a word of the message, and only where it stands
                // alone: a secret such as "short" must not rewrite "shorter" (garbling it, and showing the secret).
                out = java.util.regex.Pattern.compile("(?<![A-Za-z0-9])" + java.util.regex.Pattern.quote(own) + "(?![A-Za-z0-9])")
                        .matcher(out).replaceAll(java.util.regex.Matcher.quoteReplacement(shown(path, own)));
            }
        }
        return out;
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Values taken from the environment into text that may carry a secret; masked like the configured secrets. */
    List<String> environmentValues() {
        return List.copyOf(environmentValues);
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

    /** Text that may carry a secret (a command's word, a credential, a kind's key): values from the environment are masked. */
    Optional<String> text(JsonNode parent, String path, String key) {
        return value(parent, path, key, true);
    }

    /**
     * A credential (a token, a secret, a password): text as {@link #text}, and a problem for a boolean, which YAML
     * makes of an unquoted yes/no/on/off/true/false: the secret would silently be the text "true" or "false".
     */
    Optional<String> credential(JsonNode parent, String path, String key) {
        return notBoolean(parent, path, key) ? text(parent, path, key) : Optional.empty();
    }

    /** Credentials, one or a list, as {@link #strings}; a problem (and none of them) when one is a boolean. */
    Optional<List<String>> credentials(JsonNode parent, String path, String key) {
        JsonNode n = parent.get(key);
        if (n != null && n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                if (n.get(i).isBoolean()) {
                    problem(child(path, key) + "[" + i + "]", BOOLEAN_CREDENTIAL);
                    refused.add(child(path, key));
                    return Optional.empty();
                }
            }
        }
        return notBoolean(parent, path, key) ? strings(parent, path, key) : Optional.empty();
    }

    static final String BOOLEAN_CREDENTIAL = "is read as a boolean (YAML takes an unquoted yes, no, on, off, true or false "
            + "for one), not as the text of a credential; put it in quotes";

    private boolean notBoolean(JsonNode parent, String path, String key) {
        JsonNode n = parent.get(key);
        if (n != null && n.isBoolean()) {
            problem(child(path, key), BOOLEAN_CREDENTIAL);
            refused.add(child(path, key));
            return false;
        }
        return true;
    }

    /** Key paths whose value was refused here: the resolver, which then sees none, need not say it is missing. */
    final Set<String> refused = new java.util.HashSet<>();

    /** A plain setting (a URL, a duration, a branch): shown as it is wherever it is used. */
    Optional<String> setting(JsonNode parent, String path, String key) {
        return value(parent, path, key, false);
    }

    private Optional<String> value(JsonNode parent, String path, String key, boolean secret) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isValueNode()) {
            problem(child(path, key), "must be a single value, not a " + (n.isArray() ? "list" : "map"));
            return Optional.empty();
        }
        return Optional.of(substitute(child(path, key), n.asText(), secret));
    }

    Optional<Boolean> bool(JsonNode parent, String path, String key) {
        return setting(parent, path, key).flatMap(v -> {
            if (v.equals("true") || v.equals("false")) {
                return Optional.of(Boolean.parseBoolean(v));
            }
            problem(child(path, key), "is " + shown(child(path, key), v) + "; write true or false");
            return Optional.empty();
        });
    }

    /**
     * A whole number from {@code min} to {@code max}; {@code hint} says what to write instead
     * (a problem, and no value, for anything else).
     */
    Optional<Long> number(JsonNode parent, String path, String key, long min, long max, String hint) {
        String p = child(path, key);
        return setting(parent, path, key).flatMap(v -> {
            String s = v.strip();
            if (!WHOLE.matcher(s).matches()) {
                problem(p, "is " + shown(p, v) + "; write a whole number");
                return Optional.empty();
            }
            BigInteger n = new BigInteger(s);
            if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
                problem(p, "is " + shown(p, v) + ", out of range; " + hint);
                return Optional.empty();
            }
            return Optional.of(n.longValueExact());
        });
    }

    /** A list of strings that may carry secrets; a single string counts as a list of one. */
    Optional<List<String>> strings(JsonNode parent, String path, String key) {
        return strings(parent, path, key, true);
    }

    /** A list of plain settings (context names, triggers); a single string counts as a list of one. */
    Optional<List<String>> settings(JsonNode parent, String path, String key) {
        return strings(parent, path, key, false);
    }

    private Optional<List<String>> strings(JsonNode parent, String path, String key, boolean secret) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        String p = child(path, key);
        if (n.isValueNode()) {
            return Optional.of(List.of(substitute(p, n.asText(), secret)));
        }
        if (!n.isArray()) {
            problem(p, "must be a list, such as [a, b]");
            return Optional.empty();
        }
        return Optional.of(strings(n, p, secret));
    }

    /** The values of a list node at {@code p}; a problem for each that is not a single value. */
    List<String> strings(JsonNode n, String p, boolean secret) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isValueNode() || e.isNull()) {
                problem(p + "[" + i + "]", "must be a single value");
                continue;
            }
            out.add(substitute(p + "[" + i + "]", e.asText(), secret));
        }
        return out;
    }

    /**
     * {@code value} with its variables replaced; {@code secret}: the values taken from the
     * environment join the masked ones. A default written in the file ({@code ${NAME:-default}}) is
     * not taken from the environment.
     */
    String substitute(String path, String value, boolean secret) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        boolean any = false;
        while (m.find()) {
            any = true;
            variablesAt.computeIfAbsent(path, k -> new TreeSet<>()).add(m.group(1));
            String v = env.get(m.group(1));
            if (v != null && secret && !v.isEmpty()) {
                environmentValues.add(v);
            }
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
        readAt.put(path, out.toString());
        if (any) {
            substitutedAt.put(path, out.toString());
        }
        return out.toString();
    }

    /** The variables {@code path}'s value was made from, written as in the file; empty when none. */
    String variablesOf(String path) {
        Set<String> names = variablesAt.getOrDefault(path, Set.of());
        return names.stream().map(n -> "${" + n + "}").reduce((a, b) -> a + ", " + b).orElse("");
    }

    /**
     * How a message shows the value {@code v} of {@code path}: quoted when written in the file, by the
     * name of its variables when it came from the environment, and never for a credential.
     */
    String shown(String path, String v) {
        String vars = variablesOf(path);
        if (!vars.isEmpty()) {
            return "the value of " + vars;
        }
        if (isCredential(path)) {
            return "a value not shown here (the key may hold a secret)";
        }
        return "\"" + v + "\"";
    }

    /** Whether the key at {@code path} is, or by its name may be, a credential. */
    private static boolean isCredential(String path) {
        String key = path.replaceAll("(\\[[0-9]+])+$", "");
        key = key.substring(key.lastIndexOf('.') + 1);
        return CREDENTIALS.contains(key) || key.contains("secret") || key.contains("token") || key.contains("password");
    }
}
