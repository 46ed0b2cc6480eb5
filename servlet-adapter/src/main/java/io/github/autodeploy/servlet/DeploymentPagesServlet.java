package io.github.autodeploy.servlet;

import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.control.Role;
import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.LogChunk;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment pages, mounted at {@code /deployments/*}: the list of recent deployments (behind the
 * credential of a configured user), one deployment with its history, steps and live log (behind its
 * unguessable key, as linked from GitHub), a plain-text log, a JSON API, and cancelling (a user with
 * the deployer role, a {@link FormTokens CSRF token}, after a confirmation; recorded with the user's name);
 * and, through {@link ControlEndpoints}, the environments at a glance, locks, redeploy, rollback and
 * abort, by form or JSON; through {@link ActionsEndpoints}, the GitHub Actions deployments it gates, approved
 * or rejected by form or JSON. Every answer is
 * {@code noindex}, {@code no-store}, and under a strict Content-Security-Policy. Thread-safe.
 */
public final class DeploymentPagesServlet extends HttpServlet {
    /** The servlet-context attribute a {@code web.xml} deployment stores the {@link Settings} under. */
    public static final String CONTEXT_ATTRIBUTE = "io.github.autodeploy.servlet.PagesSettings";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentPagesServlet.class);
    private static final int LIST_LIMIT = 200;
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private transient Settings settings;
    private transient Pages pages;
    private transient PageJson json;
    private transient FormTokens formTokens;
    private transient ControlEndpoints control;
    private transient ActionsEndpoints actions;

    /** What the pages need: the robot, who may list and act, the secrets to mask, and GitHub's web address. */
    public record Settings(Autodeploy robot, PageAccess access, Secrets secrets, String githubWebUrl) {
    }

    /** For {@code web.xml}: the settings are taken from the servlet context in {@link #init()}. */
    public DeploymentPagesServlet() {
    }

    public DeploymentPagesServlet(Autodeploy robot, PageAccess access, Secrets secrets, String githubWebUrl) {
        this();
        use(new Settings(robot, access, secrets, githubWebUrl));
    }

    private void use(Settings s) {
        this.settings = s;
        this.pages = new Pages(s.githubWebUrl().replaceAll("/+$", ""), s.secrets(), s.robot().timeSource().asClock(),
                ActionsEndpoints.gating(s.robot()));
        this.json = new PageJson(s.secrets(), pages);
        this.formTokens = FormTokens.forUsers(s.access().users(), s.robot().timeSource().asClock());
        this.control = new ControlEndpoints(s.robot(), s.secrets(), pages, json, formTokens, this::actor);
        this.actions = new ActionsEndpoints(s.robot(), s.secrets(), pages, formTokens, this::actor, control);
    }

    @Override
    public void init() throws ServletException {
        if (settings == null) {
            Object s = getServletContext().getAttribute(CONTEXT_ATTRIBUTE);
            if (!(s instanceof Settings)) {
                throw new ServletException("DeploymentPagesServlet needs DeploymentPagesServlet.Settings in the servlet context "
                        + "attribute " + CONTEXT_ATTRIBUTE + "; set it from a ServletContextListener, or construct the servlet in code");
            }
            use((Settings) s);
        }
        if (settings.access().closedToAll()) {
            LOG.warn("no access.users, pages.token or pages.username is configured: the deployments list and cancelling are closed; "
                    + "single deployments stay readable by their links");
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("X-Robots-Tag", "noindex, nofollow");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Content-Security-Policy", CSP);
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("X-Frame-Options", "DENY");
        String base = req.getContextPath() + req.getServletPath();
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        List<String> parts = List.of(path.substring(1).split("/", -1));
        try {
            req.getParameterMap();
        } catch (RuntimeException e) {
            // The container could not decode the query string or form (say, %ff is not UTF-8): the client's fault.
            if (path.startsWith("/api")) {
                json(resp, 400, "{\"error\":\"bad_request\",\"reason\":\"the query string or form is not valid percent-encoded UTF-8\"}");
            } else {
                html(resp, 400, pages.message(base, "Bad request", "The query string or form is not valid percent-encoded UTF-8."));
            }
            return;
        }
        try {
            if (path.startsWith("/static/") && "GET".equals(req.getMethod())) {
                asset(parts.get(parts.size() - 1), resp);
            } else if (path.equals("/") || path.equals("/api")) {
                list(req, resp, base, path.equals("/api"));
            } else if (parts.get(0).equals("environments")) {
                control.environments(req, resp, base, parts);
            } else if (parts.get(0).equals("actions")) {
                actions.page(req, resp, base, parts);
            } else if (parts.get(0).equals("api") && parts.size() >= 2 && parts.get(1).equals("actions")) {
                actions.api(req, resp, base, parts);
            } else if (parts.get(0).equals("api") && parts.size() >= 2 && parts.get(1).equals("environments")) {
                control.apiEnvironments(req, resp, base, parts);
            } else if (parts.get(0).equals("api") && parts.size() == 3
                    && (parts.get(2).equals("redeploy") || parts.get(2).equals("abort-and-rollback"))) {
                control.apiDeployment(req, resp, base, parts.get(1), parts.get(2));
            } else if (parts.get(0).equals("find") && parts.size() == 2) {
                control.find(req, resp, base, parts.get(1));
            } else if (parts.size() >= 2 && parts.size() <= 3) {
                deployment(req, resp, base, parts);
            } else {
                notFound(resp, base);
            }
        } catch (io.github.autodeploy.core.AutodeployException e) {
            LOG.warn("deployment page not shown: {}", e.getMessage());
            if (!resp.isCommitted() && path.startsWith("/api/")) {
                resp.setHeader("Retry-After", "10");
                json(resp, 503, "{\"error\":\"unavailable\",\"reason\":\"the robot cannot reach its store now; try again shortly\"}");
            } else if (!resp.isCommitted()) {
                resp.setHeader("Retry-After", "10");
                html(resp, 503, pages.message(base, "Not available now", "The robot cannot reach its store at the moment, so it "
                        + "cannot show its deployments. Try again shortly."));
            }
        } catch (RuntimeException e) {
            LOG.error("deployment page failed", e);
            if (!resp.isCommitted()) {
                html(resp, 500, pages.message(base, "Something went wrong", "The page could not be shown; the robot's log says why."));
            }
        }
    }

    private void list(HttpServletRequest req, HttpServletResponse resp, String base, boolean api) throws IOException {
        if (!"GET".equals(req.getMethod())) {
            methodNotAllowed(resp, "GET");
            return;
        }
        if (actor(req, resp, base, api, Role.VIEWER, "reading the deployments").isEmpty()) {
            return;
        }
        String repo = Optional.ofNullable(req.getParameter("repository")).orElse("");
        String env = Optional.ofNullable(req.getParameter("environment")).orElse("");
        List<DeploymentRecord> all = settings.robot().recent(LIST_LIMIT);
        SortedSet<String> repos = new TreeSet<>();
        SortedSet<String> envs = new TreeSet<>();
        all.forEach(r -> {
            repos.add(r.deployment().repository().fullName());
            envs.add(r.deployment().environment().value());
        });
        List<DeploymentRecord> shown = all.stream()
                .filter(r -> repo.isEmpty() || r.deployment().repository().fullName().equals(repo))
                .filter(r -> env.isEmpty() || r.deployment().environment().value().equals(env))
                .sorted((a, b) -> Boolean.compare(a.lifecycle().isTerminal(), b.lifecycle().isTerminal()))
                .toList();
        Function<DeploymentRecord, String> link = r -> base + "/" + r.deployment().id() + "/" + r.pageKey();
        if (api) {
            json(resp, 200, json.list(shown, link).toString());
        } else {
            html(resp, 200, pages.list(base, shown, link, repo, env, repos, envs));
        }
    }

    private void deployment(HttpServletRequest req, HttpServletResponse resp, String base, List<String> parts) throws IOException {
        Optional<DeploymentRecord> found = find(parts.get(0), parts.get(1));
        if (found.isEmpty()) {
            notFound(resp, base);
            return;
        }
        DeploymentRecord r = found.get();
        String self = base + "/" + r.deployment().id() + "/" + r.pageKey();
        String action = parts.size() == 3 ? parts.get(2) : "";
        String method = req.getMethod();
        if (action.equals("cancel")) {
            cancel(req, resp, base, self, r);
            return;
        }
        if (action.equals("redeploy") || action.equals("abort")) {
            control.deploymentAction(req, resp, base, self, r, action);
            return;
        }
        if (!"GET".equals(method)) {
            methodNotAllowed(resp, "GET");
            return;
        }
        switch (action) {
            case "" -> html(resp, 200, pages.detail(base, self, r, wholeLog(r), true,
                    r.lifecycle().isTerminal() ? control.deployedNow(r) : Optional.empty()));
            case "api" -> json(resp, 200, json.detail(r, settings.robot().log(r.deployment().id(), from(req))).toString());
            case "log" -> text(resp, wholeLog(r));
            default -> notFound(resp, base);
        }
    }

    private void cancel(HttpServletRequest req, HttpServletResponse resp, String base, String self, DeploymentRecord r)
            throws IOException {
        Optional<Actor> actor = actor(req, resp, base, false, Role.DEPLOYER, "cancelling");
        if (actor.isEmpty()) {
            return;
        }
        String target = r.deployment().id().toString();
        if ("GET".equals(req.getMethod())) {
            if (r.lifecycle().isTerminal()) {
                html(resp, 409, pages.message(base, "Already finished", "Deployment " + r.deployment().id() + " has ended; nothing to cancel."));
                return;
            }
            html(resp, 200, pages.confirmCancel(base, self, r, formTokens.issue("cancel", target, actor.get())));
            return;
        }
        if (!"POST".equals(req.getMethod())) {
            methodNotAllowed(resp, "GET, POST");
            return;
        }
        if (!formTokens.accepts(req, "cancel", target, actor.get())) {
            html(resp, 403, pages.message(base, "Not cancelled", "The form was stale or came from another site; open the page and try again."));
            return;
        }
        boolean cancelled = settings.robot().cancel(r.deployment().id(), "cancelled by " + actor.get().name());
        if (!cancelled) {
            html(resp, 409, pages.message(base, "Already finished", "Deployment " + r.deployment().id() + " has ended; nothing to cancel."));
            return;
        }
        resp.setStatus(303);
        resp.setHeader("Location", self);
    }

    private Optional<DeploymentRecord> find(String id, String key) {
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (n <= 0) {
            return Optional.empty();
        }
        return settings.robot().find(DeploymentId.of(n))
                .filter(r -> MessageDigest.isEqual(r.pageKey().getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The actor of a request that may do what needs {@code needed}; otherwise the 401 or 403 answer
     * (JSON {@code {"error": ..., "reason": ...}} for the API, a page otherwise) is written and empty returned.
     */
    Optional<Actor> actor(HttpServletRequest req, HttpServletResponse resp, String base, boolean api, Role needed,
                                  String doing) throws IOException {
        PageAccess.Decision d = settings.access().decide(req, needed, doing);
        if (d instanceof PageAccess.Decision.Allowed a) {
            return Optional.of(a.actor());
        }
        if (d instanceof PageAccess.Decision.Unauthenticated u) {
            resp.setHeader("WWW-Authenticate", u.challenge());
            refuse(resp, base, api, 401, "unauthorized", "Sign in needed", u.reason());
        } else if (d instanceof PageAccess.Decision.Forbidden f) {
            refuse(resp, base, api, 403, "forbidden", "Not allowed", f.reason() + ".");
        }
        return Optional.empty();
    }

    private void refuse(HttpServletResponse resp, String base, boolean api, int status, String error, String title, String why)
            throws IOException {
        if (api) {
            json(resp, status, "{\"error\":\"" + error + "\",\"reason\":" + PageJson.JSON.writeValueAsString(why) + "}");
        } else {
            html(resp, status, pages.message(base, title, why));
        }
    }

    private static long from(HttpServletRequest req) {
        try {
            return Math.max(0, Long.parseLong(Optional.ofNullable(req.getParameter("from")).orElse("0")));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void asset(String name, HttpServletResponse resp) throws IOException {
        String type = name.equals("app.js") ? "text/javascript" : name.equals("style.css") ? "text/css" : null;
        InputStream in = type == null ? null : DeploymentPagesServlet.class.getResourceAsStream("static/" + name);
        if (in == null) {
            resp.sendError(404);
            return;
        }
        try (in) {
            byte[] bytes = in.readAllBytes();
            resp.setContentType(type + ";charset=UTF-8");
            resp.setHeader("Cache-Control", "public, max-age=300");
            resp.setContentLength(bytes.length);
            resp.getOutputStream().write(bytes);
        }
    }

    private void notFound(HttpServletResponse resp, String base) throws IOException {
        html(resp, 404, pages.message(base, "Not found", "There is no such deployment page. Links to deployments come from GitHub's deployment statuses."));
    }

    static void methodNotAllowed(HttpServletResponse resp, String allow) throws IOException {
        resp.setHeader("Allow", allow);
        resp.sendError(405);
    }

    static void html(HttpServletResponse resp, int status, String body) throws IOException {
        write(resp, status, "text/html;charset=UTF-8", body);
    }

    static void json(HttpServletResponse resp, int status, String body) throws IOException {
        write(resp, status, "application/json;charset=UTF-8", body);
    }

    /** What is kept of the log, to its end: the page and the plain text show the outcome, the API pages instead. */
    private LogChunk wholeLog(DeploymentRecord r) {
        return LogChunk.whole(from -> settings.robot().log(r.deployment().id(), from));
    }

    private void text(HttpServletResponse resp, LogChunk log) throws IOException {
        StringBuilder b = new StringBuilder();
        if (log.firstLine() > 0) {
            b.append("[autodeploy] ").append(log.firstLine()).append(" earlier lines were dropped\n");
        }
        log.lines().forEach(l -> b.append(settings.secrets().redact(l)).append('\n'));
        write(resp, 200, "text/plain;charset=UTF-8", b.toString());
    }

    private static void write(HttpServletResponse resp, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType(type);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
