package io.github.autodeploy.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.autodeploy.core.AutodeployException;
import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.config.Protection;
import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.control.Role;
import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.core.engine.ControlResult;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.port.ProtectionRuleTarget;
import io.github.autodeploy.core.store.GatedRun;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The pages' and the JSON API's side of the GitHub Actions deployments the robot gates as a protection
 * rule: {@code /actions} lists them (a viewer), its approve and reject forms ({@link FormTokens} token
 * bound to the user, the action and the run) decide a waiting one, and {@code /api/actions} lists them
 * as JSON and takes {@code approve}/{@code reject} as JSON bodies naming the run ({@code repository},
 * {@code run_id}, {@code environment}; a reject also {@code reason}). Deciding needs at least the
 * deployer role here; the engine then checks the rule's {@code approvals.role} and {@code self_approval}.
 * A refusal answers by its kind, as the other controls do. Thread-safe.
 */
final class ActionsEndpoints {
    /** How many runs the list shows, waiting ones first. */
    static final int LIST_LIMIT = 200;
    private final Autodeploy robot;
    private final Secrets secrets;
    private final ActionsPages html;
    private final FormTokens formTokens;
    private final ControlEndpoints.Gate gate;
    private final ControlEndpoints control;

    ActionsEndpoints(Autodeploy robot, Secrets secrets, Pages pages, FormTokens formTokens, ControlEndpoints.Gate gate,
                     ControlEndpoints control) {
        this.robot = robot;
        this.secrets = secrets;
        this.html = new ActionsPages(pages);
        this.formTokens = formTokens;
        this.gate = gate;
        this.control = control;
    }

    /** Whether any rule gates Actions deployments. */
    static boolean gating(Autodeploy robot) {
        return robot.config().rules().stream().anyMatch(r -> r.protection().isPresent());
    }

    /** {@code /actions} (the page, GET) and {@code /actions/approve|reject} (its forms, POST). */
    void page(HttpServletRequest req, HttpServletResponse resp, String base, List<String> parts) throws IOException {
        if (parts.size() == 1 || (parts.size() == 2 && parts.get(1).isEmpty())) {
            if (!"GET".equals(req.getMethod())) {
                DeploymentPagesServlet.methodNotAllowed(resp, "GET");
                return;
            }
            Optional<Actor> actor = gate.actor(req, resp, base, false, Role.VIEWER, "reading the Actions deployments");
            if (actor.isEmpty()) {
                return;
            }
            String repo = ControlEndpoints.param(req, "repository");
            String env = ControlEndpoints.param(req, "environment");
            List<GatedRun> all = robot.gatedRuns(LIST_LIMIT);
            DeploymentPagesServlet.html(resp, 200, html.list(base, all, filter(all, repo, env), repo, env, actor.get(),
                    this::protection, note(req), (action, key) -> formTokens.issue(action, key, actor.get())));
            return;
        }
        String action = parts.get(1);
        if (parts.size() != 2 || !(action.equals("approve") || action.equals("reject"))) {
            refuse(resp, base, 404, "Not found", "There is no such page.");
            return;
        }
        if (!"POST".equals(req.getMethod())) {
            DeploymentPagesServlet.methodNotAllowed(resp, "POST");
            return;
        }
        boolean approve = action.equals("approve");
        Optional<Actor> actor = gate.actor(req, resp, base, false, Role.DEPLOYER,
                approve ? "approving Actions deployments" : "rejecting Actions deployments");
        if (actor.isEmpty()) {
            return;
        }
        String title = approve ? "Not approved" : "Not rejected";
        long runId = runId(ControlEndpoints.param(req, "run_id"));
        Optional<String> key = key(ControlEndpoints.param(req, "repository"), runId, ControlEndpoints.param(req, "environment"));
        if (key.isEmpty()) {
            refuse(resp, base, 404, title, "No such Actions run is gated here.");
            return;
        }
        if (!formTokens.accepts(req, approve ? ActionsPages.APPROVE : ActionsPages.REJECT, key.get(), actor.get())) {
            refuse(resp, base, 403, title, "The form was stale or came from another site; open the page and try again.");
            return;
        }
        ControlResult result = approve ? robot.approveGated(key.get(), actor.get())
                : robot.rejectGated(key.get(), actor.get(), ControlEndpoints.param(req, "reason"));
        if (result instanceof ControlResult.Refused r) {
            refuse(resp, base, ControlEndpoints.status(r.why()), title, r.message());
            return;
        }
        resp.setStatus(303);
        resp.setHeader("Location", base + "/actions?done=" + (approve ? "approved" : "rejected") + "&run=" + runId);
    }

