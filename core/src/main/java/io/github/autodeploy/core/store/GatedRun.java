package io.github.autodeploy.core.store;

import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.port.ProtectionRuleTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A GitHub Actions deployment that the robot gates as a custom deployment protection rule: what it
 * waits for, who approved it, and the decision once made. Stored so that a restart or another node
 * goes on from it, and changed only by {@link DeploymentStore#replaceGated}, which compares
 * {@link #version}, so a decision (and each status report) is taken once across nodes. Immutable.
 *
 * @param target       the workflow run, environment and App installation GitHub asked about
 * @param deploymentId the GitHub deployment the job would create
 * @param creator      the GitHub login that started the run (for {@code self_approval: false})
 * @param trigger      the event that started the workflow ({@code push}, {@code workflow_dispatch}, ...)
 * @param requestedAt  when the robot received the request
 * @param deadline     when it stops waiting for CI and rejects (the rule's {@code ci_timeout} after the
 *                     request); a lock, a closed window or missing approvals are waited for without end
 * @param state        waiting, or the decision
 * @param reason       what it waits for now, or why it was decided (the decision's comment)
 * @param approvals    the robot's users who approved, in order, each at most once
 * @param reportsSent  how many status reports the robot sent GitHub for it (at most {@link #MAX_REPORTS})
 * @param reported     the last reason reported to GitHub (empty before the first report)
 * @param decidedBy    the user who approved or rejected it by hand; empty when the robot decided
 * @param decidedAt    when it was decided
 * @param delivery     whether GitHub has the decision
 * @param announced    whether the team was told it waits long ({@code notify_after}); told once across nodes
 * @param version      the stored version this value was read at; {@code replaceGated} stores the next one
 */
public record GatedRun(ProtectionRuleTarget target, DeploymentId deploymentId, CommitSha sha, GitRef ref, String creator,
                       String trigger, Instant requestedAt, Instant deadline, State state, String reason,
                       List<Approval> approvals, int reportsSent, String reported, Optional<String> decidedBy,
                       Optional<Instant> decidedAt, Delivery delivery, boolean announced, long version) {
    /** GitHub keeps at most 10 status reports per deployment protection rule run. */
    public static final int MAX_REPORTS = 10;
    /** The longest reason or comment kept (GitHub takes 1,024 characters). */
    public static final int MAX_REASON = 1024;

    /** Waiting, or the decision. */
    public enum State {
        WAITING, APPROVED, REJECTED;

        /** The name used in the store, the pages and the API: {@code waiting}, {@code approved}, {@code rejected}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The state of {@code wire} ({@link #wireName()}). */
        public static State fromWire(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    /** Whether GitHub has the decision. */
    public enum Delivery {
        /** Nothing to send yet (waiting), or decided and not yet sent: the node that decided sends it. */
        PENDING,
        /** GitHub took it. */
        SENT,
        /** GitHub answered that it would not take it (say, the run was cancelled or already reviewed). */
        REFUSED,
        /** The answer was lost: GitHub may or may not have it, and a decision is never sent twice. */
        UNKNOWN,
        /** No GitHub App is configured for protection rules, or the installation gave no token. */
        NOT_CONFIGURED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Delivery fromWire(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    /** One user's approval. */
    public record Approval(String user, Instant at) {
        public Approval {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(at, "at");
            if (user.isBlank() || user.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                throw new IllegalArgumentException("an approval names a user without spaces or control characters");
            }
        }
    }

    public GatedRun {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(deploymentId, "deploymentId");
        Objects.requireNonNull(sha, "sha");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(creator, "creator");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        approvals = List.copyOf(approvals);
        Objects.requireNonNull(reported, "reported");
        Objects.requireNonNull(decidedBy, "decidedBy");
        Objects.requireNonNull(decidedAt, "decidedAt");
        Objects.requireNonNull(delivery, "delivery");
        reason = clip(reason);
        reported = clip(reported);
        if (!plainWord(creator, 100) || !plainWord(trigger, 100)) {
            throw new IllegalArgumentException("a gated run's creator and trigger are 1 to 100 characters without spaces "
                    + "or control characters");
        }
        if (reportsSent < 0 || reportsSent > MAX_REPORTS) {
            throw new IllegalArgumentException("reports sent " + reportsSent + " is not within 0.." + MAX_REPORTS);
        }
        if ((state == State.WAITING) != decidedAt.isEmpty()) {
            throw new IllegalArgumentException("a gated run has a decision time exactly when it is decided");
        }
        if (state == State.WAITING && (decidedBy.isPresent() || delivery != Delivery.PENDING)) {
            throw new IllegalArgumentException("a waiting gated run has no decider and nothing to deliver");
        }
        if (approvals.stream().map(a -> a.user().toLowerCase(Locale.ROOT)).distinct().count() != approvals.size()) {
            throw new IllegalArgumentException("a user approves a gated run at most once");
        }
        if (version < 0) {
            throw new IllegalArgumentException("version " + version + " is negative");
        }
    }

    /** A new waiting run, as received; version 0 until stored. */
    public static GatedRun requested(ProtectionRuleTarget target, DeploymentId deploymentId, CommitSha sha, GitRef ref,
                                     String creator, String trigger, Instant at, Instant deadline) {
        return new GatedRun(target, deploymentId, sha, ref, creator, trigger, at, deadline, State.WAITING,
                "received", List.of(), 0, "", Optional.empty(), Optional.empty(), Delivery.PENDING, false, 0);
    }

    /** The key it is stored under: repository, run id and environment. */
    public String key() {
        return key(target);
    }

    /** The key of a target: {@code owner/repo#runId@environment}. */
    public static String key(ProtectionRuleTarget target) {
        return target.repository() + "#" + target.runId() + "@" + target.environment();
    }

    public boolean waiting() {
        return state == State.WAITING;
    }

    /** Whether {@code user} approved it already (names compare without case). */
    public boolean approvedBy(String user) {
        return approvals.stream().anyMatch(a -> a.user().equalsIgnoreCase(user));
    }

    /** This run with {@code reason} as what it waits for now. */
    public GatedRun waitingFor(String why) {
        return new GatedRun(target, deploymentId, sha, ref, creator, trigger, requestedAt, deadline, state, why, approvals,
                reportsSent, reported, decidedBy, decidedAt, delivery, announced, version);
    }

    /** This run with one more status report, of {@code why}, sent. */
    public GatedRun reportedAs(String why) {
        return new GatedRun(target, deploymentId, sha, ref, creator, trigger, requestedAt, deadline, state, why, approvals,
                reportsSent + 1, why, decidedBy, decidedAt, delivery, announced, version);
    }

    /** This run with {@code user}'s approval added. */
    public GatedRun approvedAs(String user, Instant at) {
        List<Approval> more = new ArrayList<>(approvals);
        more.add(new Approval(user, at));
        return new GatedRun(target, deploymentId, sha, ref, creator, trigger, requestedAt, deadline, state, reason, more,
                reportsSent, reported, decidedBy, decidedAt, delivery, announced, version);
    }

    /** This run decided: {@code decision} with {@code comment}, by a user or (empty) by the robot. */
    public GatedRun decided(State decision, String comment, Optional<String> by, Instant at) {
        if (decision == State.WAITING) {
            throw new IllegalArgumentException("a decision approves or rejects");
        }
        return new GatedRun(target, deploymentId, sha, ref, creator, trigger, requestedAt, deadline, decision, comment,
                approvals, reportsSent, reported, by, Optional.of(at), Delivery.PENDING, announced, version);
    }

    /** This run with its decision's delivery recorded. */
    public GatedRun delivered(Delivery outcome) {
        return new GatedRun(target, deploymentId, sha, ref, creator, trigger, requestedAt, deadline, state, reason, approvals,
                reportsSent, reported, decidedBy, decidedAt, outcome, announced, version);
    }

    /** This run with the team told that it waits long. */
    public GatedRun announcedLongWait() {
        return new GatedRun(target, deploymentId, sha, ref, creator, trigger, requestedAt, deadline, state, reason, approvals,
                reportsSent, reported, decidedBy, decidedAt, delivery, true, version);
    }

    /** This value as stored at {@code storedVersion}. */
    public GatedRun atVersion(long storedVersion) {
        return new GatedRun(target, deploymentId, sha, ref, creator, trigger, requestedAt, deadline, state, reason, approvals,
                reportsSent, reported, decidedBy, decidedAt, delivery, announced, storedVersion);
    }

    private static boolean plainWord(String s, int max) {
        return !s.isEmpty() && s.length() <= max && s.chars().noneMatch(c -> c <= ' ' || c == 0x7f || Character.isISOControl(c));
    }

    private static String clip(String text) {
        String clean = text.codePoints().map(c -> Character.isISOControl(c) && c != '\n' ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        if (clean.length() <= MAX_REASON) {
            return clean;
        }
        int end = MAX_REASON - 1;
        if (Character.isHighSurrogate(clean.charAt(end - 1))) {
            end--;
        }
        return clean.substring(0, end) + "…";
    }

    @Override
    public String toString() {
        return "gated " + target + " (" + state.wireName() + ": " + reason + ")";
    }
}
