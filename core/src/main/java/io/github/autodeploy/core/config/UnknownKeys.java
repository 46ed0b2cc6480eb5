package io.github.autodeploy.core.config;

import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;

/**
 * The message for a key that nothing reads, suggesting the closest known key when it looks like a
 * typo of one. Used by core's validation and by a file's loader, so both speak alike. Stateless.
 */
public final class UnknownKeys {
    private UnknownKeys() {
    }

    /** What to say about {@code key}, which is none of {@code known}. */
    public static String message(String key, Set<String> known) {
        String closest = known.stream().min(Comparator.comparingInt(k -> distance(k, key))).orElse("");
        return !closest.isEmpty() && distance(closest, key) <= 2
                ? "unknown key; did you mean " + closest + "?"
                : "unknown key; known keys here: " + String.join(", ", new TreeSet<>(known));
    }

    /** Levenshtein distance: insertions, deletions and substitutions that turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
