package io.github.autodeploy.github;

import io.github.autodeploy.core.model.RepositoryName;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a {@code deployment_callback_url} against the configured GitHub API: the same scheme (https, or
 * http only when the API itself is http, as a test server is), host and port, no user info, query or
 * fragment, and the path {@code BASE/repos/OWNER/REPO/actions/runs/RUN_ID/deployment_protection_rule} of
 * the event's own repository. It yields the run id; the URL is never followed (the client builds its own
 * from the API URL). Immutable and thread-safe.
 */
final class CallbackUrls {
    static final CallbackUrls GITHUB_COM = of("https://api.github.com");
    private static final String FIELD = "deployment_callback_url";
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");
    private final String scheme;
    private final String host;
    private final int port;
    private final Pattern path;
    private final String apiUrl;

    private CallbackUrls(String scheme, String host, int port, String basePath, String apiUrl) {
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.apiUrl = apiUrl;
        this.path = Pattern.compile(Pattern.quote(basePath)
                + "/repos/([^/]+)/([^/]+)/actions/runs/([1-9][0-9]{0,18})/deployment_protection_rule");
    }

    /** @throws IllegalArgumentException when {@code apiUrl} is not an absolute http(s) URL with a host */
    static CallbackUrls of(String apiUrl) {
        URI api;
        try {
            api = new URI(apiUrl.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("GitHub API URL \"" + apiUrl + "\" is not a URL; use https://api.github.com or https://HOST/api/v3");
        }
        String scheme = api.getScheme() == null ? "" : api.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || api.getHost() == null) {
            throw new IllegalArgumentException("GitHub API URL \"" + apiUrl + "\" is not an http(s) URL with a host; "
                    + "use https://api.github.com or https://HOST/api/v3");
        }
        String base = api.getRawPath() == null ? "" : api.getRawPath().replaceAll("/+$", "");
        return new CallbackUrls(scheme, api.getHost().toLowerCase(Locale.ROOT), port(scheme, api.getPort()), base,
                scheme + "://" + api.getRawAuthority() + base);
    }

    private static int port(String scheme, int port) {
        return port >= 0 ? port : scheme.equals("https") ? 443 : 80;
    }

    /** The workflow run id of {@code url}, the review address of {@code repo}'s run; a parse error saying why otherwise. */
    long runId(String url, RepositoryName repo) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw refused(url, "it is not a URL");
        }
        String s = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!s.equals(scheme)) {
            throw refused(url, "it is not " + scheme + (scheme.equals("https") ? "" : " like the configured API"));
        }
        if (u.isOpaque() || u.getHost() == null || !u.getHost().toLowerCase(Locale.ROOT).equals(host)
                || port(s, u.getPort()) != port) {
            throw refused(url, "it is not on the configured GitHub API " + apiUrl);
        }
        if (u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) {
            throw refused(url, "it carries user info, a query or a fragment");
        }
        Matcher m = path.matcher(u.getRawPath() == null ? "" : u.getRawPath());
        if (!m.matches()) {
            throw refused(url, "its path is not " + apiUrl + "/repos/OWNER/REPO/actions/runs/RUN_ID/deployment_protection_rule");
        }
        if (!SEGMENT.matcher(m.group(1)).matches() || !SEGMENT.matcher(m.group(2)).matches()
                || !m.group(1).equalsIgnoreCase(repo.owner()) || !m.group(2).equalsIgnoreCase(repo.name())) {
            throw refused(url, "it names another repository than the event's " + repo);
        }
        try {
            return Long.parseLong(m.group(3));
        } catch (NumberFormatException e) {
            throw refused(url, "its run id is too large");
        }
    }

    private static WebhookParseException refused(String url, String why) {
        return PayloadFields.malformed(FIELD + " \"" + PayloadFields.printable(url) + "\" is refused: " + why);
    }
}
