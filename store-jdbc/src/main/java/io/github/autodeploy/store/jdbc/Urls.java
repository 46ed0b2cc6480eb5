package io.github.autodeploy.store.jdbc;

import java.util.regex.Pattern;

/** Masks the secrets in a JDBC URL, so that it can be named in a message or a log. Stateless. */
final class Urls {
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("//([^/:@?]*):[^@/?]*@");

    private Urls() {
    }

    static String mask(String url) {
        String masked = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
        return USER_INFO.matcher(masked).replaceAll("//$1:***@");
    }
}
