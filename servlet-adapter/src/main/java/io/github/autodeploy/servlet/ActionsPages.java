package io.github.autodeploy.servlet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.autodeploy.core.config.Protection;
import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.store.GatedRun;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Renders the GitHub Actions deployments the robot gates as a protection rule, as a page (with the
 * approve and reject forms for a user whose role may decide) and as JSON. Every value is masked for
 * secrets, then escaped. Thread-safe.
 */
final class ActionsPages {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    /** The form token actions (distinct from the deployments' own "cancel", "redeploy", ...). */
    static final String APPROVE = "approve-run";
    static final String REJECT = "reject-run";
    private final Pages pages;

    ActionsPages(Pages pages) {
        this.pages = pages;
    }

    /** The workflow run's page on GitHub. */
    String runUrl(GatedRun r) {
        return pages.githubWebUrl() + "/" + r.target().repository().fullName() + "/actions/runs/" + r.target().runId();
    }

    private String commitUrl(GatedRun r) {
        return pages.githubWebUrl() + "/" + r.target().repository().fullName() + "/commit/" + r.sha().value();
    }

    /**
     * The page: every gated run shown, waiting ones first, with approve and reject forms on a waiting run
     * whose rule lets {@code actor} decide.
     *
     * @param protection the rule of a run, empty when its environment is no longer gated here
     * @param note       a line saying what the user just did; empty for none
     * @param tokens     makes the CSRF token of a form: (action, run key) → token
     */
    String list(String base, List<GatedRun> all, List<GatedRun> shown, String repository, String environment, Actor actor,
                Function<GatedRun, Optional<Protection>> protection, String note, BiFunction<String, String, String> tokens) {
        SortedSet<String> repos = new TreeSet<>();
        SortedSet<String> envs = new TreeSet<>();
        all.forEach(r -> {
            repos.add(r.target().repository().fullName());
            envs.add(r.target().environment().value());
        });
        StringBuilder b = new StringBuilder("<h1>Actions deployments</h1>");
        b.append("<p class=\"follow\">GitHub Actions jobs that deploy to an environment this robot guards as a deployment "
                + "protection rule: they start once the robot approves them.</p>");
        if (!note.isEmpty()) {
            b.append("<p class=\"note\" id=\"note\">").append(pages.t(note)).append("</p>");
        }
        b.append("<form class=\"filters\" method=\"get\" action=\"").append(Html.esc(base)).append("/actions\">")
                .append(pages.select("repository", "Repository", repos, repository))
                .append(pages.select("environment", "Environment", envs, environment))
                .append("<button type=\"submit\">Filter</button></form>");
        if (shown.isEmpty()) {
            b.append("<p class=\"empty\">No Actions deployment is gated here yet.</p>");
        }
        for (GatedRun r : shown) {
            b.append(card(base, r, actor, protection.apply(r), tokens));
        }
        return pages.page(base, "Actions deployments", b.toString());
    }

    private String card(String base, GatedRun r, Actor actor, Optional<Protection> protection,
                        BiFunction<String, String, String> tokens) {
        StringBuilder b = new StringBuilder("<section class=\"environment run\" id=\"run-").append(r.target().runId()).append('-')
                .append(Integer.toHexString(r.key().hashCode())).append("\" data-state=\"").append(r.state().wireName())
                .append("\"><h2>").append(pages.t(r.target().repository().fullName())).append(" · ")
                .append(pages.t(r.target().environment().value())).append(" · run <a rel=\"noreferrer\" class=\"run-link\" href=\"")
                .append(Html.esc(runUrl(r))).append("\">").append(r.target().runId()).append("</a> ").append(badge(r.state()))
                .append("</h2><dl class=\"facts\">");
        b.append(Pages.fact("Commit", "<code>" + pages.t(r.ref().shortName()) + "</code> @ <a rel=\"noreferrer\" class=\"sha\" href=\""
                + Html.esc(commitUrl(r)) + "\"><code>" + r.sha().abbreviated() + "</code></a>"));
        b.append(Pages.fact("Started by", "<span class=\"creator\">" + pages.t(r.creator()) + "</span> (" + pages.t(r.trigger()) + ")"));
        b.append(Pages.fact(r.waiting() ? "Waits for" : "Decision", "<span class=\"reason\">" + pages.t(r.reason()) + "</span>"));
        b.append(Pages.fact("Approvals", approvals(r, protection)));
        b.append(Pages.fact("Requested", TIME.format(r.requestedAt())));
        if (r.decidedAt().isPresent()) {
            b.append(Pages.fact(r.state() == GatedRun.State.APPROVED ? "Approved" : "Rejected", TIME.format(r.decidedAt().get())
                    + r.decidedBy().map(u -> " by " + pages.t(u)).orElse(" by the robot") + " · " + delivery(r.delivery())));
        }
        b.append("</dl>");
        if (r.waiting() && protection.isPresent() && actor.may(protection.get().approvalRole())) {
            b.append(forms(base, r, tokens));
        }
        return b.append("</section>").toString();
    }

