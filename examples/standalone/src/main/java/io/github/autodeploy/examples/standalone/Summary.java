package io.github.autodeploy.examples.standalone;

import io.github.autodeploy.config.LoadedConfig;
import io.github.autodeploy.config.ServerSettings;
import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.config.StoreUrls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code check-config} and {@code serve} print on one screen: the file used, the webhook URL to
 * paste into GitHub, the pages, the repositories and environments, whether statuses go to GitHub, and
 * where deployments are kept.
 * Never a secret. Stateless.
 */
final class Summary {
    private Summary() {
    }

    /**
     * @param file    the configuration file used
     * @param config  the configuration, with its links settled for {@code baseUrl}
     * @param baseUrl where the server is (or, for check-config, would be) reached on this machine
     */
    static List<String> lines(Path file, LoadedConfig config, String baseUrl) {
        ServerSettings s = config.server();
        String publicUrl = s.publicUrl().orElse(baseUrl);
        List<String> lines = new ArrayList<>();
        lines.add("config:       " + file.toAbsolutePath().normalize());
        lines.add("webhook URL:  " + publicUrl + "/hooks/github   (GitHub: Settings > Webhooks > Add webhook, "
                + "content type application/json, the secret of github.webhook_secret)");
        if (s.publicUrl().isEmpty()) {
            lines.add("              public_url is not set: links use " + baseUrl
                    + "; set it to the address GitHub and your team reach");
        }
        lines.add("pages:        " + publicUrl + "/deployments   (" + access(s) + ")");
        if (!s.pagesOpen() && !s.credentials().isEmpty()) {
            lines.add("users:        " + String.join(", ", s.credentials().stream()
                    .map(c -> c.actor().name() + " (" + c.actor().role().key() + ")").toList()));
        }
        Map<String, List<String>> repos = new LinkedHashMap<>();
        for (EnvironmentRule r : config.robot().rules()) {
            repos.computeIfAbsent(r.repository().fullName(), k -> new ArrayList<>()).add(r.environment().value());
        }
        if (repos.isEmpty()) {
            lines.add("repositories: none configured (add them under repos)");
        }
        String label = "repositories: ";
        for (Map.Entry<String, List<String>> e : repos.entrySet()) {
            lines.add(label + e.getKey() + " -> " + String.join(", ", e.getValue()));
            label = "              ";
        }
        lines.add("statuses:     " + (config.robot().githubToken().isPresent()
                ? "posted to GitHub at " + config.robot().githubApiUrl() + " (token present)"
                : "kept on the pages and in the log (no github.token); merges and pushes do not deploy by themselves"));
        lines.add("store:        " + store(config.storeUrl()));
        return lines;
    }

    /** Where deployments are kept, with any password masked. */
    private static String store(String url) {
        if (url.equals(StoreUrls.MEMORY)) {
            return "memory (store.url): nothing is kept across a restart";
        }
        String file = StoreUrls.sqliteFile(url);
        if (!file.isEmpty()) {
            return "SQLite file " + file + " (store.url; created on first start)";
        }
        return "PostgreSQL at " + StoreUrls.mask(url) + " (store.url; every node with this config shares it)";
    }

    private static String access(ServerSettings s) {
        if (s.pagesOpen()) {
            return "open: your application guards them; whoever it lets in is an admin";
        }
        List<String> ways = new ArrayList<>();
        if (!s.users().isEmpty()) {
            ways.add("the users of access.users, by bearer token or by name and token");
        }
        s.pagesUser().ifPresent(u -> ways.add("user " + u + " and pages.password"));
        s.pagesToken().ifPresent(t -> ways.add("the bearer token of pages.token"));
        return ways.isEmpty() ? "only the per-deployment links: set access.users (or pages.username and pages.password, or pages.token)"
                : String.join(" or ", ways);
    }
}
