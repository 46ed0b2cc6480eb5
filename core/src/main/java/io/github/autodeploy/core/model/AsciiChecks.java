package io.github.autodeploy.core.model;

/**
 * Character checks for the value types read from every webhook (a sha, a delivery id, a login, a repository),
 * written out instead of regular expressions because they run on each delivery; each method's comment gives the
 * expression it matches exactly. Stateless.
 */
final class AsciiChecks {
    private AsciiChecks() {
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isLowerAlnum(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'z');
    }

    static boolean isAlnum(char c) {
        return isLowerAlnum(c) || (c >= 'A' && c <= 'Z');
    }

    /** {@code [0-9a-f]{40}}. */
    static boolean isLowerHex40(String s) {
        if (s.length() != 40) {
            return false;
        }
        for (int i = 0; i < 40; i++) {
            char c = s.charAt(i);
            if (!isDigit(c) && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /** {@code [A-Za-z0-9._:-]{1,128}}. */
    static boolean isDeliveryId(String s) {
        int n = s.length();
        if (n < 1 || n > 128) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!isAlnum(c) && c != '.' && c != '_' && c != ':' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code [A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])|_){0,38}(?:\[bot\])?} when {@code underscore}, else
     * {@code [a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38}} with {@code lowerOnly} (a repository owner). {@code [bot]}
     * is allowed only with {@code underscore} (a requester's login).
     */
    static boolean isLogin(String s, boolean lowerOnly, boolean underscore) {
        int n = s.length();
        if (underscore && s.endsWith("[bot]")) {
            n -= 5;
        }
        if (n < 1 || n > 39) {
            return false;
        }
        if (!letterOrDigit(s.charAt(0), lowerOnly)) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = s.charAt(i);
            if (letterOrDigit(c, lowerOnly) || (underscore && c == '_')) {
                continue;
            }
            if (c != '-' || i + 1 >= n || !letterOrDigit(s.charAt(i + 1), lowerOnly)) {
                return false;
            }
        }
        return true;
    }

    /** {@code [a-z0-9._-]{1,100}}. */
    static boolean isRepositoryName(String s) {
        int n = s.length();
        if (n < 1 || n > 100) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!isLowerAlnum(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean letterOrDigit(char c, boolean lowerOnly) {
        return lowerOnly ? isLowerAlnum(c) : isAlnum(c);
    }
}
