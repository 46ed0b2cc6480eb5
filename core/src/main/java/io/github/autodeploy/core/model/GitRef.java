package io.github.autodeploy.core.model;

/**
 * A git reference name ({@code main}, {@code refs/heads/main}, {@code v1.2}) that passes git's
 * {@code check-ref-format} rules, so it can never be read as a command-line option or hide control
 * characters.
 */
public record GitRef(String value) {
    private static final String HEADS = "refs/heads/";
    private static final String TAGS = "refs/tags/";

    public GitRef {
        InvalidValueException.requireNonNull(value, "git ref");
        String problem = problem(value);
        if (problem != null) {
            throw new InvalidValueException("git ref " + InvalidValueException.quote(value) + " " + problem);
        }
    }

    public static GitRef of(String value) {
        return new GitRef(value);
    }

    /** The name without {@code refs/heads/} or {@code refs/tags/}. */
    public String shortName() {
        if (value.startsWith(HEADS)) {
            return value.substring(HEADS.length());
        }
        if (value.startsWith(TAGS)) {
            return value.substring(TAGS.length());
        }
        return value;
    }

    public boolean isTag() {
        return value.startsWith(TAGS);
    }

    /** True when this names the given branch, written short or in full. */
    public boolean namesBranch(String branch) {
        return !isTag() && shortName().equals(branch);
    }

    @Override
    public String toString() {
        return value;
    }

    /** Git allows these in a ref; a shell gives them meaning, so the robot refuses them (defence in depth). */
    private static final String SHELL = ";$&|<>()`{}'\"!";

    private static String problem(String v) {
        if (v.isEmpty()) {
            return "is empty";
        }
        if (v.length() > 255) {
            return "is longer than 255 characters";
        }
        if (v.startsWith("-")) {
            return "starts with '-', which a command would read as an option";
        }
        if (v.equals("@")) {
            return "is '@', which git does not allow";
        }
        if (v.contains("..")) {
            return "contains '..'";
        }
        if (v.contains("@{")) {
            return "contains '@{'";
        }
        if (v.contains("//")) {
            return "contains '//'";
        }
        if (v.startsWith("/") || v.endsWith("/") || v.endsWith(".")) {
            return "starts or ends with '/' or ends with '.'";
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "contains a control character";
            }
            if (c == ' ' || c == '~' || c == '^' || c == ':' || c == '?' || c == '*' || c == '[' || c == '\\') {
                return "contains '" + c + "', which git does not allow in a ref";
            }
            if (SHELL.indexOf(c) >= 0) {
                return "contains '" + c + "', which means something to a shell; this robot does not deploy such refs";
            }
        }
        // Each '/'-separated component, found with indexOf rather than split: every delivery's ref is checked.
        for (int start = 0; start <= v.length(); ) {
            int end = v.indexOf('/', start);
            if (end < 0) {
                end = v.length();
            }
            if ((end > start && v.charAt(start) == '.') || v.startsWith(".lock", end - 5) && end - 5 >= start) {
                return "has a component that starts with '.' or ends with '.lock'";
            }
            start = end + 1;
        }
        return null;
    }
}
