package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.gate.ContextGate;
import io.github.autodeploy.core.gate.GateDecision;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.ContextReport;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Requester;
import io.github.autodeploy.core.port.ApiException;
import io.github.autodeploy.core.port.CommitChecks;
import io.github.autodeploy.core.port.CreateResult;
import io.github.autodeploy.core.port.RobotMetrics;
import io.github.autodeploy.core.port.DeploymentApi;
import io.github.autodeploy.core.port.NewDeployment;
import io.github.autodeploy.core.port.Notice;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.core.store.WaitingMerge;
import io.github.autodeploy.core.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The waiting room for merges and pushes until CI allows: it turns them into GitHub deployments. A
 * request whose gate is open creates the deployment; one that must wait is parked per repository and environment and decided
 * again on a status or check event for its sha, on a poll, or at its deadline; a newer sha
 * supersedes a parked older one. Each request is in the store ({@link DeploymentStore#park}) from
 * before it is accepted until it is decided, so a restart or another node carries on waiting with
 * it ({@link #resume}). All decisions run on one scheduler thread, so the parked requests need no
 * further locking; {@link #parked} is concurrent only for readers on webhook threads.
 */
final class CiWaitingRoom {
    private static final Logger LOG = LoggerFactory.getLogger(CiWaitingRoom.class);
    private final DeploymentApi api;
    private final CommitChecks checks;
    private final Notifications notifications;
    private final ScheduledExecutorService scheduler;
    private final TimeSource time;
    private final RobotMetrics metrics;
    private final DeploymentStore store;
    private final Seals seals;
    private final Map<String, Parked> parked = new ConcurrentHashMap<>();
    /** Deployments this robot created (newest 10,000): only theirs may name a requester in the payload. */
    private final Set<DeploymentId> created = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<DeploymentId, Boolean> eldest) {
                    return size() > 10_000;
                }
            }));
    /** Events wake a parked request at most this often, so a storm of check runs costs few API calls. */
    static final Duration EVENT_SPACING = Duration.ofSeconds(1);

    /**
     * A deployment the robot wants to create, and how the store keeps it.
     *
     * @param resumed taken over from a robot that is gone, which may have created the deployment
     *                without living to forget the request: look for it before creating one
     */
    record Request(EnvironmentRule rule, WaitingMerge merge, boolean resumed) {
        CommitSha sha() {
            return merge.sha();
        }

        String branch() {
            return merge.branch();
        }

        Requester requester() {
            return merge.requester();
        }

        String cause() {
            return merge.cause();
        }
    }

    private static final class Parked {
        final Request request;
        final Instant deadline;
        /** Set while a decision asked for by an event waits to run, so a burst of events costs one look. */
        final AtomicBoolean eventDecisionQueued = new AtomicBoolean();
        /** Marks every create of this request (in the payload), so a deployment it made can be found. */
        final String requestId;
        volatile long lastLookNanos;
        Future<?> next;
        boolean toldWaiting;
        /** A create's answer was lost: GitHub may hold the deployment, so look before creating again. */
        boolean mayExist;

        Parked(Request request, long nowNanos) {
            this.request = request;
            this.deadline = request.merge().deadline();
            this.requestId = request.merge().requestId();
            this.mayExist = request.merge().mayExist();
            this.lastLookNanos = nowNanos - EVENT_SPACING.toNanos();
        }
    }

    CiWaitingRoom(DeploymentApi api, CommitChecks checks, Notifications notifications, ScheduledExecutorService scheduler,
                 TimeSource time, DeploymentStore store, RobotMetrics metrics, Seals seals) {
        this.seals = seals;
        this.metrics = metrics;
        this.api = api;
        this.checks = checks;
        this.notifications = notifications;
        this.scheduler = scheduler;
        this.time = time;
        this.store = store;
    }

    /** A new request, with its own id and its deadline from the rule's {@code ci_timeout}; not yet stored. */
    Request request(EnvironmentRule rule, CommitSha sha, String branch, Requester requester, String cause) {
        return new Request(rule, new WaitingMerge(UUID.randomUUID().toString(), rule.repository(), rule.environment(), sha,
                branch, requester, cause, time.now().plus(rule.ciTimeout()), false), false);
    }

    /** Carries on with a request the store kept (after a restart, or from a node that is gone). */
    boolean resume(EnvironmentRule rule, WaitingMerge merge) {
        return run(() -> arrive(new Request(rule, merge, true)));
    }

    /** Called on a webhook thread: hands the request to the scheduler and returns. */
    boolean submit(Request request) {
        return run(() -> arrive(request));
    }

    /** A status or check event for {@code sha}: true when a parked request waits for it. */
    boolean contextChanged(RepositoryName repository, CommitSha sha) {
        boolean waits = false;
        for (Map.Entry<String, Parked> e : parked.entrySet()) {
            Parked p = e.getValue();
            if (p.request.rule().repository().equals(repository) && p.request.sha().equals(sha)) {
                waits = true;
                if (p.eventDecisionQueued.compareAndSet(false, true)) {
                    long wait = Math.max(0, p.lastLookNanos + EVENT_SPACING.toNanos() - time.nanoTime());
                    later(Duration.ofNanos(wait), () -> {
                        p.eventDecisionQueued.set(false);
                        decide(e.getKey());
                    });
                }
            }
        }
        return waits;
    }

    /** Whether this robot created deployment {@code id} (so its payload's requester can be believed). */
    boolean createdHere(DeploymentId id) {
        return created.contains(id);
    }

    /** How many requests wait for CI now. */
    int waiting() {
        return parked.size();
    }

    private boolean run(Runnable task) {
        try {
            scheduler.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("auto-deploy decision failed", e);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void later(Duration wait, Runnable task) {
        try {
            time.schedule(scheduler, wait, () -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("auto-deploy decision failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("scheduler closed; dropping a CI re-check");
        }
    }

    private void arrive(Request request) {
        String lane = Job.laneOf(request.rule());
        Parked old = parked.get(lane);
        if (old != null) {
            if (old.requestId.equals(request.merge().requestId())) {
                return;
            }
            if (old.request.sha().equals(request.sha())) {
                forget(request.merge().requestId());
                return;
            }
            drop(lane, old);
            tell(old.request, NotificationKind.SUPERSEDED, "not deployed: superseded by the newer commit "
                    + request.sha().abbreviated(), List.of());
        }
        parked.put(lane, new Parked(request, time.nanoTime()));
        decide(lane);
    }

    private void decide(String lane) {
        Parked p = parked.get(lane);
        if (p == null) {
            return;
        }
        Request r = p.request;
        EnvironmentRule rule = r.rule();
        p.lastLookNanos = time.nanoTime();
        if (!time.now().isBefore(p.deadline)) {
            drop(lane, p);
            measure(r, "timed_out");
            tell(r, NotificationKind.GAVE_UP_WAITING, "not deployed: gave up waiting for CI after "
                    + rule.ciTimeout().toMinutes() + " minutes", List.of());
            return;
        }
        if (p.mayExist) {
            // The gate was open when the lost create was sent; settle that create before anything else.
            create(lane, p);
            return;
        }
        List<ContextReport> reports;
        try {
            reports = checks.reports(rule.repository(), r.sha());
        } catch (RuntimeException e) {
            LOG.warn("could not read CI of {} {}; asking again later: {}", rule.repository(), r.sha().abbreviated(), e.getMessage());
            poll(lane, p, ApiException.askedDelay(e));
            return;
        }
        GateDecision decision = ContextGate.of(rule.neutralPasses()).decide(rule.requiredContexts(), reports);
        if (decision instanceof GateDecision.Open) {
            create(lane, p);
        } else if (decision instanceof GateDecision.Wait wait) {
            List<String> open = new ArrayList<>(wait.pending());
            open.addAll(wait.missing());
            waitFor(lane, p, open, Optional.empty());
        } else if (decision instanceof GateDecision.Closed closed) {
            drop(lane, p);
            measure(r, "failed");
            List<String> failed = new ArrayList<>();
            closed.failed().forEach((name, state) -> failed.add(name + " (" + state.apiValue() + ")"));
            tell(r, NotificationKind.BLOCKED_BY_CI, "not deployed: CI failed: " + String.join(", ", failed), failed);
        }
    }

    private void create(String lane, Parked p) {
        Request r = p.request;
        EnvironmentRule rule = r.rule();
        NewDeployment wanted = new NewDeployment(rule.repository(), r.sha(), rule.environment(), "deploy",
                rule.requiredContexts(), r.requester(), payload(r, p.requestId), "autodeploy: " + r.cause());
        CreateResult result;
        try {
            Optional<DeploymentId> earlier = p.mayExist || r.resumed() ? api.find(wanted) : Optional.empty();
            if (earlier.isPresent()) {
                LOG.info("found deployment {} of {} {} that a create whose answer was lost had made", earlier.get(),
                        rule.repository(), r.sha().abbreviated());
                result = new CreateResult.Created(earlier.get());
            } else {
                result = api.create(wanted);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not create a deployment of {} {}; trying again later: {}", rule.repository(),
                    r.sha().abbreviated(), e.getMessage());
            poll(lane, p, ApiException.askedDelay(e));
            return;
        }
        if (result instanceof CreateResult.Created made) {
            created.add(made.id());
            drop(lane, p);
            measure(r, "deployed");
            LOG.info("created deployment {} of {} {} to {}", made.id(), rule.repository(), r.sha().abbreviated(),
                    rule.environment());
        } else if (result instanceof CreateResult.OutcomeUnknown unknown) {
            p.mayExist = true;
            try {
                store.park(r.merge().withMayExist(true));
            } catch (RuntimeException e) {
                LOG.warn("store could not note that a create of {} {} may have worked: {}", rule.repository(),
                        r.sha().abbreviated(), e.getMessage());
            }
            LOG.warn("creating a deployment of {} {} may or may not have worked ({}); looking for it before trying again",
                    rule.repository(), r.sha().abbreviated(), unknown.message());
            poll(lane, p, Optional.empty());
        } else if (result instanceof CreateResult.ChecksNotPassed notPassed) {
            waitFor(lane, p, new ArrayList<>(notPassed.contexts().keySet()), Optional.empty());
        } else if (result instanceof CreateResult.Rejected rejected) {
            drop(lane, p);
            measure(r, "failed");
            tell(r, NotificationKind.ERRORED, "not deployed: GitHub did not create the deployment: " + rejected.message(), List.of());
        }
    }

    /** Reports how long a request waited: since it arrived, which is its deadline less the rule's CI timeout. */
    private void measure(Request r, String outcome) {
        Duration waited = Duration.between(r.merge().deadline().minus(r.rule().ciTimeout()), time.now());
        metrics.ciWaited(r.rule().repository(), r.rule().environment(), outcome, waited.isNegative() ? Duration.ZERO : waited);
    }

    private void waitFor(String lane, Parked p, List<String> contexts, Optional<Duration> hint) {
        if (!p.toldWaiting) {
            p.toldWaiting = true;
            tell(p.request, NotificationKind.WAITING_FOR_CI, "waiting for CI: " + String.join(", ", contexts), contexts);
        }
        poll(lane, p, hint);
    }

    private void poll(String lane, Parked p, Optional<Duration> hint) {
        if (p.next != null) {
            p.next.cancel(false);
        }
        Duration untilDeadline = Duration.between(time.now(), p.deadline);
        Duration wait = hint.filter(h -> h.compareTo(p.request.rule().ciPollInterval()) > 0)
                .orElse(p.request.rule().ciPollInterval());
        if (untilDeadline.compareTo(wait) < 0) {
            wait = untilDeadline.isNegative() ? Duration.ZERO : untilDeadline;
        }
        try {
            p.next = time.schedule(scheduler, wait, () -> {
                try {
                    decide(lane);
                } catch (RuntimeException e) {
                    LOG.error("auto-deploy decision failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("scheduler closed; {} no longer waits for CI", lane);
        }
    }

    private void drop(String lane, Parked p) {
        parked.remove(lane, p);
        if (p.next != null) {
            p.next.cancel(false);
        }
        forget(p.requestId);
    }

    private void forget(String requestId) {
        try {
            store.unpark(requestId);
        } catch (RuntimeException e) {
            LOG.warn("store could not forget the decided request {}; a restart may look at it again: {}", requestId,
                    e.getMessage());
        }
    }

    private void tell(Request r, NotificationKind kind, String description, List<String> contexts) {
        LOG.info("{} {} at {}: {}", r.rule().repository(), r.rule().environment(), r.sha().abbreviated(), description);
        notifications.send(r.rule(), Notice.builder(kind, r.rule().repository(), r.rule().environment(), r.sha())
                .ref(r.branch()).requester(r.requester()).description(description).contexts(contexts).build());
    }

    /**
     * The payload names the cause, who to credit and the branch; the deployment event brings it back.
     * {@code request} makes it unique to this request, so that {@link DeploymentApi#find} recognises it.
     */
    private Map<String, Object> payload(Request r, String requestId) {
        String seal = seals.seal(io.github.autodeploy.core.control.DeploymentIntent.sealedText(r.rule().repository(),
                r.rule().environment(), r.sha(), "", "", 0, requestId));
        return Map.of("autodeploy", Map.of("cause", r.cause(), "requester", r.requester().login(), "branch", r.branch(),
                "request", requestId, "seal", seal));
    }
}
