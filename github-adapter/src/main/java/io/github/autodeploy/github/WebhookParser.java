package io.github.autodeploy.github;

import io.github.autodeploy.core.model.InvalidValueException;

import static io.github.autodeploy.github.PayloadFields.flag;
import static io.github.autodeploy.github.PayloadFields.optional;
import static io.github.autodeploy.github.PayloadFields.required;
import static io.github.autodeploy.github.PayloadFields.text;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.ContextState;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Requester;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a webhook delivery (event name, content type, raw body) into a core {@link WebhookEvent}.
 * JSON and form-encoded bodies are read; unknown fields are ignored and unknown enum words become
 * {@code UNKNOWN}; events and actions the robot does not act on become {@link
 * WebhookEvent.Unsupported}. Anything unreadable is a {@link WebhookParseException} and nothing
 * else. Immutable and thread-safe.
 */
public final class WebhookParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Every path the events below read, the only parts of a payload built into a tree (a 7 KB deployment
     * delivery is mostly repository and user objects the robot never looks at). A path read below must be
     * listed here; {@code WebhookParserPrunedTreeConformanceTest} checks the events are those of the full tree.
     */
    private static final PrunedJson FIELDS = PrunedJson.keeping(JSON,
            "action", "after", "before", "check_run.completed_at", "check_run.conclusion", "check_run.head_sha",
            "check_run.name", "check_run.status", "check_suite.conclusion", "check_suite.head_branch",
            "check_suite.head_sha", "context", "created", "deleted", "deployment.creator.login",
            "deployment.description", "deployment.environment", "deployment.id", "deployment.payload",
            "deployment.ref", "deployment.sha", "deployment.task", "deployment_callback_url",
            "deployment_status.creator.login", "deployment_status.description", "deployment_status.log_url",
            "deployment_status.state", "deployment_status.target_url", "environment", "event", "forced",
            "installation.id", "pull_request.base.ref", "pull_request.head.repo.full_name", "pull_request.head.sha",
            "pull_request.merge_commit_sha", "pull_request.merged", "pull_request.merged_by.login",
            "pull_request.number", "pull_request.title", "pull_request.user.login", "pull_requests", "pusher.name",
            "ref", "repository.default_branch", "repository.full_name", "sender.login", "sha", "state", "updated_at",
            "zen");
    /** A workflow trigger as GitHub names events: {@code push}, {@code workflow_dispatch}, {@code dynamic}. */
    private static final Pattern TRIGGER = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private final CallbackUrls callbacks;

    private WebhookParser(CallbackUrls callbacks) {
        this.callbacks = callbacks;
    }

    /** A parser for github.com: protection-rule callbacks must be on {@code https://api.github.com}. */
    public static WebhookParser create() {
        return new WebhookParser(CallbackUrls.GITHUB_COM);
    }

    /**
     * A parser for the GitHub whose REST API is at {@code apiUrl} (the robot's {@code github.api_url}, e.g.
     * {@code https://HOST/api/v3}): a {@code deployment_protection_rule} event's callback URL must be on it.
     *
     * @throws IllegalArgumentException when {@code apiUrl} is not an absolute http(s) URL
     */
    public static WebhookParser create(String apiUrl) {
        return new WebhookParser(CallbackUrls.of(apiUrl));
    }

    /**
     * @param eventName   the {@code X-GitHub-Event} header
     * @param contentType the {@code Content-Type} header
     * @throws WebhookParseException when the delivery cannot be read
     */
    public WebhookEvent parse(String eventName, String contentType, byte[] body) {
        if (eventName == null || eventName.isBlank()) {
            throw PayloadFields.malformed("the X-GitHub-Event header is missing");
        }
        return event(eventName, json(contentType, body));
    }

    /** The event in {@code root}, the payload read into a tree (whole, or as {@link #FIELDS} keeps it). */
    WebhookEvent event(String eventName, JsonNode root) {
        if (!root.isObject()) {
            throw PayloadFields.malformed("the payload is not a JSON object");
        }
        String event = eventName.strip().toLowerCase(Locale.ROOT);
        Optional<String> action = text(root, "action");
        try {
            return switch (event) {
                case "ping" -> new WebhookEvent.Ping(repository(root), text(root, "zen").orElse(""));
                case "pull_request" -> action.filter("closed"::equals).isPresent() ? pullRequestClosed(root) : unsupported(event, action, root);
                case "push" -> push(root);
                case "deployment" -> action.orElse("created").equals("created") ? deployment(root) : unsupported(event, action, root);
                case "deployment_status" -> action.orElse("created").equals("created") ? deploymentStatus(root) : unsupported(event, action, root);
                case "status" -> new WebhookEvent.CommitStatus(repo(root), required(root, "sha", CommitSha::of),
                        required(root, "context"), ContextState.fromCommitStatus(required(root, "state")),
                        PayloadFields.time(root, "updated_at"));
                case "check_run" -> action.filter("completed"::equals).isPresent()
                        ? new WebhookEvent.CheckRunCompleted(repo(root), required(root, "check_run.head_sha", CommitSha::of),
                                required(root, "check_run.name"),
                                ContextState.fromCheckRun(required(root, "check_run.status"), text(root, "check_run.conclusion").orElse(null)),
                                PayloadFields.time(root, "check_run.completed_at"))
                        : unsupported(event, action, root);
                case "check_suite" -> action.filter("completed"::equals).isPresent()
                        ? new WebhookEvent.CheckSuiteCompleted(repo(root), required(root, "check_suite.head_sha", CommitSha::of),
                                text(root, "check_suite.head_branch"),
                                ContextState.fromConclusion(text(root, "check_suite.conclusion").orElse(null)))
                        : unsupported(event, action, root);
                case "deployment_protection_rule" -> action.filter("requested"::equals).isPresent()
                        ? protectionRule(root) : unsupported(event, action, root);
                default -> unsupported(event, action, root);
            };
        } catch (WebhookParseException e) {
            throw new WebhookParseException(e.kind(), event + " event: " + e.getMessage(), e);
        } catch (InvalidValueException e) {
            // A value a record refused as a whole (a task of 101 characters): the delivery is unusable, and a
            // redelivery would fail the same way, so it is the sender's error (400), never the robot's (500).
            throw new WebhookParseException(WebhookParseException.Kind.MALFORMED, event + " event: " + e.getMessage(), e);
        }
    }

    private static JsonNode json(String contentType, byte[] body) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        byte[] jsonBytes;
        if (type.equals("application/json")) {
            jsonBytes = body;
        } else if (type.equals("application/x-www-form-urlencoded")) {
            jsonBytes = formPayload(body).getBytes(StandardCharsets.UTF_8);
        } else {
            throw new WebhookParseException(WebhookParseException.Kind.UNSUPPORTED_CONTENT_TYPE,
                    "content type \"" + type + "\" is not supported; set the webhook's content type to application/json");
        }
        try {
            return FIELDS.read(jsonBytes);
        } catch (JacksonException e) {
            throw PayloadFields.malformed("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw PayloadFields.malformed("the body could not be read");
        }
    }

    private static String formPayload(byte[] body) {
        for (String pair : new String(body, StandardCharsets.ISO_8859_1).split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (name.equals("payload")) {
                try {
                    return URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw PayloadFields.malformed("the form field payload is not valid URL encoding");
                }
            }
        }
        throw PayloadFields.malformed("the form-encoded body has no payload field");
    }

    private static Optional<RepositoryName> repository(JsonNode root) {
        return optional(root, "repository.full_name", RepositoryName::of);
    }

    private static RepositoryName repo(JsonNode root) {
        return required(root, "repository.full_name", RepositoryName::of);
    }

    private static WebhookEvent unsupported(String event, Optional<String> action, JsonNode root) {
        Optional<RepositoryName> repository;
        try {
            repository = repository(root);
        } catch (WebhookParseException e) {
            repository = Optional.empty();
        }
        return new WebhookEvent.Unsupported(event, action, repository);
    }

    private static WebhookEvent pullRequestClosed(JsonNode root) {
        boolean merged = flag(root, "pull_request.merged");
        return new WebhookEvent.PullRequestClosed(repo(root), (int) PayloadFields.number(root, "pull_request.number"), merged,
                required(root, "pull_request.base.ref", GitRef::of), defaultBranch(root),
                required(root, "pull_request.head.sha", CommitSha::of),
                merged ? optional(root, "pull_request.merge_commit_sha", CommitSha::of) : Optional.empty(),
                optional(root, "pull_request.merged_by.login", Requester::of),
                required(root, "pull_request.user.login", Requester::of),
                optional(root, "pull_request.head.repo.full_name", RepositoryName::of),
                text(root, "pull_request.title").orElse(""));
    }

    private static WebhookEvent push(JsonNode root) {
        RepositoryName repo = repo(root);
        Requester pusher = optional(root, "sender.login", Requester::of)
                .orElseGet(() -> required(root, "pusher.name", Requester::of));
        return new WebhookEvent.Push(repo, required(root, "ref", GitRef::of), defaultBranch(root),
                required(root, "before", CommitSha::of), required(root, "after", CommitSha::of), pusher,
                flag(root, "created"), flag(root, "deleted"), flag(root, "forced"));
    }

    private static WebhookEvent deployment(JsonNode root) {
        JsonNode payload = PayloadFields.at(root, "deployment.payload");
        String payloadJson = payload == null || payload.isNull() ? "{}" : payload.toString();
        Requester creator = required(root, "deployment.creator.login", Requester::of);
        // A deployment this robot created names who merged or pushed in its payload; the engine decides
        // whether to believe it (only for deployments it created itself).
        Optional<Requester> requestedFor = PayloadFields.text(root, "deployment.payload.autodeploy.requester")
                .flatMap(WebhookParser::login);
        return new WebhookEvent.DeploymentCreated(new Deployment(repo(root),
                required(root, "deployment.id", v -> DeploymentId.of(parseId(v))),
                required(root, "deployment.sha", CommitSha::of), required(root, "deployment.ref", GitRef::of),
                required(root, "deployment.environment", EnvironmentName::of),
                text(root, "deployment.task").filter(t -> !t.isBlank()).orElse("deploy"), creator, payloadJson,
                text(root, "deployment.description").orElse("")), requestedFor);
    }

    private WebhookEvent protectionRule(JsonNode root) {
        RepositoryName repo = repo(root);
        String callbackUrl = required(root, "deployment_callback_url");
        long runId = callbacks.runId(callbackUrl, repo);
        String trigger = required(root, "event");
        if (!TRIGGER.matcher(trigger).matches()) {
            throw PayloadFields.malformed("event \"" + PayloadFields.printable(trigger)
                    + "\" is not a GitHub event name (1 to 100 letters, digits and _ . -)");
        }
        return new WebhookEvent.ProtectionRuleRequested(repo,
                required(root, "environment", EnvironmentName::of), trigger, callbackUrl, runId,
                required(root, "deployment.id", v -> DeploymentId.of(parseId(v))),
                required(root, "deployment.sha", CommitSha::of), required(root, "deployment.ref", GitRef::of),
                required(root, "deployment.creator.login", Requester::of),
                pullRequestNumbers(root), required(root, "sender.login", Requester::of),
                PayloadFields.positiveId(root, "installation.id"));
    }

    private static List<Integer> pullRequestNumbers(JsonNode root) {
        JsonNode prs = PayloadFields.at(root, "pull_requests");
        if (prs == null || prs.isNull()) {
            return List.of();
        }
        if (!prs.isArray()) {
            throw PayloadFields.malformed("pull_requests is not a list");
        }
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < prs.size(); i++) {
            JsonNode n = prs.get(i).get("number");
            if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() <= 0) {
                throw PayloadFields.malformed("pull_requests[" + i + "].number is missing or not a positive number");
            }
            numbers.add(n.asInt());
        }
        return numbers;
    }

    private static WebhookEvent deploymentStatus(JsonNode root) {
        return new WebhookEvent.DeploymentStatusCreated(repo(root),
                required(root, "deployment.id", v -> DeploymentId.of(parseId(v))),
                required(root, "deployment.environment", EnvironmentName::of),
                required(root, "deployment.sha", CommitSha::of),
                text(root, "deployment.ref").flatMap(WebhookParser::refOrEmpty),
                DeploymentState.fromGitHub(required(root, "deployment_status.state")),
                text(root, "deployment_status.description").orElse(""),
                text(root, "deployment_status.log_url").or(() -> text(root, "deployment_status.target_url"))
                        .filter(u -> !u.isBlank()),
                optional(root, "deployment_status.creator.login", Requester::of)
                        .orElseGet(() -> required(root, "sender.login", Requester::of)));
    }

    /** Another tool's ref only labels its announcement, so one git would refuse is left out, not fatal. */
    private static Optional<GitRef> refOrEmpty(String value) {
        try {
            return Optional.of(GitRef.of(value));
        } catch (InvalidValueException e) {
            return Optional.empty();
        }
    }

    private static String defaultBranch(JsonNode root) {
        return text(root, "repository.default_branch").orElse("main");
    }

    private static Optional<Requester> login(String value) {
        try {
            return Optional.of(Requester.of(value));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long parseId(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw PayloadFields.malformed("deployment.id \"" + value + "\" is not a number");
        }
    }
}
