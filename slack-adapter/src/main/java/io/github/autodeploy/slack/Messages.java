package io.github.autodeploy.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.lifecycle.StatusUpdate;
import io.github.autodeploy.core.model.HumanDuration;
import io.github.autodeploy.core.port.Notice;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Renders notices as a Slack Block Kit message: for each, a headline that says what is true
 * (deployed, failed, waiting for CI...) and the facts in a context line; and a plain {@code text}
 * fallback for notifications. Several notices of one repository share a message. Every value is
 * escaped for Slack's mrkdwn: {@code & < >} as entities, backticks inside code spans replaced by a
 * look-alike so a value cannot close its span, and {@code * _ ~ `} outside code replaced by
 * look-alikes so a value cannot start formatting; text objects are {@code verbatim}, so Slack turns
 * no bare URL or channel name into a link. A link's address is used only when it is a plain http(s)
 * URL. Text is cut to Slack's limits. Stateless.
 */
final class Messages {
    static final int MAX_SECTION = 3000;
    static final int MAX_BLOCKS = 50;
    /** Blocks one notice takes: its section and its context line. */
    static final int BLOCKS_PER_NOTICE = 2;
    /** Notices one message holds at most, within Slack's 50 blocks. */
    static final int MAX_NOTICES = MAX_BLOCKS / BLOCKS_PER_NOTICE;
    /** Characters of text one message holds at most, well under what Slack accepts in a message. */
    static final int MAX_MESSAGE_CHARS = 30_000;
    private static final int MAX_URL = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One notice as blocks and a plain line, ready to share a message with others of its repository. */
    record Part(List<ObjectNode> blocks, String fallback, int chars) {
        Part {
            blocks = List.copyOf(blocks);
        }
    }

    private Messages() {
    }

    /** The message for one notice. */
    static ObjectNode render(Notice n, String githubWebUrl) {
        return message(List.of(part(n, githubWebUrl)));
    }

    /** One message holding {@code parts} in order (at most {@link #MAX_NOTICES}). */
    static ObjectNode message(List<Part> parts) {
        ObjectNode message = JSON.createObjectNode();
        String text = parts.size() == 1 ? parts.get(0).fallback()
                : parts.size() + " updates: " + String.join("; ", parts.stream().map(Part::fallback).toList());
        message.put("text", StatusUpdate.shorten(text, MAX_SECTION));
        ArrayNode blocks = message.putArray("blocks");
        for (Part p : parts) {
            for (ObjectNode b : p.blocks()) {
                if (blocks.size() < MAX_BLOCKS) {
                    blocks.add(b);
                }
            }
        }
        return message;
    }

    static Part part(Notice n, String githubWebUrl) {
        String repoUrl = githubWebUrl + "/" + n.repository().fullName();
        String sha = n.sha().map(c -> c.abbreviated()).orElse("");
        String place = link(repoUrl, n.repository().fullName()) + " *" + text(n.environment().value()) + "*";
        String target = code(sha) + " of " + link(repoUrl, n.repository().fullName()) + " to *" + text(n.environment().value()) + "*";
        String by = n.actor().map(a -> " by " + text(a)).orElse("");
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
            case LOCKED -> ":lock: *Locked* " + place + by;
            case UNLOCKED -> ":unlock: *Unlocked* " + place + by;
            case LOCK_STOLEN -> ":lock: *Lock taken over* on " + place + by;
            case HELD -> ":double_vertical_bar: *Held:* " + target;
            case ROLLBACK -> ":rewind: *Rolling back* " + place + " to " + code(sha) + by;
            case REFUSED -> ":no_entry_sign: *Not deployed:* " + target;
            case FORCED -> ":warning: *Forced* " + target + by;
            case GATE_WAITING -> ":hourglass: *Actions deployment still waiting:* " + target;
            case GATE_REJECTED -> ":no_entry: *Actions deployment rejected:* " + target + by;
        };
        StringBuilder section = new StringBuilder(headline);
        if (explains(n)) {
            section.append("\n>").append(text(n.description()).replace("\n", "\n>"));
        }
        if (!n.contexts().isEmpty()) {
            String label = n.kind() == NotificationKind.WAITING_FOR_CI ? "Still waiting for"
                    : n.kind() == NotificationKind.BLOCKED_BY_CI ? "Failed" : "Contexts";
            section.append("\n").append(label).append(": ").append(String.join(", ", n.contexts().stream().map(Messages::code).toList()));
        }
        List<String> facts = new ArrayList<>();
        if (!n.ref().isEmpty()) {
            facts.add("Ref " + code(n.ref()));
        }
        n.sha().ifPresent(c -> facts.add("commit " + link(repoUrl + "/commit/" + c.value(), sha)));
        n.requester().ifPresent(r -> facts.add("requested by " + text(r.login())));
        n.deploymentId().ifPresent(id -> facts.add("deployment " + id));
        n.logUrl().flatMap(Messages::safeUrl).ifPresent(url -> facts.add(link(url, "View log")));

        String sectionText = StatusUpdate.shorten(section.toString(), MAX_SECTION);
        String factsText = StatusUpdate.shorten(String.join(" · ", facts), MAX_SECTION);
        ObjectNode s = JSON.createObjectNode();
        s.put("type", "section");
        s.set("text", mrkdwn(sectionText));
        String fallback = StatusUpdate.shorten(fallback(n), MAX_SECTION);
        if (facts.isEmpty()) {
            // Slack refuses a context block with empty text: a notice about an environment has no facts.
            return new Part(List.of(s), fallback, sectionText.length() + fallback.length());
        }
        ObjectNode context = JSON.createObjectNode();
        context.put("type", "context");
        context.putArray("elements").add(mrkdwn(factsText));
        return new Part(List.of(s, context), fallback, sectionText.length() + factsText.length() + fallback.length());
    }

    private static ObjectNode mrkdwn(String text) {
        ObjectNode t = JSON.createObjectNode();
        t.put("type", "mrkdwn");
        t.put("text", text);
        t.put("verbatim", true);
        return t;
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
            case LOCKED -> "Locked";
            case UNLOCKED -> "Unlocked";
            case LOCK_STOLEN -> "Lock taken over:";
            case HELD -> "Held:";
            case ROLLBACK -> "Rolling back:";
            case REFUSED -> "Not deployed:";
            case FORCED -> "Forced:";
            case GATE_WAITING -> "Actions deployment still waiting:";
            case GATE_REJECTED -> "Actions deployment rejected:";
        };
        String who = n.actor().or(() -> n.requester().map(r -> r.login())).map(w -> " (" + w + ")").orElse("");
        String subject = n.sha().isPresent()
                ? n.repository().fullName() + " " + n.sha().get().abbreviated() + " to " + n.environment().value()
                : n.repository().fullName() + " " + n.environment().value();
        return text(what + " " + subject + who + (explains(n) ? ": " + n.description() : ""));
    }

    /** Whether the description adds to the headline: why it failed, errored, gave up or was replaced. */
    private static boolean explains(Notice n) {
        return !n.description().isBlank() && switch (n.kind()) {
            case FAILED, ERRORED, GAVE_UP_WAITING, SUPERSEDED, LOCKED, LOCK_STOLEN, HELD, ROLLBACK, REFUSED, FORCED,
                 GATE_WAITING, GATE_REJECTED -> true;
            default -> false;
        };
    }

    /** Slack's three control characters as entities; the rest of mrkdwn is handled by {@link #code} and {@link #text}. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * A value as a code span: a backtick inside would close the span and let the rest be formatted and
     * linked, so it becomes U+02CB, which looks alike; a line break would end it, so it becomes a space.
     */
    static String code(String s) {
        return "`" + escape(s).replace('`', '\u02CB').replace('\r', ' ').replace('\n', ' ') + "`";
    }

    /**
     * A value in running text: mrkdwn has no escape for its formatting characters, so {@code * _ ~ `}
     * become look-alikes (U+2217, U+02CD, U+223C, U+02CB) and a value cannot make the rest bold, italic,
     * struck through or code.
     */
    static String text(String s) {
        return escape(s).replace('*', '\u2217').replace('_', '\u02CD').replace('~', '\u223C').replace('`', '\u02CB');
    }

    /**
     * {@code url} when it may be linked: an absolute http or https URL with a host and no user info, of
     * printable ASCII without the characters that end Slack's {@code <url|label>} syntax.
     */
    static Optional<String> safeUrl(String url) {
        if (url.isEmpty() || url.length() > MAX_URL) {
            return Optional.empty();
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '|' || c == '<' || c == '>' || c == '"' || c == '`' || c == '\\') {
                return Optional.empty();
            }
        }
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            boolean web = scheme.equals("http") || scheme.equals("https");
            return web && u.getHost() != null && !u.getHost().isEmpty() && u.getRawUserInfo() == null
                    ? Optional.of(url) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String link(String url, String label) {
        return "<" + url.replace("&", "&amp;").replace(">", "%3E").replace("<", "%3C").replace("|", "%7C") + "|" + text(label) + ">";
    }
}
