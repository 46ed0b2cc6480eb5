package io.github.autodeploy.servlet;

import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.control.EnvironmentLock;
import io.github.autodeploy.core.control.Role;
import io.github.autodeploy.core.engine.EnvironmentView;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.WaitingMerge;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Renders the pages people steer the robot with: the environments at a glance (with their lock
 * forms), and the confirmations of a redeploy or rollback and of an abort. Every value is masked for
 * secrets, then escaped. Thread-safe.
 */
final class ControlPages {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private final Pages pages;

    ControlPages(Pages pages) {
        this.pages = pages;
    }

    /** The path of an environment's actions under {@code base}: {@code /environments/OWNER/REPO/ENV}. */
    static String environmentPath(String base, EnvironmentView v) {
        return base + "/environments/" + v.repository().owner() + "/" + v.repository().name() + "/" + segment(v.environment().value());
    }

    /** Percent-encodes what a path segment may not hold as is (a '/' stays: the environment is the rest of the path). */
    static String segment(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }

    /** The target a lock form's CSRF token is bound to. */
    static String target(EnvironmentView v) {
        return v.repository().fullName() + " " + v.environment().value();
    }

    /**
     * The environments page: per repository and environment what is deployed, running, queued (held
     * ones with their reason), waiting for CI, its lock and window; lock and unlock forms for a deployer.
     *
     * @param note   a line saying what the user just did, shown above the list; empty for none
     * @param tokens makes the CSRF token of a form: (action, target) → token
     * @param actionsWaiting how many GitHub Actions deployments wait in an environment; empty where it is not gated
     */
    String environments(String base, List<EnvironmentView> all, List<EnvironmentView> shown, Function<DeploymentRecord, String> link,
                        String repository, String environment, Actor actor, String note,
                        java.util.function.BiFunction<String, String, String> tokens,
                        Function<EnvironmentView, Optional<Long>> actionsWaiting) {
        SortedSet<String> repos = new TreeSet<>();
        SortedSet<String> envs = new TreeSet<>();
        all.forEach(v -> {
            repos.add(v.repository().fullName());
            envs.add(v.environment().value());
        });
        StringBuilder b = new StringBuilder("<h1>Environments</h1>");
        if (!note.isEmpty()) {
            b.append("<p class=\"note\" id=\"note\">").append(pages.t(note)).append("</p>");
        }
        b.append("<form class=\"filters\" method=\"get\" action=\"").append(Html.esc(base)).append("/environments\">")
                .append(pages.select("repository", "Repository", repos, repository))
                .append(pages.select("environment", "Environment", envs, environment))
                .append("<button type=\"submit\">Filter</button></form>");
        if (shown.isEmpty()) {
            b.append("<p class=\"empty\">No environment matches.</p>");
        }
        for (EnvironmentView v : shown) {
            b.append(card(base, v, link, actor, tokens, actionsWaiting.apply(v)));
        }
        return pages.page(base, "Environments", b.toString());
    }

    private String card(String base, EnvironmentView v, Function<DeploymentRecord, String> link, Actor actor,
                        java.util.function.BiFunction<String, String, String> tokens, Optional<Long> actionsWaiting) {
        String id = "env-" + Integer.toHexString(target(v).hashCode());
        StringBuilder b = new StringBuilder("<section class=\"environment\" id=\"").append(id).append("\" data-repository=\"")
                .append(pages.t(v.repository().fullName())).append("\" data-environment=\"").append(pages.t(v.environment().value()))
                .append("\"><h2>").append(pages.t(v.repository().fullName())).append(" · ").append(pages.t(v.environment().value()));
        v.lock().ifPresent(l -> b.append(" <span class=\"state state-locked\">locked</span>"));
        v.closed().ifPresent(c -> b.append(" <span class=\"state state-closed\">window closed</span>"));
        b.append("</h2><dl class=\"facts\">");
        b.append(Pages.fact("Deployed now", v.current().map(r -> deployed(r, link)).orElse("nothing yet")));
        b.append(Pages.fact("Running", v.running().isEmpty() ? "—" : list(v.running(), link, v)));
        b.append(Pages.fact("Queued", v.queued().isEmpty() ? "—" : list(v.queued(), link, v)));
        b.append(Pages.fact("Waiting for CI", v.waitingForCi().isEmpty() ? "—" : waiting(v)));
        b.append(Pages.fact("Lock", v.lock().map(this::lock).orElse("not locked")));
        actionsWaiting.ifPresent(n -> b.append(Pages.fact("Actions runs waiting", "<a class=\"actions-waiting\" href=\""
                + Html.esc(base + "/actions?repository=" + ControlEndpoints.query(v.repository().fullName()) + "&environment="
                + ControlEndpoints.query(v.environment().value())) + "\">" + n + "</a>")));
        if (!v.window().isEmpty() || v.closed().isPresent()) {
            StringBuilder w = new StringBuilder(pages.t(v.window()));
            v.closed().ifPresent(c -> w.append("<br><span class=\"closed\">closed: ").append(pages.t(c)).append("</span>"));
            v.opensAt().ifPresent(o -> w.append("<br>opens at ").append(TIME.format(o)));
            b.append(Pages.fact("Deploy window", w.toString()));
        }
        b.append("</dl>");
        if (actor.may(Role.DEPLOYER)) {
            b.append(forms(base, v, actor, tokens));
        }
        return b.append("</section>").toString();
    }