    private String approvals(GatedRun r, Optional<Protection> protection) {
        StringBuilder b = new StringBuilder();
        if (r.approvals().isEmpty()) {
            b.append("none");
        } else {
            b.append("<ul class=\"approvals\">");
            r.approvals().forEach(a -> b.append("<li>").append(pages.t(a.user())).append(", ").append(TIME.format(a.at())).append("</li>"));
            b.append("</ul>");
        }
        protection.ifPresent(p -> b.append(" <span class=\"follow\">(").append(p.approvalsRequired()).append(" needed, by a ")
                .append(p.approvalRole().key()).append(p.selfApproval() ? "" : "; not by whoever started the run").append(")</span>"));
        return b.toString();
    }

    private String forms(String base, GatedRun r, BiFunction<String, String, String> tokens) {
        String fields = hidden("repository", r.target().repository().fullName()) + hidden("run_id", Long.toString(r.target().runId()))
                + hidden("environment", r.target().environment().value());
        return "<div class=\"lock-forms run-forms\"><form class=\"approve\" method=\"post\" action=\"" + Html.esc(base)
                + "/actions/approve\">" + hidden(FormTokens.FIELD, tokens.apply(APPROVE, r.key())) + fields
                + "<button type=\"submit\" class=\"approve-button\">Approve</button></form>"
                + "<form class=\"reject\" method=\"post\" action=\"" + Html.esc(base) + "/actions/reject\">"
                + hidden(FormTokens.FIELD, tokens.apply(REJECT, r.key())) + fields
                + "<label>Reason <input type=\"text\" name=\"reason\" required maxlength=\"500\"></label> "
                + "<button type=\"submit\" class=\"reject-button danger\">Reject</button></form></div>";
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Html.esc(value) + "\">";
    }

    static String badge(GatedRun.State s) {
        return "<span class=\"state state-" + s.wireName() + "\" data-state=\"" + s.wireName() + "\">" + s.wireName() + "</span>";
    }

    static String delivery(GatedRun.Delivery d) {
        return switch (d) {
            case PENDING -> "being sent to GitHub";
            case SENT -> "sent to GitHub";
            case REFUSED -> "GitHub did not take it";
            case UNKNOWN -> "GitHub's answer was lost; sent again every 2 minutes for an hour unless GitHub has it";
            case NOT_CONFIGURED -> "not sent: no GitHub App can answer for it";
        };
    }

    /** A refusal or other message, with a link back to the list. */
    String message(String base, String title, String text) {
        return pages.page(base, title, "<h1>" + pages.t(title) + "</h1><p id=\"result\">" + pages.t(text) + "</p><p><a href=\""
                + Html.esc(base) + "/actions\">Back to the Actions deployments</a></p>");
    }

    /** The runs as JSON, masked for secrets: the fields that name a run are those the approve and reject bodies take. */
    ArrayNode json(List<GatedRun> runs, Function<GatedRun, Optional<Protection>> protection, io.github.autodeploy.core.model.Secrets s) {
        ArrayNode a = PageJson.JSON.createArrayNode();
        for (GatedRun r : runs) {
            ObjectNode o = a.addObject();
            o.put("repository", r.target().repository().fullName()).put("run_id", r.target().runId())
                    .put("environment", r.target().environment().value()).put("run_url", runUrl(r))
                    .put("deployment_id", r.deploymentId().value()).put("sha", r.sha().value())
                    .put("ref", s.redact(r.ref().value())).put("creator", s.redact(r.creator())).put("trigger", s.redact(r.trigger()))
                    .put("state", r.state().wireName()).put("reason", s.redact(r.reason()))
                    .put("requested_at", r.requestedAt().toString()).put("deadline", r.deadline().toString());
            ArrayNode approvals = o.putArray("approvals");
            r.approvals().forEach(ap -> approvals.addObject().put("user", s.redact(ap.user())).put("at", ap.at().toString()));
            Optional<Protection> p = protection.apply(r);
            if (p.isPresent()) {
                o.put("approvals_required", p.get().approvalsRequired()).put("approval_role", p.get().approvalRole().key());
            } else {
                o.putNull("approvals_required").putNull("approval_role");
            }
            putOptional(o, "decided_at", r.decidedAt().map(Instant::toString));
            putOptional(o, "decided_by", r.decidedBy().map(s::redact));
            putOptional(o, "delivery", r.waiting() ? Optional.empty() : Optional.of(r.delivery().wireName()));
        }
        return a;
    }

    private static void putOptional(ObjectNode o, String field, Optional<String> value) {
        if (value.isPresent()) {
            o.put(field, value.get());
        } else {
            o.putNull(field);
        }
    }
}
