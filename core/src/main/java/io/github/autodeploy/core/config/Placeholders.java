package io.github.autodeploy.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The placeholders a command may hold ({@code ${sha}}, {@code ${ref}}, ...), and their replacement
 * inside one argv element. Replacement never splits or joins elements and never goes through a
 * shell; a replaced value is not scanned again, so a value that itself looks like a placeholder
 * stays literal. Thread-safe.
 */
public final class Placeholders {
    /** Every name a command may use. */
    public static final Set<String> NAMES =
            Set.of("sha", "ref", "environment", "repository", "deployment_id", "requester", "task");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    private Placeholders() {
    }

    /** The names in {@code element} that are not placeholders this robot knows. */
    public static List<String> unknownIn(String element) {
        List<String> unknown = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(element);
        while (m.find()) {
            if (!NAMES.contains(m.group(1))) {
                unknown.add(m.group(1));
            }
        }
        return unknown;
    }

    /** The names in {@code element} that are placeholders this robot knows, in order, each once. */
    public static List<String> knownIn(String element) {
        List<String> known = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(element);
        while (m.find()) {
            if (NAMES.contains(m.group(1)) && !known.contains(m.group(1))) {
                known.add(m.group(1));
            }
        }
        return known;
    }

    /** {@code element} with each known placeholder replaced by its value, in one left-to-right pass. */
    public static String expand(String element, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(element);
        StringBuilder out = new StringBuilder(element.length() + 32);
        while (m.find()) {
            String value = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
