package io.github.autodeploy.servlet;

import io.github.autodeploy.core.lifecycle.StatusUpdate;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.HumanDuration;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.LogChunk;
import io.github.autodeploy.core.store.StepRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.function.Function;

/**
 * Renders the deployment pages as HTML that reads without JavaScript (the script only follows a
 * running log). Every value is masked for secrets, then escaped. Thread-safe.
 */
final class Pages {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private final String githubWebUrl;
    private final Secrets secrets;
    private final Clock clock;
    /** Whether the robot gates Actions deployments: the header then links their page. */
    private final boolean actions;

    Pages(String githubWebUrl, Secrets secrets, Clock clock, boolean actions) {
        this.githubWebUrl = githubWebUrl;
        this.secrets = secrets;
        this.clock = clock;
        this.actions = actions;
    }

    /** GitHub's web address, without a trailing slash. */
    String githubWebUrl() {
        return githubWebUrl;
    }

    String t(String s) {
        return Html.esc(secrets.redact(s));
    }

    String page(String base, String title, String body) {
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<meta name=\"robots\" content=\"noindex, nofollow\">"
                + "<title>" + t(title) + " · Autodeploy</title>"
                + "<link rel=\"stylesheet\" href=\"" + Html.esc(base) + "/static/style.css\"></head>\n<body>"
                + "<header><a class=\"brand\" href=\"" + Html.esc(base) + "/environments\">Autodeploy</a>"
                + "<nav><a id=\"nav-environments\" href=\"" + Html.esc(base) + "/environments\">Environments</a> "
                + "<a id=\"nav-deployments\" href=\"" + Html.esc(base) + "\">Deployments</a>"
                + (actions ? " <a id=\"nav-actions\" href=\"" + Html.esc(base) + "/actions\">Actions deployments</a>" : "")
                + "</nav></header>\n<main>"
                + body + "</main>\n<script src=\"" + Html.esc(base) + "/static/app.js\"></script></body></html>\n";
    }

    String list(String base, List<DeploymentRecord> records, Function<DeploymentRecord, String> link, String repository,
                String environment, SortedSet<String> repositories, SortedSet<String> environments) {
        StringBuilder b = new StringBuilder("<h1>Deployments</h1>");
        b.append("<form class=\"filters\" method=\"get\" action=\"").append(Html.esc(base)).append("\">")
                .append(select("repository", "Repository", repositories, repository))
                .append(select("environment", "Environment", environments, environment))
                .append("<button type=\"submit\">Filter</button></form>");
        if (records.isEmpty()) {
            b.append("<p class=\"empty\">No deployments yet.</p>");
            return page(base, "Deployments", b.toString());
        }
        b.append("<div class=\"scroll\"><table class=\"deployments\"><thead><tr><th>Repository</th><th>Environment</th>"
                + "<th>Commit</th><th>Requested by</th><th>State</th><th>Started</th><th>Duration</th></tr></thead><tbody>");
        for (DeploymentRecord r : records) {
            Deployment d = r.deployment();
            b.append("<tr><td><a href=\"").append(Html.esc(link.apply(r))).append("\">").append(t(d.repository().fullName()))
                    .append(" #").append(d.id()).append("</a></td><td>").append(t(d.environment().value())).append("</td><td>")
                    .append(commit(r)).append("</td><td>").append(t(d.requester().login())).append("</td><td>")
                    .append(badge(r.state())).append("</td><td>").append(r.startedAt().map(TIME::format).orElse("—"))
                    .append("</td><td>").append(duration(r)).append("</td></tr>");
        }
        b.append("</tbody></table></div>");
        return page(base, "Deployments", b.toString());
    }