    private String forms(String base, EnvironmentView v, Actor actor, java.util.function.BiFunction<String, String, String> tokens) {
        String path = Html.esc(environmentPath(base, v));
        String target = target(v);
        Optional<EnvironmentLock> lock = v.lock();
        boolean others = lock.isPresent() && !lock.get().holder().equals(actor.name());
        StringBuilder b = new StringBuilder("<div class=\"lock-forms\">");
        if (lock.isEmpty() || others) {
            b.append("<form class=\"lock\" method=\"post\" action=\"").append(path).append("/lock\">")
                    .append(hidden(tokens.apply("lock", target)))
                    .append("<label>Reason <input type=\"text\" name=\"reason\" required maxlength=\"500\"></label> ")
                    .append("<label>Expires in <input type=\"text\" name=\"expires\" placeholder=\"2h, 1d\" size=\"6\"></label> ");
            if (others) {
                b.append("<label><input type=\"checkbox\" name=\"steal\" value=\"true\"> take over ")
                        .append(pages.t(lock.get().holder())).append("'s lock</label> ");
            }
            b.append("<button type=\"submit\" class=\"lock-button\">Lock</button></form>");
        }
        if (lock.isPresent()) {
            b.append("<form class=\"unlock\" method=\"post\" action=\"").append(path).append("/unlock\">")
                    .append(hidden(tokens.apply("unlock", target)));
            if (others) {
                b.append("<label><input type=\"checkbox\" name=\"steal\" value=\"true\"> remove ")
                        .append(pages.t(lock.get().holder())).append("'s lock</label> ");
            }
            b.append("<button type=\"submit\" class=\"unlock-button\">Unlock</button></form>");
        }
        return b.append("</div>").toString();
    }

    private static String hidden(String token) {
        return "<input type=\"hidden\" name=\"" + FormTokens.FIELD + "\" value=\"" + Html.esc(token) + "\">";
    }

    private String deployed(DeploymentRecord r, Function<DeploymentRecord, String> link) {
        Deployment d = r.deployment();
        return pages.commit(r) + " by " + pages.t(d.requester().login()) + r.finishedAt().map(f -> ", " + TIME.format(f)).orElse("")
                + " (<a href=\"" + Html.esc(link.apply(r)) + "\">#" + d.id() + "</a>)";
    }

    private String list(List<DeploymentRecord> records, Function<DeploymentRecord, String> link, EnvironmentView v) {
        StringBuilder b = new StringBuilder("<ul class=\"deployments\">");
        for (DeploymentRecord r : records) {
            b.append("<li><a href=\"").append(Html.esc(link.apply(r))).append("\">#").append(r.deployment().id()).append("</a> ")
                    .append(pages.commit(r)).append(" by ").append(pages.t(r.deployment().requester().login()));
            heldReason(r, v).ifPresent(h -> b.append(" <span class=\"held\">").append(pages.t(h)).append("</span>"));
            b.append("</li>");
        }
        return b.append("</ul>").toString();
    }

    private String waiting(EnvironmentView v) {
        StringBuilder b = new StringBuilder("<ul class=\"waiting\">");
        for (WaitingMerge w : v.waitingForCi()) {
            b.append("<li><code>").append(pages.t(w.branch())).append("</code> @ <code>").append(w.sha().abbreviated())
                    .append("</code> (").append(pages.t(w.cause())).append(" by ").append(pages.t(w.requester().login()))
                    .append(") waits for ").append(v.ciContexts().isEmpty() ? "every context"
                            : pages.t(String.join(", ", v.ciContexts()))).append("</li>");
        }
        return b.append("</ul>").toString();
    }

