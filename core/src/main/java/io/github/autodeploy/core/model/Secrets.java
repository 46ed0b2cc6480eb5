package io.github.autodeploy.core.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The configured secrets, and their removal from any text before it leaves the robot (a log line, a
 * status, a page, a message). Every occurrence of every secret is hidden, overlapping ones included,
 * so one that contains another is hidden whole. A secret that spans several lines (a PEM key) is
 * hidden whole where text holds it whole, and each of its lines is hidden on its own as well, since
 * output is read and kept line by line. {@link #toString()} never shows them. Immutable and
 * thread-safe.
 */
public final class Secrets {
    /** What a secret is replaced with. */
    public static final String MASK = "***";
    /** Secrets shorter than this are ignored: masking them would garble ordinary text. */
    private static final int MIN_LENGTH = 4;
    /** Lines of a multi-line secret shorter than this are not hidden on their own ({@code -----}, braces). */
    private static final int MIN_LINE_LENGTH = 8;
    private static final Secrets NONE = new Secrets(List.of(), List.of());
    /** The secrets as given (what {@link #with} adds to). */
    private final List<String> given;
    /** What is hidden: the secrets and the lines of multi-line ones, longest first. */
    private final List<String> values;
    /** The distinct first characters of {@link #values}: text holding none of them holds no secret. */
    private final char[] firsts;

    private Secrets(List<String> given, List<String> values) {
        this.given = given;
        this.values = values;
        StringBuilder f = new StringBuilder();
        for (String v : values) {
            if (f.indexOf(String.valueOf(v.charAt(0))) < 0) {
                f.append(v.charAt(0));
            }
        }
        this.firsts = f.toString().toCharArray();
    }

    /** Secrets shorter than 4 characters are ignored: masking them would garble ordinary text. */
    public static Secrets of(List<String> secrets) {
        List<String> given = secrets.stream().filter(s -> s != null && s.length() >= MIN_LENGTH).distinct().toList();
        Set<String> values = new LinkedHashSet<>(given);
        for (String s : given) {
            if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                for (String line : s.split("\r\n|\r|\n")) {
                    String part = line.strip();
                    if (part.length() >= MIN_LINE_LENGTH) {
                        values.add(part);
                    }
                }
            }
        }
        return new Secrets(given, values.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList());
    }

    public static Secrets none() {
        return NONE;
    }

    /** These secrets and {@code more}: one set for every output of a robot. */
    public Secrets with(List<String> more) {
        List<String> all = new ArrayList<>(given);
        all.addAll(more);
        return of(all);
    }

    /** These secrets and {@code other}'s. */
    public Secrets with(Secrets other) {
        return with(other.given);
    }

    public String redact(String text) {
        boolean[] hidden = hiddenIn(text);
        if (hidden == null) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            if (!hidden[i]) {
                out.append(text.charAt(i));
            } else if (i == 0 || !hidden[i - 1]) {
                out.append(MASK);
            }
        }
        return out.toString();
    }

    /** Which characters of {@code text} belong to an occurrence of a secret; null when none does. */
    private boolean[] hiddenIn(String text) {
        if (!mayHold(text)) {
            return null;
        }
        boolean[] hidden = null;
        for (String s : values) {
            int at = text.indexOf(s);
            while (at >= 0) {
                if (hidden == null) {
                    hidden = new boolean[text.length()];
                }
                Arrays.fill(hidden, at, at + s.length(), true);
                at = text.indexOf(s, at + 1);
            }
        }
        return hidden;
    }

    /**
     * False when no secret can occur in {@code text} since none of their first characters does: the common case
     * of a command's output line, checked with one (vectorized) character search per distinct first character
     * instead of one substring search per secret.
     */
    private boolean mayHold(String text) {
        for (char c : firsts) {
            if (text.indexOf(c) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * False when no secret can occur in {@code text}, since none of their first characters does (a few vectorized
     * character searches): a reader can test a whole chunk of output once and then pass on its lines unmasked.
     */
    public boolean mayOccurIn(String text) {
        return mayHold(text);
    }

    /** True when {@code text} contains a secret (or a line of a multi-line one). */
    public boolean containsAny(String text) {
        return values.stream().anyMatch(text::contains);
    }

    /**
     * How many characters at the end of text that goes on could be the beginning of a secret: the
     * longest secret's length minus one, 0 without secrets. Text cut into pieces must carry these
     * over to the next piece before masking, or a secret that straddles the cut is printed in halves.
     */
    public int overlap() {
        return values.isEmpty() ? 0 : values.get(0).length() - 1;
    }

    /**
     * Where to cut {@code text} at or near {@code at} without cutting a secret it holds in two: {@code
     * at} itself when no secret spans it, else where the run of secrets spanning it starts (or, when
     * that run starts the text, where it ends). Everything before the result can be masked and let go.
     */
    public int safeCut(CharSequence text, int at) {
        if (at <= 0 || at >= text.length()) {
            return Math.max(0, Math.min(at, text.length()));
        }
        boolean[] hidden = hiddenIn(text.toString());
        if (hidden == null || !(hidden[at - 1] && hidden[at])) {
            return at;
        }
        int start = at;
        while (start > 0 && hidden[start - 1]) {
            start--;
        }
        if (start > 0) {
            return start;
        }
        int end = at;
        while (end < hidden.length && hidden[end]) {
            end++;
        }
        return end;
    }

    @Override
    public String toString() {
        return "Secrets[" + values.size() + " hidden]";
    }
}
