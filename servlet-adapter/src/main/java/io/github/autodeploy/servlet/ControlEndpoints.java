package io.github.autodeploy.servlet;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.autodeploy.core.AutodeployException;
import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.control.Role;
import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.core.engine.ControlResult;
import io.github.autodeploy.core.engine.EnvironmentView;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.store.DeploymentRecord;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pages' and the JSON API's side of steering the robot: the environments at a glance, lock and
 * unlock (forms with a CSRF token, or JSON), redeploy or roll back a finished deployment's commit, and
 * abort and roll back a queued or running one. Forms need a {@link FormTokens} token; the JSON API
 * needs {@code Content-Type: application/json} instead (a cross-site form cannot send it), and bodies
 * of at most {@value #MAX_BODY} bytes. A refusal of the engine answers by its kind: forbidden 403, not
 * found 404, conflict 409, invalid 422, unavailable 503. Thread-safe.
 */
final class ControlEndpoints {
    /** The largest JSON body the API reads. */
    static final int MAX_BODY = 16 * 1024;
    private static final Pattern EXPIRY = Pattern.compile("(\\d{1,6})\\s*(m|min|h|d|w)");
    private final Autodeploy robot;
    private final Secrets secrets;
    private final PageJson json;
    private final ControlPages html;
    private final FormTokens formTokens;
    private final Gate gate;

    /** Who may do what (the servlet's check, which writes the 401 or 403 answer itself). */
    @FunctionalInterface
    interface Gate {
        Optional<Actor> actor(HttpServletRequest req, HttpServletResponse resp, String base, boolean api, Role needed, String doing)
                throws IOException;
    }

    ControlEndpoints(Autodeploy robot, Secrets secrets, Pages pages, PageJson json, FormTokens formTokens, Gate gate) {
        this.robot = robot;
        this.secrets = secrets;
        this.json = json;
        this.html = new ControlPages(pages);
        this.formTokens = formTokens;
        this.gate = gate;
    }

    /** {@code /environments} (the page) and {@code /environments/OWNER/REPO/ENV/lock|unlock} (its forms). */
    void environments(HttpServletRequest req, HttpServletResponse resp, String base, List<String> parts) throws IOException {
        if (parts.size() == 1 || (parts.size() == 2 && parts.get(1).isEmpty())) {
            if (!"GET".equals(req.getMethod())) {
                DeploymentPagesServlet.methodNotAllowed(resp, "GET");
                return;
            }
            Optional<Actor> actor = gate.actor(req, resp, base, false, Role.VIEWER, "reading the environments");
            if (actor.isEmpty()) {
                return;
            }
            String repo = param(req, "repository");
            String env = param(req, "environment");
            List<EnvironmentView> all = robot.environments();
            java.util.Map<String, Long> actions = ActionsEndpoints.waitingByEnvironment(robot);
            Function<EnvironmentView, Optional<Long>> actionsWaiting = v -> robot.config().rule(v.repository(), v.environment())
                    .flatMap(io.github.autodeploy.core.config.EnvironmentRule::protection)
                    .map(p -> actions.getOrDefault(ControlPages.target(v), 0L));
            DeploymentPagesServlet.html(resp, 200, html.environments(base, all, filter(all, repo, env), link(base), repo, env,
                    actor.get(), note(req), (action, target) -> formTokens.issue(action, target, actor.get()), actionsWaiting));
            return;
        }
        String action = parts.get(parts.size() - 1);
        Optional<Lane> lane = lane(parts.subList(1, parts.size() - 1));
        if (parts.size() < 5 || !(action.equals("lock") || action.equals("unlock"))) {
            refusePage(resp, base, 404, "Not found", "There is no such page.");
            return;
        }
        if (!"POST".equals(req.getMethod())) {
            DeploymentPagesServlet.methodNotAllowed(resp, "POST");
            return;
        }
        Optional<Actor> actor = gate.actor(req, resp, base, false, Role.DEPLOYER, action.equals("lock") ? "locking" : "unlocking");
        if (actor.isEmpty()) {
            return;
        }
        if (lane.isEmpty()) {
            refusePage(resp, base, 404, "Not found", "No such repository or environment is configured.");
            return;
        }
        Lane l = lane.get();
        if (!formTokens.accepts(req, action, l.target(), actor.get())) {
            refusePage(resp, base, 403, "Not " + action + "ed", "The form was stale or came from another site; open the page and try again.");
            return;
        }
        boolean steal = truthy(param(req, "steal"));
        ControlResult result;
        if (action.equals("lock")) {
            Optional<Duration> expires;
            try {
                expires = expiry(param(req, "expires"));
            } catch (IllegalArgumentException e) {
                refusePage(resp, base, 422, "Not locked", e.getMessage());
                return;
            }
            result = robot.lock(l.repository(), l.environment(), actor.get(), param(req, "reason"), expires, steal);
        } else {
            result = robot.unlock(l.repository(), l.environment(), actor.get(), steal);
        }
        if (result instanceof ControlResult.Refused r) {
            refusePage(resp, base, status(r.why()), "Not " + action + "ed", r.message());
            return;
        }
        resp.setStatus(303);
        resp.setHeader("Location", base + "/environments?repository=" + query(l.repository().fullName()) + "&environment="
                + query(l.environment().value()) + "&done=" + action + "ed");
    }

    /** {@code /api/environments} (GET) and {@code /api/environments/OWNER/REPO/ENV/lock|unlock|rollback} (POST, JSON). */
    void apiEnvironments(HttpServletRequest req, HttpServletResponse resp, String base, List<String> parts) throws IOException {
        if (parts.size() == 2 || (parts.size() == 3 && parts.get(2).isEmpty())) {
            if (!"GET".equals(req.getMethod())) {
                DeploymentPagesServlet.methodNotAllowed(resp, "GET");
                return;
            }
            if (gate.actor(req, resp, base, true, Role.VIEWER, "reading the environments").isEmpty()) {
                return;
            }
            List<EnvironmentView> all = robot.environments();
            DeploymentPagesServlet.json(resp, 200,
                    json.environments(filter(all, param(req, "repository"), param(req, "environment")), link(base)).toString());
            return;
        }
        String action = parts.get(parts.size() - 1);
        if (parts.size() < 6 || !(action.equals("lock") || action.equals("unlock") || action.equals("rollback"))) {
            error(resp, 404, "not_found", "no such endpoint; see the README's table of the API");
            return;
        }
        if (!"POST".equals(req.getMethod())) {
            DeploymentPagesServlet.methodNotAllowed(resp, "POST");
            return;
        }
        String doing = switch (action) {
            case "lock" -> "locking";
            case "unlock" -> "unlocking";
            default -> "rolling back";
        };
        Optional<Actor> actor = gate.actor(req, resp, base, true, Role.DEPLOYER, doing);
        if (actor.isEmpty()) {
            return;
        }
        Optional<ObjectNode> body = body(req, resp);
        if (body.isEmpty()) {
            return;
        }
        Optional<Lane> lane = lane(parts.subList(2, parts.size() - 1));
        if (lane.isEmpty()) {
            error(resp, 404, "not_found", "no such repository or environment is configured");
            return;
        }
        Lane l = lane.get();
        ObjectNode b = body.get();
        try {
            known(b, switch (action) {
                case "lock" -> java.util.Set.of("reason", "expires_in", "steal");
                case "unlock" -> java.util.Set.of("steal");
                default -> java.util.Set.of("sha", "reason");
            });
            ControlResult result = switch (action) {
                case "lock" -> robot.lock(l.repository(), l.environment(), actor.get(), text(b, "reason"),
                        expiry(text(b, "expires_in")), flag(b, "steal"));
                case "unlock" -> robot.unlock(l.repository(), l.environment(), actor.get(), flag(b, "steal"));
                default -> robot.rollback(l.repository(), l.environment(), sha(text(b, "sha")), actor.get(), text(b, "reason"));
            };
            answer(resp, result);
        } catch (BadField e) {
            error(resp, 400, "bad_request", e.getMessage());
        } catch (IllegalArgumentException e) {
            error(resp, 422, "invalid", e.getMessage());
        }
    }

    /** {@code /api/ID/redeploy} and {@code /api/ID/abort-and-rollback} (POST, JSON). */
    void apiDeployment(HttpServletRequest req, HttpServletResponse resp, String base, String id, String action) throws IOException {
        if (!"POST".equals(req.getMethod())) {
            DeploymentPagesServlet.methodNotAllowed(resp, "POST");
            return;
        }
        Optional<Actor> actor = gate.actor(req, resp, base, true, Role.DEPLOYER,
                action.equals("redeploy") ? "redeploying" : "aborting and rolling back");
        if (actor.isEmpty()) {
            return;
        }
        Optional<ObjectNode> body = body(req, resp);
        if (body.isEmpty()) {
            return;
        }
        Optional<DeploymentId> deployment = id(id);
        if (deployment.isEmpty()) {
            error(resp, 404, "not_found", "no deployment " + id);
            return;
        }
        try {
            known(body.get(), java.util.Set.of("reason"));
            String reason = text(body.get(), "reason");
            answer(resp, action.equals("redeploy") ? robot.redeploy(deployment.get(), actor.get(), reason)
                    : robot.abortAndRollBack(deployment.get(), actor.get(), reason));
        } catch (BadField e) {
            error(resp, 400, "bad_request", e.getMessage());
        }
    }

    /** {@code /ID/KEY/redeploy} and {@code /ID/KEY/abort}: a confirmation (GET), then the form's POST. */
    void deploymentAction(HttpServletRequest req, HttpServletResponse resp, String base, String self, DeploymentRecord r,
                          String action) throws IOException {
        boolean redeploy = action.equals("redeploy");
        Optional<Actor> actor = gate.actor(req, resp, base, false, Role.DEPLOYER, redeploy ? "redeploying" : "aborting and rolling back");
        if (actor.isEmpty()) {
            return;
        }
        String target = r.deployment().id().toString();
        boolean ended = r.lifecycle().isTerminal();
        if ("GET".equals(req.getMethod())) {
            if (redeploy && !ended) {
                refusePage(resp, base, 409, "Not finished", "Deployment " + target + " has not ended; cancel it, or abort and roll back.");
            } else if (!redeploy && ended) {
                refusePage(resp, base, 409, "Already finished", "Deployment " + target + " has ended; nothing to abort.");
            } else if (redeploy) {
                boolean rollback = deployedNow(r).map(sha -> !sha.equals(r.deployment().sha())).orElse(false);
                DeploymentPagesServlet.html(resp, 200, html.confirmRedeploy(base, self, r, rollback,
                        formTokens.issue(action, target, actor.get())));
            } else {
                DeploymentPagesServlet.html(resp, 200, html.confirmAbort(base, self, r, formTokens.issue(action, target, actor.get())));
            }
            return;
        }
        if (!"POST".equals(req.getMethod())) {
            DeploymentPagesServlet.methodNotAllowed(resp, "GET, POST");
            return;
        }
        String title = redeploy ? "Not redeployed" : "Not aborted";
        if (!formTokens.accepts(req, action, target, actor.get())) {
            refusePage(resp, base, 403, title, "The form was stale or came from another site; open the page and try again.");
            return;
        }
        String reason = param(req, "reason");
        ControlResult result = redeploy ? robot.redeploy(r.deployment().id(), actor.get(), reason)
                : robot.abortAndRollBack(r.deployment().id(), actor.get(), reason);
        if (result instanceof ControlResult.Done d) {
            DeploymentPagesServlet.html(resp, 200, html.done(base, redeploy ? "Deployment created" : "Aborted and rolling back",
                    d.message(), d.deployment()));
        } else {
            ControlResult.Refused refused = (ControlResult.Refused) result;
            DeploymentPagesServlet.html(resp, status(refused.why()), html.refused(base, title, refused.message(), self));
        }
    }

    /** {@code /find/ID}: to a deployment's page by its id alone, for a user who may read the list. */
    void find(HttpServletRequest req, HttpServletResponse resp, String base, String id) throws IOException {
        if (!"GET".equals(req.getMethod())) {
            DeploymentPagesServlet.methodNotAllowed(resp, "GET");
            return;
        }
        if (gate.actor(req, resp, base, false, Role.VIEWER, "reading the deployments").isEmpty()) {
            return;
        }
        Optional<DeploymentRecord> found = id(id).flatMap(robot::find);
        if (found.isEmpty()) {
            refusePage(resp, base, 404, "Not here yet", "The robot does not know deployment " + id + " (yet): GitHub announces a "
                    + "new deployment within moments. Reload this page shortly.");
            return;
        }
        resp.setStatus(303);
        resp.setHeader("Location", link(base).apply(found.get()));
    }

    /** The commit deployed now where {@code r} went (the newest success there); empty when none or not configured. */
    Optional<CommitSha> deployedNow(DeploymentRecord r) {
        return robot.environments().stream()
                .filter(v -> v.repository().equals(r.deployment().repository()) && v.environment().equals(r.deployment().environment()))
                .findFirst().flatMap(EnvironmentView::current).map(c -> c.deployment().sha());
    }

    private static Function<DeploymentRecord, String> link(String base) {
        return r -> base + "/" + r.deployment().id() + "/" + r.pageKey();
    }

    private static List<EnvironmentView> filter(List<EnvironmentView> all, String repo, String env) {
        return all.stream().filter(v -> repo.isEmpty() || v.repository().fullName().equals(repo.toLowerCase(Locale.ROOT)))
                .filter(v -> env.isEmpty() || v.environment().value().equals(env)).toList();
    }

    /** The line the page shows after a lock or unlock redirected to it. */
    private static String note(HttpServletRequest req) {
        String done = param(req, "done");
        if (!(done.equals("locked") || done.equals("unlocked"))) {
            return "";
        }
        return "You " + done + " " + param(req, "repository") + " " + param(req, "environment") + ".";
    }

    /** A repository and environment from path segments {@code OWNER, REPO, ENV...}; empty when they name none. */
    private Optional<Lane> lane(List<String> segments) {
        if (segments.size() < 3) {
            return Optional.empty();
        }
        try {
            RepositoryName repo = new RepositoryName(segments.get(0), segments.get(1));
            EnvironmentName env = EnvironmentName.of(String.join("/", segments.subList(2, segments.size())));
            boolean configured = robot.config().rule(repo, env).isPresent();
            return configured ? Optional.of(new Lane(repo, env)) : Optional.empty();
        } catch (AutodeployException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private record Lane(RepositoryName repository, EnvironmentName environment) {
        String target() {
            return repository.fullName() + " " + environment.value();
        }
    }

    /**
     * The request's JSON object; otherwise the answer (415 without {@code application/json}, 413 over
     * {@value #MAX_BODY} bytes, 400 for what is not a JSON object) is written and empty returned. An
     * empty body is an empty object.
     */
    Optional<ObjectNode> body(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String type = Optional.ofNullable(req.getContentType()).orElse("");
        int semicolon = type.indexOf(';');
        String mediaType = (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            error(resp, 415, "unsupported_media_type", "send the request body as JSON with Content-Type: application/json");
            return Optional.empty();
        }
        if (req.getContentLengthLong() > MAX_BODY) {
            error(resp, 413, "too_large", "the body may have at most " + MAX_BODY + " bytes");
            return Optional.empty();
        }
        byte[] bytes;
        try (InputStream in = req.getInputStream()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            error(resp, 413, "too_large", "the body may have at most " + MAX_BODY + " bytes");
            return Optional.empty();
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return Optional.of(PageJson.JSON.createObjectNode());
        }
        JsonNode node;
        try {
            // A key given twice is refused rather than the last one silently winning.
            node = PageJson.JSON.reader().with(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .readTree(bytes);
        } catch (JacksonException e) {
            error(resp, 400, "bad_request", "the body is not valid JSON" + (e.getLocation() == null ? ""
                    : " (at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
            return Optional.empty();
        }
        if (node == null || !node.isObject()) {
            error(resp, 400, "bad_request", "the body must be a JSON object, such as {\"reason\": \"incident 4711\"}");
            return Optional.empty();
        }
        return Optional.of((ObjectNode) node);
    }

    /** A field that has the wrong JSON type: 400. */
    static final class BadField extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadField(String message) {
            super(message, null, false, false);
        }
    }

    /** A field the endpoint does not know is refused (a typo such as "expires" would otherwise lock for good). */
    static void known(ObjectNode body, java.util.Set<String> fields) {
        for (java.util.Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!fields.contains(name)) {
                throw new BadField("unknown field \"" + printable(name) + "\"; this endpoint takes "
                        + String.join(", ", new java.util.TreeSet<>(fields)));
            }
        }
    }

    /** A client's field name as an answer may quote it: printable ASCII, at most 40 characters. */
    private static String printable(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length() && b.length() < 40; i++) {
            char c = name.charAt(i);
            b.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
        }
        return b.toString();
    }

    static String text(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return "";
        }
        if (!n.isTextual()) {
            throw new BadField("\"" + field + "\" must be a string");
        }
        return n.asText();
    }

    private static boolean flag(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw new BadField("\"" + field + "\" must be true or false");
        }
        return n.asBoolean();
    }

    private static CommitSha sha(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("a rollback needs \"sha\": the full 40-character commit to deploy again");
        }
        try {
            return CommitSha.of(text);
        } catch (AutodeployException e) {
            throw new IllegalArgumentException("\"sha\" must be a full 40-character commit sha");
        }
    }

    /**
     * An expiry as people write it: {@code 30m}, {@code 2h}, {@code 1d}, {@code 1w}, or ISO-8601
     * ({@code PT2H}); blank for none.
     *
     * @throws IllegalArgumentException when it is none of these
     */
    static Optional<Duration> expiry(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = EXPIRY.matcher(t.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return Optional.of(switch (m.group(2)) {
                case "m", "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            });
        }
        try {
            return Optional.of(Duration.parse(t));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the expiry must be written like 30m, 2h, 1d or 1w");
        }
    }

    private static Optional<DeploymentId> id(String text) {
        try {
            long n = Long.parseLong(text);
            return n > 0 ? Optional.of(DeploymentId.of(n)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean truthy(String value) {
        return value.equals("true") || value.equals("on") || value.equals("1");
    }

    static String param(HttpServletRequest req, String name) {
        return Optional.ofNullable(req.getParameter(name)).orElse("");
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The HTTP status of a refusal. */
    static int status(ControlResult.Why why) {
        return switch (why) {
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INVALID -> 422;
            case UNAVAILABLE -> 503;
        };
    }

    void answer(HttpServletResponse resp, ControlResult result) throws IOException {
        if (result instanceof ControlResult.Done d) {
            ObjectNode o = PageJson.JSON.createObjectNode().put("ok", true).put("message", secrets.redact(d.message()));
            if (d.deployment().isPresent()) {
                o.put("deployment", d.deployment().get().value());
            } else {
                o.putNull("deployment");
            }
            DeploymentPagesServlet.json(resp, 200, o.toString());
            return;
        }
        ControlResult.Refused r = (ControlResult.Refused) result;
        error(resp, status(r.why()), r.why().name().toLowerCase(Locale.ROOT), r.message());
    }

    void error(HttpServletResponse resp, int status, String error, String reason) throws IOException {
        if (status == 503) {
            resp.setHeader("Retry-After", "10");
        }
        DeploymentPagesServlet.json(resp, status, PageJson.JSON.createObjectNode().put("error", error)
                .put("reason", secrets.redact(reason)).toString());
    }

    private void refusePage(HttpServletResponse resp, String base, int status, String title, String message) throws IOException {
        if (status == 503) {
            resp.setHeader("Retry-After", "10");
        }
        DeploymentPagesServlet.html(resp, status, html.refused(base, title, message, base + "/environments"));
    }
}
