package io.github.autodeploy.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the passwords a store URL may hold ({@code password=} parameters and {@code user:password@})
 * and masks them, so that a URL can be named in a message or a log. Hostile text is fine: whatever
 * could be a password is masked. Stateless.
 */
public final class StoreUrls {
    /** The value of {@code store.url} that keeps everything in this process. */
    public static final String MEMORY = "memory";
    public static final String SQLITE = "jdbc:sqlite:";
    public static final String POSTGRESQL = "jdbc:postgresql://";

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)([^&;]*)");

    private StoreUrls() {
    }

    /** {@code url} with every password in it replaced by {@code ***}. */
    public static String mask(String url) {
        String masked = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
        int[] info = userInfoPassword(masked);
        return info.length == 0 ? masked : masked.substring(0, info[0]) + "***" + masked.substring(info[1]);
    }

    /** The passwords {@code url} holds, as written; empty when it holds none. */
    public static List<String> passwords(String url) {
        List<String> found = new ArrayList<>();
        Matcher m = PASSWORD_PARAMETER.matcher(url);
        while (m.find()) {
            if (!m.group(2).isEmpty()) {
                found.add(m.group(2));
            }
        }
        int[] info = userInfoPassword(url);
        if (info.length > 0 && info[1] > info[0]) {
            found.add(url.substring(info[0], info[1]));
        }
        return found;
    }

    /** The file of a {@code jdbc:sqlite:} URL (without its parameters); empty for any other URL. */
    public static String sqliteFile(String url) {
        if (!url.toLowerCase(Locale.ROOT).startsWith(SQLITE)) {
            return "";
        }
        String file = url.substring(SQLITE.length());
        int query = file.indexOf('?');
        return query < 0 ? file : file.substring(0, query);
    }

    /**
     * Where the password of a {@code //user:password@host} part is, as {start, end}; empty when there
     * is none. The user part ends at the last {@code @} before any parameter, so a password holding
     * {@code @} or {@code /} is still found whole.
     */
    /**
     * A URL's {@code user:password@} part taken out: the URL without it, and the user and password
     * URL-decoded (PostgreSQL's driver reads no such part; it would take it for the host). Empty
     * when the URL has none.
     */
    public static java.util.Optional<Credentials> splitUserInfo(String url) {
        int[] info = userInfoPassword(url);
        if (info.length == 0) {
            return java.util.Optional.empty();
        }
        int start = url.indexOf("//") + 2;
        String user = url.substring(start, info[0] - 1);
        String password = url.substring(info[0], info[1]);
        String rest = url.substring(0, start) + url.substring(info[1] + 1);
        return java.util.Optional.of(new Credentials(rest, decode(user), decode(password)));
    }

    /** What {@link #splitUserInfo} takes out of a URL. */
    public record Credentials(String url, String user, String password) {
        @Override
        public String toString() {
            return "Credentials[url=" + mask(url) + ", user=" + user + ", password=***]";
        }
    }

    /** Percent-decodes {@code s} as UTF-8 ({@code +} stays); a malformed escape leaves {@code s} as written. */
    private static String decode(String s) {
        byte[] bytes = new byte[s.length() * 3];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return s;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return s;
                }
                bytes[n++] = (byte) (hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    i++;
                }
                System.arraycopy(b, 0, bytes, n, b.length);
                n += b.length;
            }
        }
        return new String(bytes, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int[] userInfoPassword(String url) {
        int slashes = url.indexOf("//");
        if (slashes < 0) {
            return new int[0];
        }
        int start = slashes + 2;
        int query = url.indexOf('?', start);
        int end = query < 0 ? url.length() : query;
        int at = url.lastIndexOf('@', end - 1);
        if (at < start) {
            return new int[0];
        }
        int colon = url.indexOf(':', start);
        if (colon < 0 || colon > at) {
            return new int[0];
        }
        return new int[] {colon + 1, at};
    }
}
