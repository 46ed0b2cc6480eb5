package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.config.Protection;
import io.github.autodeploy.core.config.RobotConfig;
import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.gate.ContextGate;
import io.github.autodeploy.core.gate.GateDecision;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.ContextReport;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Requester;
import io.github.autodeploy.core.port.ApiException;
import io.github.autodeploy.core.port.CommitChecks;
import io.github.autodeploy.core.port.Notice;
import io.github.autodeploy.core.port.ProtectionRuleApi;
import io.github.autodeploy.core.port.ProtectionRuleResult;
import io.github.autodeploy.core.port.ProtectionRuleTarget;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.core.store.GatedRun;
import io.github.autodeploy.core.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The robot as a custom deployment protection rule of GitHub Actions: a {@code deployment_protection_rule}
 * request for a protected environment is stored as a {@link GatedRun}, then decided on the gate's own
 * thread from what the robot already knows (the environment's lock and deploy window, {@code
 * required_contexts} on the run's commit, and approvals by the robot's users), reporting what it waits
 * for whenever that changes (at most {@link GatedRun#MAX_REPORTS} reports) and approving or rejecting
 * the moment the condition changes or the deadline passes. Every change goes through the store's
 * compare-and-set ({@link DeploymentStore#replaceGated}), so a decision is taken once however many
 * nodes look at the run; the node whose write took the decision sends it, once. Thread-safe.
 */
final class ProtectionGate {
    private static final Logger LOG = LoggerFactory.getLogger(ProtectionGate.class);
    /** How often waiting runs are looked at (locks, windows, deadlines); CI is asked at the rule's poll interval. */
    static final Duration TICK = Duration.ofSeconds(1);
    /**
     * A decision not known to have reached GitHub (its node died before it could send it, or the answer
     * was lost) is sent again this long after the last try seen here, by whichever node claims it.
     */
    static final Duration SEND_AFTER = Duration.ofMinutes(2);
    /** For this long after the decision; then it is left as it is (GitHub's own 30 days run out anyway). */
    static final Duration RESEND_FOR = Duration.ofHours(1);
    /** How many runs one tick looks at, at most. */
    private static final int BATCH = 500;
    private final RobotConfig config;
    private final DeploymentStore store;
    private final ProtectionRuleApi api;
    private final CommitChecks checks;
    private final Admissions admissions;
    private final Notifications notifications;
    private final TimeSource time;
    private final io.github.autodeploy.core.port.RobotMetrics metrics;
    /** The role each user has now; an approval counts only while its user may still approve. */
    private final java.util.function.Function<String, Optional<io.github.autodeploy.core.control.Role>> roleOf;
    private final Supplier<ScheduledExecutorService> thread;
    /** Masks every configured secret out of what goes to GitHub (a lock's reason or a rejection's may hold one). */
    private final java.util.function.UnaryOperator<String> redact;
    /** When CI of each waiting run was last asked, on the monotonic clock; only this node's asks. */
    private final Map<String, Long> lastAsked = new ConcurrentHashMap<>();
    /** What CI said last for each waiting run, kept between asks. */
    private final Map<String, Verdict> lastCi = new ConcurrentHashMap<>();
    /** When this node last sent (or first saw unsent) each decision, on the monotonic clock. */
    private final Map<String, Long> lastSend = new ConcurrentHashMap<>();
    private volatile boolean ticking;

    ProtectionGate(RobotConfig config, DeploymentStore store, ProtectionRuleApi api, CommitChecks checks, Admissions admissions,
                   Notifications notifications, TimeSource time, Supplier<ScheduledExecutorService> thread,
                   java.util.function.UnaryOperator<String> redact, io.github.autodeploy.core.port.RobotMetrics metrics,
                   java.util.function.Function<String, Optional<io.github.autodeploy.core.control.Role>> roleOf) {
        this.roleOf = roleOf;
        this.redact = redact;
        this.metrics = metrics;
        this.config = config;
        this.store = store;
        this.api = api;
        this.checks = checks;
        this.admissions = admissions;
        this.notifications = notifications;
        this.time = time;
        this.thread = thread;
    }

    /** Whether any rule gates Actions deployments; without one the gate has no thread and does nothing. */
    boolean enabled() {
        return config.rules().stream().anyMatch(r -> r.protection().isPresent());
    }

    /** What a rule says about one run, now. */
    sealed interface Verdict {
        record Approve(String comment) implements Verdict {
        }

        record Reject(String comment) implements Verdict {
        }

        /** {@code ci}: it waits for CI, which the rule's {@code ci_timeout} bounds (a lock, window or approval does not). */
        record Wait(String reason, boolean ci) implements Verdict {
        }
    }

    /**
     * The receipt of a protection-rule request, on the webhook thread: stored (accepted) when its
     * environment is protected here and an App can answer it; ignored, and never approved, otherwise.
     *
     * @throws StoreUnavailable when the store cannot be written
     */
    Receipt request(DeliveryId delivery, WebhookEvent.ProtectionRuleRequested e) {
        Optional<EnvironmentRule> rule = config.rule(e.repo(), e.environment()).filter(r -> r.protection().isPresent());
        if (rule.isEmpty()) {
            return Receipt.ignored("environment " + e.environment() + " of " + e.repo() + " is not configured for protection rules");
        }
        if (!api.configured()) {
            LOG.warn("protection rule request for {} run {} ({}) not taken: no GitHub App is configured "
                    + "(github.app_id, github.private_key); GitHub keeps the job waiting", e.repo(), e.runId(), e.environment());
            return Receipt.ignored("no GitHub App is configured to answer protection rules; not approved");
        }
        if (e.installationId().isEmpty()) {
            LOG.warn("protection rule request for {} run {} ({}) names no App installation; not approved", e.repo(), e.runId(),
                    e.environment());
            return Receipt.ignored("the request names no GitHub App installation; not approved");
        }
        ProtectionRuleTarget target = new ProtectionRuleTarget(e.repo(), e.runId(), e.environment(), e.installationId());
        Instant now = time.now();
        GatedRun run = GatedRun.requested(target, e.deploymentId(), e.sha(), e.ref(), e.creator().login(), e.trigger(), now,
                now.plus(rule.get().ciTimeout()));
        boolean inserted;
        try {
            inserted = store.insertGated(run, delivery);
        } catch (RuntimeException ex) {
            throw new StoreUnavailable("store protection rule request of " + target, ex);
        }
        if (!inserted) {
            return again(run, e);
        }
        LOG.info("gating Actions deployment {} of {} at {} (run {}, by {})", e.deploymentId(), e.repo(), e.sha().abbreviated(),
                e.runId(), e.creator().login());
        wake(run.key());
        return new Receipt(Receipt.Kind.ACCEPTED, "gating run " + e.runId() + " of " + e.repo() + " for " + e.environment());
    }

    /**
     * A request for a run gated already: a redelivery (same deployment) is a duplicate; a new deployment
     * of a decided run is a re-run of its jobs (GitHub keeps the run id and counts attempts), gated anew.
     */
    private Receipt again(GatedRun fresh, WebhookEvent.ProtectionRuleRequested e) {
        String what = "run " + e.runId() + " of " + e.repo() + " (" + e.environment() + ")";
        try {
            Optional<GatedRun> stored = store.gated(fresh.key());
            if (stored.isEmpty() || stored.get().deploymentId().equals(e.deploymentId()) || stored.get().waiting()) {
                return new Receipt(Receipt.Kind.DUPLICATE, what + " is gated already");
            }
            if (store.replaceGated(fresh.atVersion(stored.get().version())).isEmpty()) {
                return new Receipt(Receipt.Kind.DUPLICATE, what + " is gated already");
            }
        } catch (RuntimeException ex) {
            throw new StoreUnavailable("store re-run of " + fresh.target(), ex);
        }
        LOG.info("gating a re-run of {} (deployment {}, by {})", what, e.deploymentId(), e.creator().login());
        lastAsked.remove(fresh.key());
        lastCi.remove(fresh.key());
        wake(fresh.key());
        return new Receipt(Receipt.Kind.ACCEPTED, "gating a re-run of " + what);
    }

    /** Starts looking at waiting runs every {@link #TICK}, if any rule gates. */
    void start() {
        if (enabled() && !ticking) {
            ticking = true;
            schedule(TICK, this::tick);
        }
    }

    /** CI of {@code sha} changed (a status or check event): its waiting runs are asked again at once. */
    void ciChanged(RepositoryName repository, CommitSha sha) {
        if (!enabled()) {
            return;
        }
        lastAsked.keySet().removeIf(key -> key.startsWith(repository.fullName() + "#"));
        schedule(Duration.ZERO, () -> evaluateWaiting(r -> r.target().repository().equals(repository) && r.sha().equals(sha)));
    }

    /** A lock or approval changed: waiting runs are looked at again at once. */
    void wakeAll() {
        if (enabled()) {
            schedule(Duration.ZERO, () -> evaluateWaiting(r -> true));
        }
    }

    private void wake(String key) {
        schedule(Duration.ZERO, () -> {
            try {
                store.gated(key).ifPresent(this::evaluate);
            } catch (RuntimeException e) {
                LOG.warn("could not look at gated run {}; trying again on the next tick: {}", key, e.getMessage());
            }
        });
    }

    private void tick() {
        try {
            evaluateWaiting(r -> true);
        } finally {
            schedule(TICK, this::tick);
        }
    }

    private void evaluateWaiting(java.util.function.Predicate<GatedRun> which) {
        List<GatedRun> runs;
        try {
            runs = store.gatedRuns(BATCH);
        } catch (RuntimeException e) {
            LOG.warn("could not read gated runs; trying again: {}", e.getMessage());
            return;
        }
        if (runs.size() < BATCH) {
            java.util.Set<String> open = new java.util.HashSet<>();
            runs.stream().filter(GatedRun::waiting).forEach(r -> open.add(r.key()));
            lastAsked.keySet().retainAll(open);
            lastCi.keySet().retainAll(open);
            java.util.Set<String> unsent = new java.util.HashSet<>();
            runs.stream().filter(ProtectionGate::unsent).forEach(r -> unsent.add(r.key()));
            lastSend.keySet().retainAll(unsent);
        }
        for (GatedRun run : runs) {
            if ((run.waiting() || unsent(run)) && which.test(run)) {
                try {
                    evaluate(run);
                } catch (RuntimeException e) {
                    LOG.warn("could not decide {}; trying again: {}", run.target(), redact.apply(String.valueOf(e.getMessage())));
                }
            }
        }
    }

    private void schedule(Duration delay, Runnable task) {
        try {
            time.schedule(thread.get(), delay, task);
        } catch (RejectedExecutionException closed) {
            LOG.debug("robot closed; the gate stops");
        }
    }

    /** Decides one run if it can, reports what it waits for if that changed, sends a decision not yet sent. */
    void evaluate(GatedRun run) {
        if (!run.waiting()) {
            if (unsent(run) && run.decidedAt().map(at -> time.now().isBefore(at.plus(RESEND_FOR))).orElse(false)) {
                long now = time.nanoTime();
                long last = lastSend.computeIfAbsent(run.key(), k -> now);
                if (now - last >= SEND_AFTER.toNanos()) {
                    // Not known to be at GitHub: claim it (one node among several), then send the same decision
                    // again. GitHub refuses a second review of a run it has, which ends the tries.
                    store.replaceGated(run).ifPresent(this::send);
                }
            }
            return;
        }
        Verdict verdict = judge(run);
        if (verdict instanceof Verdict.Wait wait && wait.ci() && !time.now().isBefore(run.deadline())) {
            verdict = new Verdict.Reject("gave up after " + minutes(Duration.between(run.requestedAt(), run.deadline()))
                    + " waiting: " + wait.reason());
        }
        if (verdict instanceof Verdict.Approve a) {
            decide(run, GatedRun.State.APPROVED, a.comment(), Optional.empty());
        } else if (verdict instanceof Verdict.Reject r) {
            decide(run, GatedRun.State.REJECTED, r.comment(), Optional.empty());
        } else {
            waitFor(run, ((Verdict.Wait) verdict).reason());
        }
    }

    /** What the rule says about {@code run} now: its lock and window, then CI, then approvals. */
    private Verdict judge(GatedRun run) {
        Optional<EnvironmentRule> found = config.rule(run.target().repository(), run.target().environment())
                .filter(r -> r.protection().isPresent());
        if (found.isEmpty()) {
            return new Verdict.Reject("environment " + run.target().environment() + " is no longer gated by this robot");
        }
        EnvironmentRule rule = found.get();
        Protection protection = rule.protection().get();
        Optional<String> closed = admissions.closed(rule);
        if (closed.isPresent()) {
            return new Verdict.Wait(closed.get(), false);
        }
        Verdict ci = ci(run, rule);
        if (!(ci instanceof Verdict.Approve)) {
            return ci;
        }
        // An approval counts while its user may still approve: one removed from the users, or demoted, no longer does.
        List<String> approvers = approvers(run, protection);
        int have = approvers.size();
        if (have < protection.approvalsRequired()) {
            return new Verdict.Wait(have + " of " + protection.approvalsRequired() + " approvals", false);
        }
        List<String> why = new ArrayList<>();
        why.add(((Verdict.Approve) ci).comment());
        if (!approvers.isEmpty()) {
            why.add("approved by " + String.join(", ", approvers));
        }
        return new Verdict.Approve("Autodeploy: " + String.join("; ", why));
    }

    /** CI of the run's commit: approve (its comment says what passed), wait, or reject; asked at the rule's poll interval. */
    private Verdict ci(GatedRun run, EnvironmentRule rule) {
        if (rule.requiredContexts().isNone()) {
            return new Verdict.Approve("no CI contexts required");
        }
        String key = run.key();
        Long asked = lastAsked.get(key);
        Verdict last = lastCi.get(key);
        if (asked != null && last != null && time.nanoTime() - asked < rule.ciPollInterval().toNanos()) {
            return last;
        }
        List<ContextReport> reports;
        try {
            reports = checks.reports(run.target().repository(), run.sha());
        } catch (RuntimeException e) {
            LOG.warn("could not read CI of {} {} for {}; asking again later: {}", run.target().repository(),
                    run.sha().abbreviated(), run.target(), e.getMessage());
            lastAsked.put(key, time.nanoTime() - rule.ciPollInterval().toNanos()
                    + ApiException.askedDelay(e).orElse(rule.ciPollInterval()).toNanos());
            return last != null ? last : new Verdict.Wait("waiting for CI (GitHub did not answer)", true);
        }
        GateDecision decision = ContextGate.of(rule.neutralPasses()).decide(rule.requiredContexts(), reports);
        Verdict verdict;
        if (rule.requiredContexts().isAll() && reports.isEmpty()) {
            // "Every context" of a commit nothing reported on would pass for want of contexts: approving an
            // Actions run needs some CI to have spoken (until the deadline, which rejects).
            verdict = new Verdict.Wait("waiting for CI: nothing has reported on " + run.sha().abbreviated() + " yet", true);
        } else if (decision instanceof GateDecision.Open) {
            verdict = new Verdict.Approve("CI passed on " + run.sha().abbreviated());
        } else if (decision instanceof GateDecision.Wait w) {
            List<String> open = new ArrayList<>(w.pending());
            open.addAll(w.missing());
            verdict = new Verdict.Wait("waiting for " + String.join(", ", open), true);
        } else {
            List<String> failed = new ArrayList<>();
            ((GateDecision.Closed) decision).failed().forEach((name, state) -> failed.add(name + " (" + state.apiValue() + ")"));
            verdict = new Verdict.Reject("CI failed on " + run.sha().abbreviated() + ": " + String.join(", ", failed));
        }
        lastAsked.put(key, time.nanoTime());
        lastCi.put(key, verdict);
        return verdict;
    }

    /** Records what the run waits for; reports it when it changed (within the limit); announces a long wait once. */
    private void waitFor(GatedRun run, String reason) {
        boolean report = !reason.equals(run.reported()) && run.reportsSent() < GatedRun.MAX_REPORTS;
        Optional<EnvironmentRule> rule = config.rule(run.target().repository(), run.target().environment());
        boolean announce = !run.announced() && rule.flatMap(EnvironmentRule::protection)
                .map(p -> !time.now().isBefore(run.requestedAt().plus(p.notifyAfter()))).orElse(false);
        if (!report && !announce && reason.equals(run.reason())) {
            return;
        }
        GatedRun next = report ? run.reportedAs(reason) : run.waitingFor(reason);
        if (announce) {
            next = next.announcedLongWait();
        }
        Optional<GatedRun> stored = store.replaceGated(next);
        if (stored.isEmpty()) {
            return; // another writer changed it first; the next look starts from what it wrote
        }
        if (report) {
            ProtectionRuleResult result = api.report(run.target(), redact.apply("**Autodeploy** waits: " + reason));
            if (!(result instanceof ProtectionRuleResult.Sent)) {
                LOG.info("status report for {} not sent ({}): {}", run.target(), result.getClass().getSimpleName(),
                        redact.apply(reason));
            }
        }
        if (announce) {
            Duration waited = Duration.between(run.requestedAt(), time.now());
            tell(stored.get(), NotificationKind.GATE_WAITING, "Actions run " + run.target().runId() + " has waited "
                    + minutes(waited) + ": " + reason, Optional.empty());
        }
    }

    /** Takes the decision if no other writer changed the run first, then sends it. */
    private void decide(GatedRun run, GatedRun.State decision, String comment, Optional<String> by) {
        Optional<GatedRun> stored = store.replaceGated(run.decided(decision, comment, by, time.now()));
        if (stored.isEmpty()) {
            return;
        }
        LOG.info("{} {}: {}", decision.wireName(), run.target(), redact.apply(comment));
        measure(stored.get());
        lastAsked.remove(run.key());
        lastCi.remove(run.key());
        if (decision == GatedRun.State.REJECTED) {
            tell(stored.get(), NotificationKind.GATE_REJECTED, comment, by);
        }
        send(stored.get());
    }

    /** Whether a decision is not known to be at GitHub: not sent yet, or its answer was lost. */
    private static boolean unsent(GatedRun run) {
        return !run.waiting() && (run.delivery() == GatedRun.Delivery.PENDING || run.delivery() == GatedRun.Delivery.UNKNOWN);
    }

    /** Sends a stored decision to GitHub and records what became of it. */
    private void send(GatedRun decided) {
        lastSend.put(decided.key(), time.nanoTime());
        ProtectionRuleApi.Decision d = decided.state() == GatedRun.State.APPROVED
                ? ProtectionRuleApi.Decision.APPROVED : ProtectionRuleApi.Decision.REJECTED;
        GatedRun.Delivery outcome;
        try {
            ProtectionRuleResult result = api.review(decided.target(), d, redact.apply(decided.reason()));
            if (result instanceof ProtectionRuleResult.Sent) {
                outcome = GatedRun.Delivery.SENT;
            } else if (result instanceof ProtectionRuleResult.Refused r) {
                LOG.warn("GitHub refused the {} of {} (HTTP {}): {}", d.apiValue(), decided.target(), r.status(), r.message());
                outcome = GatedRun.Delivery.REFUSED;
            } else if (result instanceof ProtectionRuleResult.OutcomeUnknown u) {
                LOG.warn("the answer to the {} of {} was lost; it is sent again in {} min unless GitHub has it: {}",
                        d.apiValue(), decided.target(), SEND_AFTER.toMinutes(), u.message());
                outcome = GatedRun.Delivery.UNKNOWN;
            } else if (result instanceof ProtectionRuleResult.NotConfigured n) {
                LOG.warn("could not send the {} of {}: {}", d.apiValue(), decided.target(), n.reason());
                outcome = GatedRun.Delivery.NOT_CONFIGURED;
            } else {
                outcome = GatedRun.Delivery.REFUSED;
            }
        } catch (ApiException e) {
            // Certainly not sent: stays pending, and is sent again once SEND_AFTER has passed.
            LOG.warn("could not send the {} of {}; trying again later: {}", d.apiValue(), decided.target(), e.getMessage());
            return;
        }
        if (store.replaceGated(decided.delivered(outcome)).isEmpty()) {
            LOG.warn("could not record that the {} of {} was {}", d.apiValue(), decided.target(), outcome.wireName());
        }
    }

    /**
     * Adds {@code who}'s approval to a waiting run, then looks at it again at once: refused for a role
     * below the rule's {@code approvals.role}, for the run's own creator when {@code self_approval} is
     * false, for a run decided already, and for a second approval by the same user.
     */
    ControlResult approve(String key, Actor who) {
        return act(key, who, run -> {
            Protection p = protectionOf(run).orElseThrow();
            if (!p.selfApproval() && run.creator().equalsIgnoreCase(who.name())) {
                return ControlResult.refused(ControlResult.Why.FORBIDDEN, who.name() + " started run " + run.target().runId()
                        + " and may not approve it (self_approval: false)");
            }
            if (run.approvedBy(who.name())) {
                return ControlResult.refused(ControlResult.Why.CONFLICT, who.name() + " approved run " + run.target().runId()
                        + " already");
            }
            Optional<GatedRun> stored = store.replaceGated(run.approvedAs(who.name(), time.now()));
            if (stored.isEmpty()) {
                return null;
            }
            LOG.info("{} approved {}", who.name(), run.target());
            wake(run.key());
            return ControlResult.done(who.name() + " approved run " + run.target().runId() + " ("
                    + approvers(stored.get(), p).size() + " of " + p.approvalsRequired() + ")");
        });
    }

    /** Rejects a waiting run by hand, with {@code reason}; the same role as approving is needed. */
    ControlResult reject(String key, Actor who, String reason) {
        if (reason != null && reason.length() > io.github.autodeploy.core.control.EnvironmentLock.MAX_REASON) {
            return ControlResult.refused(ControlResult.Why.INVALID, "a reason is at most "
                    + io.github.autodeploy.core.control.EnvironmentLock.MAX_REASON + " characters");
        }
        // Control characters, line breaks and bidirectional overrides become spaces, as in a lock's reason.
        String why = reason == null ? "" : io.github.autodeploy.core.control.EnvironmentLock.cleanReason(reason);
        if (why.isEmpty()) {
            return ControlResult.refused(ControlResult.Why.INVALID, "say why the run is rejected");
        }
        return act(key, who, run -> {
            String comment = "Rejected by " + who.name() + ": " + why;
            Optional<GatedRun> stored = store.replaceGated(run.decided(GatedRun.State.REJECTED, comment, Optional.of(who.name()),
                    time.now()));
            if (stored.isEmpty()) {
                return null;
            }
            LOG.info("{} rejected {}: {}", who.name(), run.target(), redact.apply(why));
            measure(stored.get());
            tell(stored.get(), NotificationKind.GATE_REJECTED, comment, Optional.of(who.name()));
            schedule(Duration.ZERO, () -> send(stored.get()));
            return ControlResult.done(who.name() + " rejected run " + run.target().runId());
        });
    }

    /** Runs {@code change} on the stored run until its write takes (or it refuses); null from it means "read again". */
    private ControlResult act(String key, Actor who, java.util.function.Function<GatedRun, ControlResult> change) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<GatedRun> found;
            try {
                found = store.gated(key);
            } catch (RuntimeException e) {
                return ControlResult.refused(ControlResult.Why.UNAVAILABLE, "the store could not be reached; try again");
            }
            if (found.isEmpty()) {
                return ControlResult.refused(ControlResult.Why.NOT_FOUND, "no gated run " + key);
            }
            GatedRun run = found.get();
            Optional<Protection> p = protectionOf(run);
            if (p.isEmpty()) {
                return ControlResult.refused(ControlResult.Why.NOT_FOUND, "environment " + run.target().environment() + " of "
                        + run.target().repository() + " is not gated by this robot");
            }
            if (!who.role().allows(p.get().approvalRole())) {
                return ControlResult.refused(ControlResult.Why.FORBIDDEN, "deciding Actions runs of "
                        + run.target().repository() + " " + run.target().environment() + " needs the "
                        + p.get().approvalRole().key() + " role; " + who.name() + " is a " + who.role().key());
            }
            if (!run.waiting()) {
                return ControlResult.refused(ControlResult.Why.CONFLICT, "run " + run.target().runId() + " was "
                        + run.state().wireName() + " already: " + run.reason());
            }
            ControlResult result;
            try {
                result = change.apply(run);
            } catch (RuntimeException e) {
                return ControlResult.refused(ControlResult.Why.UNAVAILABLE, "the store could not be reached; try again");
            }
            if (result != null) {
                return result;
            }
        }
        return ControlResult.refused(ControlResult.Why.CONFLICT, "run " + key + " changed while this was asked; try again");
    }

    private void measure(GatedRun decided) {
        try {
            metrics.gatedRunDecided(decided.target().repository(), decided.target().environment(), decided.state().wireName(),
                    decided.decidedBy().isPresent() ? "user" : "robot",
                    Duration.between(decided.requestedAt(), decided.decidedAt().orElse(decided.requestedAt())));
        } catch (RuntimeException e) {
            LOG.debug("metrics failed: {}", e.getMessage());
        }
    }

    /** The users whose approvals of {@code run} count: those that still may approve it. */
    private List<String> approvers(GatedRun run, Protection protection) {
        return run.approvals().stream().map(GatedRun.Approval::user)
                .filter(u -> roleOf.apply(u).map(r -> r.allows(protection.approvalRole())).orElse(false)).toList();
    }

    private Optional<Protection> protectionOf(GatedRun run) {
        return config.rule(run.target().repository(), run.target().environment()).flatMap(EnvironmentRule::protection);
    }

    /** The gated runs, waiting ones first. */
    List<GatedRun> runs(int limit) {
        return store.gatedRuns(limit);
    }

    private void tell(GatedRun run, NotificationKind kind, String text, Optional<String> by) {
        config.rule(run.target().repository(), run.target().environment()).ifPresent(rule -> {
            Notice.Builder b = Notice.builder(kind, run.target().repository(), run.target().environment(), run.sha())
                    .ref(run.ref().shortName()).requester(requester(run.creator())).description(text);
            by.ifPresent(b::actor);
            notifications.send(rule, b.build());
        });
    }

    private static Requester requester(String login) {
        try {
            return new Requester(login);
        } catch (RuntimeException e) {
            return new Requester("ghost");
        }
    }

    private static String minutes(Duration d) {
        long m = d.toMinutes();
        return m < 1 ? d.toSeconds() + " s" : m + " min";
    }
}