    /**
     * One deployment's page; with {@code actions}, the buttons to cancel or abort it (while it waits or
     * runs) or to deploy its commit again (once it ended; "roll back" when {@code deployedNow} differs).
     */
    String detail(String base, String self, DeploymentRecord r, LogChunk log, boolean cancellable,
                  Optional<CommitSha> deployedNow) {
        Deployment d = r.deployment();
        StringBuilder b = new StringBuilder();
        b.append("<h1>").append(t(d.repository().fullName())).append(" #").append(d.id()).append(" ").append(badge(r.state()))
                .append("</h1>");
        b.append("<dl class=\"facts\">")
                .append(fact("Environment", t(d.environment().value())))
                .append(fact("Commit", commit(r)))
                .append(fact("Requested by", t(d.requester().login())))
                .append(fact("Task", t(d.task())))
                .append(d.description().isBlank() ? "" : fact("Description", t(d.description())))
                .append(fact("Queued", TIME.format(r.queuedAt())))
                .append(fact("Started", r.startedAt().map(TIME::format).orElse("—")))
                .append(fact("Duration", "<span id=\"duration\">" + duration(r) + "</span>"))
                .append("</dl>");
        if (cancellable && !r.lifecycle().isTerminal()) {
            b.append("<div class=\"actions\"><form class=\"cancel\" method=\"get\" action=\"").append(Html.esc(self)).append("/cancel\">")
                    .append("<button type=\"submit\" id=\"cancel\">Cancel…</button></form>")
                    .append("<form class=\"cancel\" method=\"get\" action=\"").append(Html.esc(self)).append("/abort\">")
                    .append("<button type=\"submit\" id=\"abort\">Abort and roll back…</button></form></div>");
        } else if (cancellable) {
            boolean rollback = deployedNow.isPresent() && !deployedNow.get().equals(d.sha());
            b.append("<form class=\"redeploy\" method=\"get\" action=\"").append(Html.esc(self)).append("/redeploy\">")
                    .append("<button type=\"submit\" id=\"redeploy\">")
                    .append(rollback ? "Roll back to this commit…" : "Redeploy this commit…").append("</button></form>");
        }
        b.append("<h2>History</h2><table class=\"history\" id=\"history\"><thead><tr><th>Time</th><th>State</th><th>Description</th></tr></thead><tbody>");
        for (StatusUpdate u : r.lifecycle().history()) {
            b.append("<tr><td>").append(TIME.format(u.at())).append("</td><td>").append(badge(u.state())).append("</td><td>")
                    .append(t(u.description())).append("</td></tr>");
        }
        b.append("</tbody></table>");
        b.append("<h2>Steps</h2><table class=\"steps\" id=\"steps\"><thead><tr><th>Step</th><th>Result</th><th>Exit code</th>"
                + "<th>Duration</th></tr></thead><tbody>");
        for (StepRecord s : r.steps()) {
            b.append("<tr><td><code>").append(t(s.name())).append("</code></td><td>").append(t(s.result().message()))
                    .append("</td><td>").append(s.result().exitCode() < 0 ? "—" : Integer.toString(s.result().exitCode()))
                    .append("</td><td>").append(HumanDuration.format(s.result().duration())).append("</td></tr>");
        }
        b.append("</tbody></table>");
        b.append("<h2>Log <a class=\"raw\" href=\"").append(Html.esc(self)).append("/log\">plain text</a></h2>");
        if (log.firstLine() > 0) {
            b.append("<p class=\"dropped\">").append(log.firstLine()).append(" earlier lines were dropped; the log keeps its tail.</p>");
        }
        b.append("<pre id=\"log\" class=\"log\" data-api=\"").append(Html.esc(self)).append("/api\" data-next=\"")
                .append(log.nextLine()).append("\" data-done=\"").append(r.lifecycle().isTerminal()).append("\">");
        for (String line : log.lines()) {
            b.append(t(line)).append('\n');
        }
        b.append("</pre>");
        b.append("<p class=\"follow\" id=\"follow\">").append(r.lifecycle().isTerminal() ? "Finished." : "Following the log…").append("</p>");
        return page(base, d.repository().fullName() + " #" + d.id(), b.toString());
    }

    String confirmCancel(String base, String self, DeploymentRecord r, String csrf) {
        Deployment d = r.deployment();
        String body = "<h1>Cancel deployment " + d.id() + "?</h1><p>" + t(d.repository().fullName()) + " to "
                + t(d.environment().value()) + " at " + commit(r) + ", now " + badge(r.state()) + ".</p>"
                + "<form method=\"post\" action=\"" + Html.esc(self) + "/cancel\"><input type=\"hidden\" name=\"csrf\" value=\""
                + Html.esc(csrf) + "\"><button type=\"submit\" id=\"confirm-cancel\" class=\"danger\">Yes, cancel deployment "
                + d.id() + "</button> <a href=\"" + Html.esc(self) + "\">No, go back</a></form>";
        return page(base, "Cancel deployment " + d.id(), body);
    }

    String message(String base, String title, String text) {
        return page(base, title, "<h1>" + t(title) + "</h1><p>" + t(text) + "</p>");
    }

    String select(String name, String label, SortedSet<String> options, String chosen) {
        StringBuilder b = new StringBuilder("<label>").append(label).append(" <select name=\"").append(name).append("\"><option value=\"\">all</option>");
        for (String o : options) {
            b.append("<option").append(o.equals(chosen) ? " selected" : "").append(" value=\"").append(t(o)).append("\">")
                    .append(t(o)).append("</option>");
        }
        return b.append("</select></label> ").toString();
    }

    static String fact(String name, String html) {
        return "<dt>" + name + "</dt><dd>" + html + "</dd>";
    }

    String commit(DeploymentRecord r) {
        Deployment d = r.deployment();
        String url = githubWebUrl + "/" + d.repository().fullName() + "/commit/" + d.sha().value();
        return "<code>" + t(d.ref().shortName()) + "</code> @ <a rel=\"noreferrer\" href=\"" + Html.esc(url) + "\"><code>"
                + d.sha().abbreviated() + "</code></a>";
    }

    static String badge(DeploymentState s) {
        return "<span class=\"state state-" + s.apiValue() + "\" data-state=\"" + s.apiValue() + "\">" + word(s) + "</span>";
    }

    static String word(DeploymentState s) {
        return switch (s) {
            case QUEUED -> "queued";
            case PENDING -> "pending";
            case IN_PROGRESS -> "running";
            case SUCCESS -> "succeeded";
            case FAILURE -> "failed";
            case ERROR -> "error";
            case INACTIVE -> "inactive";
            case UNKNOWN -> "unknown";
        };
    }

    String duration(DeploymentRecord r) {
        Optional<Instant> start = r.startedAt();
        if (start.isEmpty()) {
            return "—";
        }
        return HumanDuration.format(Duration.between(start.get(), r.finishedAt().orElse(clock.instant())));
    }
}
