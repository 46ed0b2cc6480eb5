package io.github.autodeploy.core.model;

import java.util.Comparator;
import java.util.List;

/**
 * The configured secrets, and their removal from any text before it leaves the robot (a log line, a
 * status, a page, a message). Longer secrets are replaced first, so one that contains another is
 * hidden whole. {@link #toString()} never shows them. Immutable and thread-safe.
 */
public final class Secrets {
    /** What a secret is replaced with. */
    public static final String MASK = "***";
    private static final Secrets NONE = new Secrets(List.of());
    private final List<String> values;

    private Secrets(List<String> values) {
        this.values = values;
    }

    /** Secrets shorter than 4 characters are ignored: masking them would garble ordinary text. */
    public static Secrets of(List<String> secrets) {
        return new Secrets(secrets.stream().filter(s -> s != null && s.length() >= 4).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList());
    }

    public static Secrets none() {
        return NONE;
    }

    public String redact(String text) {
        String out = text;
        for (String s : values) {
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
        }
        return out;
    }

    /** True when {@code text} contains a secret. */
    public boolean containsAny(String text) {
        return values.stream().anyMatch(text::contains);
    }

    @Override
    public String toString() {
        return "Secrets[" + values.size() + " hidden]";
    }
}
