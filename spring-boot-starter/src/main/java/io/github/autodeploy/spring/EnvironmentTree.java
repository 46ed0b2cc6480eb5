package io.github.autodeploy.spring;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Reads the {@code autodeploy} subtree of Spring's environment (application.yml, properties files,
 * command-line arguments, system properties, test properties) back into the nested maps and lists
 * of an {@code autodeploy.yml}, so the project's own loader validates it: the key list stays in one
 * place. Property names are read as written, not bound: a repository key {@code octo/app} keeps its
 * slash (Spring's binder would drop it), a key with a dot is written in brackets
 * ({@code "[octo/app.js]"}), and values keep {@code ${NAME}} for the loader to substitute as it does
 * in a file. Operating-system environment variables are not read as keys ({@code AUTODEPLOY_...}
 * cannot say where a key ends); write {@code ${NAME}} in a value instead. Stateless and thread-safe.
 */
final class EnvironmentTree {
    static final String PREFIX = "autodeploy";

    private EnvironmentTree() {
    }

    /**
     * The {@code autodeploy} subtree of {@code env}, property sources in their order of precedence:
     * a key set in several wins where Spring would make it win, and a list comes whole from the
     * source of highest precedence that has it, as Spring's binder takes lists.
     */
    static Map<String, Object> read(ConfigurableEnvironment env) {
        Map<String, Object> root = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (PropertySource<?> source : env.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> e) || isOperatingSystemEnvironment(source)) {
                continue;
            }
            Set<String> listsHere = new HashSet<>();
            for (String name : e.getPropertyNames()) {
                if (!name.startsWith(PREFIX + ".") && !name.startsWith(PREFIX + "[")) {
                    continue;
                }
                List<Object> path = path(name.substring(PREFIX.length()));
                if (path.isEmpty() || takenByHigherSource(path, taken, listsHere)) {
                    continue;
                }
                put(root, path, value(e.getProperty(name)));
            }
            taken.addAll(listsHere);
        }
        return root;
    }

    private static boolean isOperatingSystemEnvironment(PropertySource<?> source) {
        return source.getName().equals(org.springframework.core.env.StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)
                || source.getClass().getSimpleName().contains("SystemEnvironment");
    }

    /**
     * Whether a source of higher precedence already set this key, or a list this key lies in; the
     * lists of this source are noted in {@code listsHere}.
     */
    private static boolean takenByHigherSource(List<Object> path, Set<String> taken, Set<String> listsHere) {
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < path.size(); i++) {
            Object segment = path.get(i);
            if (segment instanceof Integer) {
                String list = prefix.toString();
                if (taken.contains(list)) {
                    return true;
                }
                listsHere.add(list);
            }
            prefix.append('/').append(segment instanceof Integer n ? "[" + n + "]" : "." + segment);
        }
        String whole = "=" + prefix;
        if (taken.contains(whole)) {
            return true;
        }
        listsHere.add(whole);
        return false;
    }

    /** What a property source holds, without Spring's origin wrapper; an empty text is no value. */
    private static Object value(Object v) {
        Object plain = v instanceof org.springframework.boot.origin.OriginTrackedValue t ? t.getValue() : v;
        if (plain instanceof CharSequence s) {
            return s.isEmpty() ? null : s.toString();
        }
        return plain;
    }

    /**
     * The segments of a property name after the prefix: keys as strings, list indexes as integers.
     * {@code .repos.octo/app.commands[0][1]} is [repos, octo/app, commands, 0, 1];
     * {@code .repos[octo/app.js].folder} is [repos, octo/app.js, folder]. Empty when malformed.
     */
    static List<Object> path(String rest) {
        List<Object> out = new ArrayList<>();
        int i = 0;
        while (i < rest.length()) {
            char c = rest.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < rest.length() && rest.charAt(end) != '.' && rest.charAt(end) != '[') {
                    end++;
                }
                if (end == i + 1) {
                    return List.of();
                }
                out.add(rest.substring(i + 1, end));
                i = end;
            } else if (c == '[') {
                int end = rest.indexOf(']', i);
                if (end < 0) {
                    return List.of();
                }
                String inside = rest.substring(i + 1, end);
                out.add(inside.matches("[0-9]{1,9}") ? (Object) Integer.valueOf(inside) : inside);
                i = end + 1;
            } else {
                return List.of();
            }
        }
        return out;
    }

    /**
     * Puts {@code value} at {@code path}, making the maps and lists on the way; a key that is both a
     * value and a map keeps what was read first (the loader then reports the shape it got).
     */
    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, List<Object> path, Object value) {
        Object node = root;
        for (int i = 0; i < path.size(); i++) {
            Object key = path.get(i);
            boolean last = i == path.size() - 1;
            Object existing;
            if (node instanceof Map<?, ?> m) {
                existing = m.get(key.toString());
            } else if (node instanceof List<?> l && key instanceof Integer index) {
                while (l.size() <= index) {
                    ((List<Object>) l).add(null);
                }
                existing = l.get(index);
            } else {
                return;
            }
            if (existing != null && (last || !fits(existing, path.get(i + 1)))) {
                return;
            }
            Object next = existing != null ? existing
                    : last ? value : path.get(i + 1) instanceof Integer ? new ArrayList<>() : new LinkedHashMap<>();
            if (node instanceof Map<?, ?> m) {
                ((Map<String, Object>) m).put(key.toString(), next);
            } else {
                ((List<Object>) node).set((Integer) key, next);
            }
            node = next;
        }
    }

    /** Whether {@code existing} can hold the segment {@code next}: a list an index, a map a key. */
    private static boolean fits(Object existing, Object next) {
        return next instanceof Integer ? existing instanceof List<?> : existing instanceof Map<?, ?>;
    }

    /** Where {@code name} was set (a file and line), when the source knows; for messages. */
    static String origin(ConfigurableEnvironment env, String name) {
        for (PropertySource<?> source : env.getPropertySources()) {
            if (source instanceof OriginLookup<?> && source.containsProperty(name)) {
                @SuppressWarnings("unchecked")
                OriginLookup<String> lookup = (OriginLookup<String>) source;
                var origin = lookup.getOrigin(name);
                if (origin != null) {
                    return origin.toString();
                }
            }
        }
        return "";
    }
}