    private String lock(EnvironmentLock l) {
        return "<span class=\"lock-holder\">" + pages.t(l.holder()) + "</span> since " + TIME.format(l.since())
                + l.expires().map(e -> ", until " + TIME.format(e)).orElse("") + ": <span class=\"lock-reason\">"
                + pages.t(l.reason()) + "</span>";
    }

    /**
     * Why a queued deployment waits, when a lock or window holds it: its last status (it starts with
     * {@code held:}), on this node or another.
     */
    static Optional<String> heldReason(DeploymentRecord r, EnvironmentView v) {
        var history = r.lifecycle().history();
        String last = history.isEmpty() ? "" : history.get(history.size() - 1).description();
        boolean held = v.held().contains(r.deployment().id().value()) || last.startsWith("held:");
        if (!held) {
            return Optional.empty();
        }
        return Optional.of(last.startsWith("held:") ? last : "held");
    }

    /** The confirmation of a redeploy (or rollback) of a finished deployment's commit, with a reason field. */
    String confirmRedeploy(String base, String self, DeploymentRecord r, boolean rollback, String csrf) {
        Deployment d = r.deployment();
        String what = rollback ? "Roll back" : "Redeploy";
        String body = "<h1>" + what + " " + pages.t(d.repository().fullName()) + " " + pages.t(d.environment().value()) + " to "
                + d.sha().abbreviated() + "?</h1><p>A new deployment of " + pages.commit(r) + " (the commit of deployment " + d.id()
                + ", " + Pages.badge(r.state()) + ") is created at that exact commit, naming you.</p>"
                + "<form method=\"post\" action=\"" + Html.esc(self) + "/redeploy\">" + hidden(csrf)
                + "<label>Reason <input type=\"text\" name=\"reason\" id=\"reason\" maxlength=\"500\"></label> "
                + "<button type=\"submit\" id=\"confirm-redeploy\" class=\"danger\">Yes, " + what.toLowerCase() + " to "
                + d.sha().abbreviated() + "</button> <a href=\"" + Html.esc(self) + "\">No, go back</a></form>"
                + "<p class=\"follow\">A reason is needed when the environment is locked or outside its deploy window; "
                + "it is recorded.</p>";
        return pages.page(base, what + " to " + d.sha().abbreviated(), body);
    }

    /** The confirmation of "abort and roll back" of a queued or running deployment. */
    String confirmAbort(String base, String self, DeploymentRecord r, String csrf) {
        Deployment d = r.deployment();
        String body = "<h1>Abort deployment " + d.id() + " and roll back?</h1><p>" + pages.t(d.repository().fullName()) + " to "
                + pages.t(d.environment().value()) + " at " + pages.commit(r) + ", now " + Pages.badge(r.state())
                + ", is cancelled, and the environment's last successful commit is deployed again.</p>"
                + "<form method=\"post\" action=\"" + Html.esc(self) + "/abort\">" + hidden(csrf)
                + "<label>Reason <input type=\"text\" name=\"reason\" id=\"reason\" maxlength=\"500\"></label> "
                + "<button type=\"submit\" id=\"confirm-abort\" class=\"danger\">Yes, abort " + d.id()
                + " and roll back</button> <a href=\"" + Html.esc(self) + "\">No, go back</a></form>";
        return pages.page(base, "Abort deployment " + d.id(), body);
    }

    /** What an action did, with a link to the deployment it created, if any. */
    String done(String base, String title, String message, Optional<DeploymentId> created) {
        StringBuilder b = new StringBuilder("<h1>").append(pages.t(title)).append("</h1><p id=\"result\">").append(pages.t(message))
                .append("</p>");
        created.ifPresent(id -> b.append("<p>Its page: <a id=\"created\" href=\"").append(Html.esc(base)).append("/find/")
                .append(id).append("\">deployment ").append(id).append("</a> (once GitHub has announced it).</p>"));
        b.append("<p><a href=\"").append(Html.esc(base)).append("/environments\">Back to the environments</a></p>");
        return pages.page(base, title, b.toString());
    }

    /** A refusal with a link back. */
    String refused(String base, String title, String message, String back) {
        return pages.page(base, title, "<h1>" + pages.t(title) + "</h1><p id=\"result\">" + pages.t(message) + "</p><p><a href=\""
                + Html.esc(back) + "\">Back</a></p>");
    }
}
