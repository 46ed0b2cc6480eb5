package io.github.autodeploy.benchmarks.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.autodeploy.github.sample.SampleWebhooks;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Signed {@code deployment} webhooks as GitHub sends them: {@link SampleWebhooks}' payload with the
 * repository's and users' URL fields GitHub adds (about 5 KB, as a real delivery), a new deployment id
 * and a new {@code X-GitHub-Delivery} each time, signed with HMAC-SHA256 in {@code X-Hub-Signature-256}.
 * Thread-safe.
 */
public final class Webhooks {
    /** The repository the deliveries name, and the load robot's only rule. */
    public static final String REPO = SampleWebhooks.REPO;
    private static final List<String> REPO_URLS = List.of("forks", "keys{/key_id}", "collaborators{/collaborator}", "teams",
            "hooks", "issues/events{/number}", "events", "assignees{/user}", "branches{/branch}", "tags",
            "git/blobs{/sha}", "git/tags{/sha}", "git/refs{/sha}", "git/trees{/sha}", "statuses/{sha}", "languages",
            "stargazers", "contributors", "subscribers", "subscription", "commits{/sha}", "git/commits{/sha}",
            "comments{/number}", "issues/comments{/number}", "contents/{+path}", "compare/{base}...{head}", "merges",
            "{archive_format}{/ref}", "downloads", "issues{/number}", "pulls{/number}", "milestones{/number}",
            "notifications{?since,all,participating}", "labels{/name}", "releases{/id}", "deployments");
    private static final List<String> USER_URLS = List.of("followers", "following{/other_user}", "gists{/gist_id}",
            "starred{/owner}{/repo}", "subscriptions", "orgs", "repos", "events{/privacy}", "received_events");

    private final String secret;
    private final AtomicLong deploymentIds;
    private final AtomicLong deliveries = new AtomicLong();
    private final String runTag;
    private final int minBytes;

    /**
     * @param secret       the webhook secret the robot verifies with
     * @param firstId      the first deployment id; later ones count up, so each delivery deploys anew and
     *                     the lane never sees an older one after a newer one
     */
    public Webhooks(String secret, long firstId) {
        this(secret, firstId, 0);
    }

    /**
     * As {@link #Webhooks(String, long)}, each body padded to at least {@code minBytes} (the repository's
     * description made longer), e.g. 7168 for the 7 KB deliveries of the side-by-side measurement.
     */
    public Webhooks(String secret, long firstId, int minBytes) {
        if (secret.isEmpty() || firstId < 1 || minBytes < 0) {
            throw new IllegalArgumentException("a webhook secret, a positive first deployment id and a size >= 0 are needed");
        }
        this.secret = secret;
        this.deploymentIds = new AtomicLong(firstId);
        this.runTag = Long.toHexString(firstId);
        this.minBytes = minBytes;
    }

    /** One delivery: its id, body and signature header. */
    public record Delivery(String id, long deploymentId, byte[] body, String signature) {
    }

    /** The next delivery: a new deployment of {@link #REPO} to production. */
    public Delivery next() {
        return next("production");
    }

    /** The next delivery: a new deployment of {@link #REPO} to {@code environment}. */
    public Delivery next(String environment) {
        long id = deploymentIds.getAndIncrement();
        ObjectNode p = SampleWebhooks.payload("deployment", Map.of("id", Long.toString(id), "sha", sha(id),
                "environment", environment));
        enrich(p);
        byte[] body = SampleWebhooks.bytes(p);
        if (body.length < minBytes) {
            ObjectNode repo = (ObjectNode) p.get("repository");
            repo.put("description", repo.get("description").asText() + " " + "x".repeat(minBytes - body.length));
            body = SampleWebhooks.bytes(p);
        }
        return new Delivery("bench-" + runTag + "-" + deliveries.incrementAndGet(), id, body,
                SampleWebhooks.signature(secret, body));
    }

    /** The POST GitHub would make to {@code hook} with {@code d}. */
    public static HttpRequest request(URI hook, Delivery d) {
        return HttpRequest.newBuilder(hook).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("User-Agent", "GitHub-Hookshot/bench")
                .header("X-GitHub-Event", "deployment").header("X-GitHub-Delivery", d.id())
                .header("X-GitHub-Hook-ID", "1").header("X-Hub-Signature-256", d.signature())
                .POST(HttpRequest.BodyPublishers.ofByteArray(d.body())).build();
    }

    private static String sha(long id) {
        String hex = Long.toHexString(id);
        return "0".repeat(40 - hex.length()) + hex;
    }

    private static void enrich(ObjectNode p) {
        String api = "https://api.github.com/repos/" + REPO;
        ObjectNode repo = (ObjectNode) p.get("repository");
        repo.put("node_id", "R_kgDOBench").put("html_url", "https://github.com/" + REPO)
                .put("description", "The application the benchmark deploys").put("fork", false).put("url", api);
        REPO_URLS.forEach(u -> repo.put(key(u) + "_url", api + "/" + u));
        repo.put("created_at", "2019-05-15T15:19:25Z").put("updated_at", "2019-05-15T15:21:03Z")
                .put("pushed_at", "2019-05-15T15:20:57Z").put("git_url", "git://github.com/" + REPO + ".git")
                .put("ssh_url", "git@github.com:" + REPO + ".git").put("clone_url", "https://github.com/" + REPO + ".git")
                .put("svn_url", "https://github.com/" + REPO).putNull("homepage").put("size", 0)
                .put("stargazers_count", 0).put("watchers_count", 0).putNull("language").put("has_issues", true)
                .put("has_projects", true).put("has_downloads", true).put("has_wiki", true).put("has_pages", true)
                .put("forks_count", 0).putNull("mirror_url").put("archived", false).put("disabled", false)
                .put("open_issues_count", 2).putNull("license").put("forks", 0).put("open_issues", 2)
                .put("watchers", 0).put("is_template", false).put("visibility", "public")
                .put("web_commit_signoff_required", false);
        repo.putArray("topics");
        repo.putObject("custom_properties");
        user((ObjectNode) repo.get("owner"));
        user((ObjectNode) p.get("sender"));
        ObjectNode d = (ObjectNode) p.get("deployment");
        long id = d.get("id").asLong();
        d.put("url", api + "/deployments/" + id).put("node_id", "DE_kwDOBench" + id)
                .put("original_environment", "production").put("updated_at", d.get("created_at").asText())
                .put("statuses_url", api + "/deployments/" + id + "/statuses").put("repository_url", api);
        user((ObjectNode) d.get("creator"));
    }

    private static void user(ObjectNode u) {
        String login = u.get("login").asText();
        String api = "https://api.github.com/users/" + login;
        u.put("id", 21031067).put("node_id", "MDQ6VXNlcjIxMDMxMDY3")
                .put("avatar_url", "https://avatars1.githubusercontent.com/u/21031067?v=4").put("gravatar_id", "")
                .put("url", api).put("html_url", "https://github.com/" + login);
        USER_URLS.forEach(x -> u.put(key(x) + "_url", api + "/" + x));
        u.put("site_admin", false);
    }

    private static String key(String template) {
        String path = template.replaceAll("\\{[^}]*}", "").replaceAll("/+$", "");
        if (path.isEmpty()) {
            return "archive";
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        return path.startsWith("git/") ? "git_" + last : path.startsWith("issues/") && !last.equals("issues") ? "issue_" + last : last;
    }
}
