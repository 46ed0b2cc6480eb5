package io.github.autodeploy.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Translates the Flask robot's {@code config.py} (top-level assignments of Python literals) into an
 * {@code autodeploy.yml}: secrets become {@code ${NAME}} references to environment variables, never
 * values; repositories keep their folder, commands, required contexts and Ansible keys; what cannot be
 * translated is named with its line. Nothing in the file is run. Stateless and thread-safe.
 */
public final class FlaskConfigImport {
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_/@+=][A-Za-z0-9_./@+=-]*|--?[A-Za-z0-9][A-Za-z0-9_./@+=-]*");
    private static final Pattern AMBIGUOUS = Pattern.compile("(?i)true|false|yes|no|on|off|y|n|null|[-+]?[0-9][0-9_.eE+-]*|\\.inf|\\.nan");
    private static final List<String> REPO_KEYS = List.of("folder", "commands", "required_contexts", "ansible_hosts", "ansible_playbook");
    private static final List<String> CHANGES = List.of(
            "a repository deploys to production when a pull request is merged into its default branch, at",
            "  the merge commit (the Flask robot deployed any merge, at the head sha);",
            "it waits for pending CI instead of failing;",
            "deployments run after the webhook has been answered, one at a time per environment;",
            "a redelivered webhook does not deploy twice;",
            "commands run without a shell: |, &&, ;, > and $(...) need [sh, -c, \"...\"], and a script",
            "  reads deployment values from its environment (\"$AUTODEPLOY_REF\");",
            "there is no endpoint that fetches URLs with the token.");

    private FlaskConfigImport() {
    }

    /**
     * The result: the file's text, and what a person must still do (each with its line).
     *
     * @param yaml      a complete autodeploy.yml
     * @param byHand    what was not translated, each {@code line N: ...}; empty when everything was
     * @param notes     what was translated with a change a person should know of
     */
    public record Translation(String yaml, List<String> byHand, List<String> notes) {
        public Translation {
            Objects.requireNonNull(yaml, "yaml");
            byHand = List.copyOf(byHand);
            notes = List.copyOf(notes);
        }
    }

    /**
     * Translates the text of a config.py.
     *
     * @param file the file's name, used in messages ({@code config.py:LINE:COL: ...})
     * @throws PythonSyntaxException when the text is not Python that this reader understands
     */
    public static Translation translate(String file, String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte-order mark, as an editor on Windows writes it; Python skips it too
        }
        List<String> byHand = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, PythonLiterals.Assignment> values = new LinkedHashMap<>();
        for (PythonLiterals.Statement s : PythonLiterals.module(file, text)) {
            if (s instanceof PythonLiterals.Untranslatable u) {
                byHand.add("line " + u.line() + ": " + u.why());
            } else if (s instanceof PythonLiterals.Assignment a) {
                values.put(a.name(), a);
            }
        }
        Yaml y = new Yaml();
        y.line("# Translated from " + Path.of(file).getFileName() + " by autodeploy import-flask-config;");
        y.line("# check it with: autodeploy check-config autodeploy.yml");
        y.line("#");
        y.line("# What changes in meaning from the Flask robot:");
        CHANGES.forEach(c -> y.line("# " + (c.startsWith("  ") ? " " + c : "- " + c)));
        StringBuilder body = new StringBuilder();
        Yaml b = new Yaml(body);

        b.line("github:");
        secret(b, values, "TOKEN", "token", "GITHUB_TOKEN", false, notes, byHand);
        secret(b, values, "SECRET", "webhook_secret", "WEBHOOK_SECRET", true, notes, byHand);
        PythonLiterals.Assignment slack = values.get("SLACK_WEBHOOK");
        if (slack != null && slack.value() instanceof String url && !url.isBlank()) {
            b.line("slack:");
            secret(b, values, "SLACK_WEBHOOK", "webhook_url", "SLACK_WEBHOOK", false, notes, byHand);
        } else if (slack != null && slack.value() != PythonLiterals.NONE && !"".equals(slack.value())) {
            byHand.add("line " + slack.line() + ": SLACK_WEBHOOK is not a string; set slack.webhook_url by hand");
        }
        PythonLiterals.Assignment port = values.get("PORT");
        if (port != null) {
            if (port.value() instanceof Long p && p >= 0 && p <= 65535) {
                b.line("server:");
                b.line("  port: " + p);
            } else {
                byHand.add("line " + port.line() + ": PORT is not a port number; set server.port by hand");
            }
        }
        repos(b, values.get("REPOS"), notes, byHand);
        for (PythonLiterals.Assignment a : values.values()) {
            switch (a.name()) {
                case "TOKEN", "SECRET", "SLACK_WEBHOOK", "PORT", "REPOS" -> { }
                case "HOST" -> notes.add("line " + a.line() + ": HOST is not a setting of the file; pass --host to serve "
                        + "(it listens on 127.0.0.1 unless told otherwise)");
                case "DEBUG" -> notes.add("line " + a.line() + ": DEBUG has no equivalent; left out");
                default -> notes.add("line " + a.line() + ": " + a.name() + " is not a setting Autodeploy knows; left out");
            }
        }
        if (!byHand.isEmpty()) {
            y.line("#");
            y.line("# Not translated; set by hand:");
            byHand.forEach(n -> y.line("#   " + n));
        }
        if (!notes.isEmpty()) {
            y.line("#");
            y.line("# Notes:");
            notes.forEach(n -> y.line("#   " + n));
        }
        y.line("");
        return new Translation(y.text() + body, byHand, notes);
    }

    private static void secret(Yaml b, Map<String, PythonLiterals.Assignment> values, String name, String key, String variable,
                               boolean required, List<String> notes, List<String> byHand) {
        PythonLiterals.Assignment a = values.get(name);
        boolean given = a != null && a.value() instanceof String v && !v.isEmpty();
        if (a != null && !given && a.value() != PythonLiterals.NONE && !"".equals(a.value())) {
            byHand.add("line " + a.line() + ": " + name + " is not a string; set " + variable + " by hand");
        }
        if (given) {
            b.line("  # set " + variable + " in the robot's environment to the value of " + name + " in config.py (line " + a.line() + ")");
        } else if (required) {
            b.line("  # config.py sets no " + name + "; set " + variable + " in the robot's environment to the webhook's secret");
            notes.add("config.py sets no " + name + "; the webhook secret is required: set " + variable);
        } else {
            if (a != null) {
                b.line("  # config.py leaves " + name + " empty: without a token statuses stay on the robot's pages");
            }
            return;
        }
        b.line("  " + key + ": ${" + variable + "}");
    }

    private static void repos(Yaml b, PythonLiterals.Assignment repos, List<String> notes, List<String> byHand) {
        b.line("repos:");
        if (repos == null) {
            byHand.add("config.py has no REPOS; add repositories under repos:");
            b.line("  {}");
            return;
        }
        Map<String, Map<?, ?>> entries = new LinkedHashMap<>();
        String at = "line " + repos.line() + ": ";
        if (repos.value() instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (!(k instanceof String name) || !(v instanceof Map<?, ?> keys)) {
                    byHand.add(at + "REPOS has an entry that is not \"owner/name\": {...}; translate it by hand");
                } else {
                    entries.put(name, keys);
                }
            });
        } else if (repos.value() instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> keys && keys.get("repo") instanceof String name) {
                    Map<Object, Object> rest = new LinkedHashMap<>(keys);
                    rest.remove("repo");
                    entries.put(name, rest);
                } else {
                    byHand.add(at + "REPOS has an item that is not a dict with a \"repo\" key; translate it by hand");
                }
            }
        } else {
            byHand.add(at + "REPOS is neither a dict nor a list of dicts; translate it by hand");
        }
        if (entries.isEmpty()) {
            b.line("  {}");
        }
        entries.forEach((name, keys) -> repo(b, at, name, keys, notes, byHand));
    }

    private static void repo(Yaml b, String at, String name, Map<?, ?> keys, List<String> notes, List<String> byHand) {
        if (!REPO.matcher(name).matches()) {
            byHand.add(at + "REPOS names " + Yaml.quoted(name) + ", which is not owner/name; translate it by hand");
            return;
        }
        b.line("  " + name + ":");
        for (Map.Entry<?, ?> e : keys.entrySet()) {
            String where = at + "REPOS[" + name + "]." + e.getKey();
            if (!(e.getKey() instanceof String key) || !REPO_KEYS.contains(key)) {
                byHand.add(where + " is not a key Autodeploy knows; left out");
                continue;
            }
            Object v = e.getValue();
            switch (key) {
                case "commands" -> commands(b, where, v, byHand);
                case "required_contexts" -> {
                    if (v == PythonLiterals.NONE) {
                        b.line("    # required_contexts was None: every context of the commit must pass (the default)");
                    } else if (strings(v)) {
                        b.line("    required_contexts: " + flow((List<?>) v));
                        if (((List<?>) v).isEmpty()) {
                            notes.add(where + " is empty: " + name + " deploys without waiting for CI");
                        }
                    } else {
                        byHand.add(where + " is not a list of strings; left out");
                    }
                }
                default -> {
                    if (v instanceof String s) {
                        b.line("    " + key + ": " + Yaml.scalar(s));
                    } else if (v != PythonLiterals.NONE) {
                        byHand.add(where + " is not a string; left out");
                    }
                }
            }
        }
    }

    private static void commands(Yaml b, String where, Object v, List<String> byHand) {
        if (v == PythonLiterals.NONE) {
            return;
        }
        if (!(v instanceof List<?> list)) {
            byHand.add(where + " is not a list; left out");
            return;
        }
        if (list.isEmpty()) {
            byHand.add(where + " holds no commands; add what the deployment runs");
            return;
        }
        b.line("    commands:");
        for (Object c : list) {
            if (c instanceof String s) {
                try {
                    List<String> argv = ShellWords.split(s);
                    if (argv.isEmpty()) {
                        byHand.add(where + " holds an empty command; left out");
                        continue;
                    }
                    if (s.contains("$")) {
                        b.line("      # no shell runs this: $VAR and $(...) stay as written, while ${sha}, ${ref} and the other"
                                + " placeholders are filled in per deployment and ${NAME} from the environment when the file loads");
                    }
                    b.line("      - " + flow(argv));
                } catch (IllegalArgumentException e) {
                    b.line("      # this command " + e.getMessage().split(";")[0] + ": rewrite it as [sh, -c, \"...\"] or split it");
                    b.line("      - " + Yaml.quoted(s));
                    byHand.add(where + ": a command needs a shell; rewrite it (see the comment above it)");
                }
            } else if (strings(c)) {
                b.line("      - " + flow((List<?>) c));
            } else {
                byHand.add(where + " holds a command that is neither a string nor a list of strings; left out");
            }
        }
    }

    private static boolean strings(Object v) {
        return v instanceof List<?> l && l.stream().allMatch(String.class::isInstance);
    }

    private static String flow(List<?> items) {
        List<String> out = new ArrayList<>();
        for (Object o : items) {
            out.add(Yaml.scalar((String) o));
        }
        return "[" + String.join(", ", out) + "]";
    }

    /** Writes lines of YAML. */
    private static final class Yaml {
        private final StringBuilder out;

        Yaml() {
            this(new StringBuilder());
        }

        Yaml(StringBuilder out) {
            this.out = out;
        }

        /** Appends a line; in a comment, anything YAML reads as a line break or a control character becomes a space. */
        void line(String s) {
            out.append(s.stripLeading().startsWith("#") ? oneLine(s) : s).append('\n');
        }

        private static String oneLine(String s) {
            StringBuilder b = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                b.append(c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\uFEFF' ? ' ' : c);
            }
            return b.toString();
        }

        String text() {
            return out.toString();
        }

        /** A plain scalar where YAML reads it back as the same string, else a double-quoted one. */
        static String scalar(String s) {
            return PLAIN.matcher(s).matches() && !AMBIGUOUS.matcher(s).matches() ? s : quoted(s);
        }

        /** A double-quoted YAML scalar (YAML's double quotes take JSON's escapes). */
        static String quoted(String s) {
            StringBuilder q = new StringBuilder("\"");
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> q.append("\\\"");
                    case '\\' -> q.append("\\\\");
                    case '\n' -> q.append("\\n");
                    case '\t' -> q.append("\\t");
                    default -> {
                        if (c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\uFEFF'
                                || Character.isSurrogate(c) && !validSurrogate(s, i)) {
                            q.append(String.format("\\u%04x", (int) c));
                        } else {
                            q.append(c);
                        }
                    }
                }
            }
            return q.append('"').toString();
        }

        private static boolean validSurrogate(String s, int i) {
            char c = s.charAt(i);
            return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                    : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
        }
    }
}