    /** {@code /api/actions} (GET) and {@code /api/actions/approve|reject} (POST, JSON). */
    void api(HttpServletRequest req, HttpServletResponse resp, String base, List<String> parts) throws IOException {
        if (parts.size() == 2 || (parts.size() == 3 && parts.get(2).isEmpty())) {
            if (!"GET".equals(req.getMethod())) {
                DeploymentPagesServlet.methodNotAllowed(resp, "GET");
                return;
            }
            if (gate.actor(req, resp, base, true, Role.VIEWER, "reading the Actions deployments").isEmpty()) {
                return;
            }
            List<GatedRun> shown = filter(robot.gatedRuns(LIST_LIMIT), ControlEndpoints.param(req, "repository"),
                    ControlEndpoints.param(req, "environment"));
            DeploymentPagesServlet.json(resp, 200, html.json(shown, this::protection, secrets).toString());
            return;
        }
        String action = parts.get(2);
        if (parts.size() != 3 || !(action.equals("approve") || action.equals("reject"))) {
            control.error(resp, 404, "not_found", "no such endpoint; see the README's table of the API");
            return;
        }
        if (!"POST".equals(req.getMethod())) {
            DeploymentPagesServlet.methodNotAllowed(resp, "POST");
            return;
        }
        boolean approve = action.equals("approve");
        Optional<Actor> actor = gate.actor(req, resp, base, true, Role.DEPLOYER,
                approve ? "approving Actions deployments" : "rejecting Actions deployments");
        if (actor.isEmpty()) {
            return;
        }
        Optional<ObjectNode> body = control.body(req, resp);
        if (body.isEmpty()) {
            return;
        }
        ObjectNode b = body.get();
        try {
            ControlEndpoints.known(b, approve ? Set.of("repository", "run_id", "environment")
                    : Set.of("repository", "run_id", "environment", "reason"));
            String repository = required(b, "repository");
            long runId = runId(b);
            String environment = required(b, "environment");
            Optional<String> key = key(repository, runId, environment);
            if (key.isEmpty()) {
                control.error(resp, 404, "not_found", "no such Actions run is gated here");
                return;
            }
            control.answer(resp, approve ? robot.approveGated(key.get(), actor.get())
                    : robot.rejectGated(key.get(), actor.get(), ControlEndpoints.text(b, "reason")));
        } catch (ControlEndpoints.BadField e) {
            control.error(resp, 400, "bad_request", e.getMessage());
        }
    }

    /** The environments page's count: Actions runs waiting in each gated environment, by "owner/repo environment". */
    static java.util.Map<String, Long> waitingByEnvironment(Autodeploy robot) {
        if (!gating(robot)) {
            return java.util.Map.of();
        }
        java.util.Map<String, Long> counts = new java.util.HashMap<>();
        for (GatedRun r : robot.gatedRuns(LIST_LIMIT)) {
            if (r.waiting()) {
                counts.merge(r.target().repository().fullName() + " " + r.target().environment().value(), 1L, Long::sum);
            }
        }
        return counts;
    }

    private Optional<Protection> protection(GatedRun r) {
        return robot.config().rule(r.target().repository(), r.target().environment()).flatMap(EnvironmentRule::protection);
    }

    private static List<GatedRun> filter(List<GatedRun> all, String repo, String env) {
        return all.stream().filter(r -> repo.isEmpty() || r.target().repository().fullName().equals(repo.toLowerCase(Locale.ROOT)))
                .filter(r -> env.isEmpty() || r.target().environment().value().equals(env)).toList();
    }

    /** The store key of the run these name; empty when they cannot name one (a malformed repository, environment or id). */
    static Optional<String> key(String repository, long runId, String environment) {
        if (runId <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(GatedRun.key(new ProtectionRuleTarget(RepositoryName.of(repository), runId,
                    EnvironmentName.of(environment), OptionalLong.empty())));
        } catch (AutodeployException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A form's run id; 0 (no run) when it is not a positive number. */
    private static long runId(String text) {
        try {
            return text.length() > 19 ? 0 : Math.max(0, Long.parseLong(text));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long runId(ObjectNode body) {
        JsonNode n = body.get("run_id");
        if (n == null || n.isNull()) {
            throw new ControlEndpoints.BadField("the body needs \"run_id\": the workflow run's id");
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() <= 0) {
            throw new ControlEndpoints.BadField("\"run_id\" must be the workflow run's id, a positive whole number");
        }
        return n.asLong();
    }

    private static String required(ObjectNode body, String field) {
        String value = ControlEndpoints.text(body, field);
        if (value.isEmpty()) {
            throw new ControlEndpoints.BadField("the body needs \"" + field + "\"");
        }
        return value;
    }

    /** The line the page shows after an approve or reject redirected to it. */
    private static String note(HttpServletRequest req) {
        String done = ControlEndpoints.param(req, "done");
        long run = runId(ControlEndpoints.param(req, "run"));
        if (!(done.equals("approved") || done.equals("rejected")) || run == 0) {
            return "";
        }
        return "You " + done + " run " + run + ".";
    }

    private void refuse(HttpServletResponse resp, String base, int status, String title, String message) throws IOException {
        if (status == 503) {
            resp.setHeader("Retry-After", "10");
        }
        DeploymentPagesServlet.html(resp, status, html.message(base, title, message));
    }
}
