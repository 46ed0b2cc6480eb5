package io.github.autodeploy.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.lifecycle.StatusUpdate;
import io.github.autodeploy.core.model.HumanDuration;
import io.github.autodeploy.core.port.Notice;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a notice as a Slack Block Kit message: a headline that says what is true (deployed, failed,
 * waiting for CI...), the facts in a context line, and a plain {@code text} fallback for
 * notifications. Every value is escaped; text is cut to Slack's limits. Stateless.
 */
final class Messages {
    static final int MAX_SECTION = 3000;
    static final int MAX_BLOCKS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Messages() {
    }

    static ObjectNode render(Notice n, String githubWebUrl) {
        String repoUrl = githubWebUrl + "/" + n.repository().fullName();
        String sha = n.sha().abbreviated();
        String who = n.requester().login();
        String target = "`" + escape(sha) + "` of " + link(repoUrl, n.repository().fullName()) + " to *" + escape(n.environment().value()) + "*";
        String headline = switch (n.kind()) {
            case QUEUED -> ":hourglass_flowing_sand: *Queued:* " + target;
            case STARTED -> ":rocket: *Deploying* " + target;
            case SUCCEEDED -> ":white_check_mark: *Deployed* " + target + n.duration().map(d -> " in " + HumanDuration.format(d)).orElse("");
            case FAILED -> ":x: *Deployment failed:* " + target;
            case ERRORED -> ":warning: *Deployment errored:* " + target;
            case WAITING_FOR_CI -> ":hourglass: *Waiting for CI* before deploying " + target;
            case BLOCKED_BY_CI -> ":no_entry: *Not deployed, CI failed:* " + target;
            case GAVE_UP_WAITING -> ":alarm_clock: *Not deployed, gave up waiting for CI:* " + target;
            case SUPERSEDED -> ":fast_forward: *Not deployed, superseded by a newer commit:* " + target;
        };
        StringBuilder section = new StringBuilder(headline);
        if (explains(n)) {
            section.append("\n>").append(escape(n.description()));
        }
        if (!n.contexts().isEmpty()) {
            String label = n.kind() == NotificationKind.WAITING_FOR_CI ? "Still waiting for"
                    : n.kind() == NotificationKind.BLOCKED_BY_CI ? "Failed" : "Contexts";
            section.append("\n").append(label).append(": ").append(String.join(", ", n.contexts().stream().map(c -> "`" + escape(c) + "`").toList()));
        }
        List<String> facts = new ArrayList<>();
        facts.add("Ref `" + escape(n.ref()) + "`");
        facts.add("commit " + link(repoUrl + "/commit/" + n.sha().value(), sha));
        facts.add("requested by " + escape(who));
        n.deploymentId().ifPresent(id -> facts.add("deployment " + id));
        n.logUrl().ifPresent(url -> facts.add(link(url, "View log")));

        ObjectNode message = JSON.createObjectNode();
        message.put("text", StatusUpdate.shorten(fallback(n), MAX_SECTION));
        ArrayNode blocks = message.putArray("blocks");
        ObjectNode s = blocks.addObject();
        s.put("type", "section");
        s.putObject("text").put("type", "mrkdwn").put("text", StatusUpdate.shorten(section.toString(), MAX_SECTION));
        ObjectNode context = blocks.addObject();
        context.put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn").put("text", StatusUpdate.shorten(String.join(" · ", facts), MAX_SECTION));
        while (blocks.size() > MAX_BLOCKS) {
            blocks.remove(blocks.size() - 1);
        }
        return message;
    }

    /** The plain line a phone shows: what happened, to what, by whom. */
    private static String fallback(Notice n) {
        String what = switch (n.kind()) {
            case QUEUED -> "Queued";
            case STARTED -> "Deploying";
            case SUCCEEDED -> "Deployed";
            case FAILED -> "Deployment failed:";
            case ERRORED -> "Deployment errored:";
            case WAITING_FOR_CI -> "Waiting for CI:";
            case BLOCKED_BY_CI -> "Not deployed (CI failed):";
            case GAVE_UP_WAITING -> "Not deployed (gave up waiting for CI):";
            case SUPERSEDED -> "Not deployed (superseded):";
        };
        return escape(what + " " + n.repository().fullName() + " " + n.sha().abbreviated() + " to " + n.environment().value()
                + " (" + n.requester().login() + ")" + (explains(n) ? ": " + n.description() : ""));
    }

    /** Whether the description adds to the headline: why it failed, errored, gave up or was replaced. */
    private static boolean explains(Notice n) {
        return !n.description().isBlank() && switch (n.kind()) {
            case FAILED, ERRORED, GAVE_UP_WAITING, SUPERSEDED -> true;
            default -> false;
        };
    }

    /** Slack's three control characters; everything else is literal in mrkdwn. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String link(String url, String label) {
        return "<" + url.replace(">", "%3E").replace("|", "%7C") + "|" + escape(label) + ">";
    }
}
