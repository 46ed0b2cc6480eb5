package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.config.RobotConfig;
import io.github.autodeploy.core.config.Trigger;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.lifecycle.DeploymentLifecycle;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Requester;
import io.github.autodeploy.core.port.Cancellation;
import io.github.autodeploy.core.port.Notice;
import io.github.autodeploy.core.store.DeploymentStore;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, on the webhook thread, what an event means: a receipt now, and work handed to the lanes
 * or the auto-deployer. What runs here is the store's delivery check and, for a {@code deployment}
 * event, the store writes that record it as queued (the tracker's insert, update and first log line),
 * handing its {@code queued} status to the outbox and its notice to the notifier (both only queue),
 * and queueing the job in its lane. No call to GitHub, Slack or a command runs on this thread: the
 * outbox, the notifier, the auto-deployer and the lanes have threads of their own. Thread-safe.
 */
final class EventRouter {
    private static final Logger LOG = LoggerFactory.getLogger(EventRouter.class);
    /** How the status of a deployment the robot could not take begins; a redelivery of such a one is taken. */
    static final String NOT_TAKEN = "not taken: ";
    private static final String QUEUE_FULL = "the robot was overloaded";
    private static final String SHUTTING_DOWN = "the robot was shutting down";
    /** Short enough that GitHub's 140 characters hold the whole status description. */
    private static final String HOW_TO_RETRY = "redeliver the webhook or create the deployment again to run it";
    private final RobotConfig config;
    private final DeploymentStore store;
    private final Tracker tracker;
    private final Lanes lanes;
    private final CiWaitingRoom waitingRoom;
    private final Notifications notifications;
    /** Where moves that follow an acceptance (what a new deployment supersedes) run, off the webhook thread. */
    private final java.util.concurrent.Executor afterAccept;
    /** Moves waiting for {@link #afterAccept}, in the order they were handed over. */
    private final java.util.Queue<Runnable> laterMoves = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Whether a task that runs {@link #laterMoves} is handed to {@link #afterAccept} and has not begun. */
    private final java.util.concurrent.atomic.AtomicBoolean laterScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    private final ProtectionGate gate;
    /** Deliveries being received now, each with a latch its copies wait on. */
    private final java.util.concurrent.ConcurrentHashMap<DeliveryId, java.util.concurrent.CountDownLatch> receiving =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** How long a copy of a delivery waits for the first one: GitHub gives up on a delivery after 10 s. */
    private static final long COPY_WAIT_SECONDS = 8;

    EventRouter(RobotConfig config, DeploymentStore store, Tracker tracker, Lanes lanes, CiWaitingRoom waitingRoom,
                Notifications notifications, java.util.concurrent.Executor afterAccept, ProtectionGate gate) {
        this.gate = gate;
        this.afterAccept = afterAccept;
        this.config = config;
        this.store = store;
        this.tracker = tracker;
        this.lanes = lanes;
        this.waitingRoom = waitingRoom;
        this.notifications = notifications;
    }

    /**
     * The receipt of one delivery. Accepted means stored: the delivery's effect (a queued deployment,
     * a merge waiting for CI) is in the store before this answers, and the delivery id is recorded
     * only after that, so a delivery the robot could not take (overloaded, the store unreachable, a
     * failure inside) is taken when it comes again rather than called a duplicate.
     */
    Receipt route(DeliveryId delivery, WebhookEvent event) {
        // The same delivery twice at once (a proxy's retry, a redelivery while the first is in flight):
        // the copy waits for the first and then looks again, so that it is a duplicate when the first
        // was taken and is taken when the first was not. Each copy alone would pass the lookup below.
        java.util.concurrent.CountDownLatch mine = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch first;
        while ((first = receiving.putIfAbsent(delivery, mine)) != null) {
            try {
                if (!first.await(COPY_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
                    return new Receipt(Receipt.Kind.OVERLOADED, "the same delivery is being received right now; "
                            + "redeliver it if that one is not taken");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Receipt(Receipt.Kind.OVERLOADED, "the robot was interrupted; redeliver the webhook");
            }
        }
        try {
            return routeOnce(delivery, event);
        } finally {
            receiving.remove(delivery, mine);
            mine.countDown();
        }
    }

    private Receipt routeOnce(DeliveryId delivery, WebhookEvent event) {
        try {
            if (!storedWithItsDelivery(event) && store.deliverySeen(delivery)) {
                return new Receipt(Receipt.Kind.DUPLICATE, "delivery " + delivery + " was already received");
            }
        } catch (RuntimeException e) {
            return unavailable(delivery, new StoreUnavailable("look up delivery " + delivery, e));
        }
        Receipt receipt;
        try {
            receipt = routeFirst(delivery, event);
        } catch (StoreUnavailable e) {
            return unavailable(delivery, e);
        }
        // An accepted deployment's delivery was recorded with it, in one write.
        boolean recorded = event instanceof WebhookEvent.DeploymentCreated && receipt.kind() == Receipt.Kind.ACCEPTED;
        if (!recorded && receipt.kind() != Receipt.Kind.OVERLOADED && receipt.kind() != Receipt.Kind.UNAVAILABLE) {
            remember(delivery);
        }
        return receipt;
    }

    /**
     * Whether the event is a deployment this robot would queue now: its one write (the queued record
     * with the delivery id) finds a copy by itself, since the deployment's id is taken, so the lookup
     * of the delivery id is skipped and the webhook waits on one store call instead of two. A copy
     * that comes anyway is answered as a duplicate after that write finds the deployment stored.
     */
    private boolean storedWithItsDelivery(WebhookEvent event) {
        return event instanceof WebhookEvent.DeploymentCreated created && lanes.hasRoom()
                && config.rule(created.deployment().repository(), created.deployment().environment()).isPresent();
    }

    private static Receipt unavailable(DeliveryId delivery, StoreUnavailable e) {
        LOG.warn("delivery {} not taken: {}", delivery, e.getMessage());
        return new Receipt(Receipt.Kind.UNAVAILABLE, "the robot could not store this delivery; redeliver it later");
    }

    private Receipt routeFirst(DeliveryId delivery, WebhookEvent event) {
        if (event instanceof WebhookEvent.Ping) {
            return new Receipt(Receipt.Kind.PONG, "pong");
        }
        if (event.repository().isPresent() && !config.configures(event.repository().get())) {
            return Receipt.ignored("repository " + event.repository().get() + " is not configured");
        }
        if (event instanceof WebhookEvent.DeploymentCreated created) {
            Deployment d = created.deployment();
            return deployment(created.requestedFor().filter(who -> waitingRoom.createdHere(d.id()))
                    .map(d::requestedBy).orElse(d), delivery);
        }
        if (event instanceof WebhookEvent.PullRequestClosed pr) {
            return merged(pr);
        }
        if (event instanceof WebhookEvent.Push push) {
            return pushed(push);
        }
        if (event instanceof WebhookEvent.CommitStatus status) {
            return contextChanged(status.repo(), status.sha());
        }
        if (event instanceof WebhookEvent.CheckRunCompleted run) {
            return contextChanged(run.repo(), run.headSha());
        }
        if (event instanceof WebhookEvent.CheckSuiteCompleted suite) {
            return contextChanged(suite.repo(), suite.headSha());
        }
        if (event instanceof WebhookEvent.DeploymentStatusCreated status) {
            return announce(status);
        }
        if (event instanceof WebhookEvent.ProtectionRuleRequested rule) {
            return gate.request(delivery, rule);
        }
        WebhookEvent.Unsupported u = (WebhookEvent.Unsupported) event;
        return Receipt.ignored("event " + u.eventName() + u.action().map(a -> " (" + a + ")").orElse("") + " is not used");
    }

    private void forget(DeliveryId delivery) {
        try {
            store.forgetDelivery(delivery);
        } catch (RuntimeException e) {
            LOG.warn("store could not forget delivery {}, which was not taken; its redelivery will be called a duplicate: {}",
                    delivery, e.getMessage());
        }
    }

    /** Records a delivery whose effect is stored; failing, its redelivery finds the effect and is a duplicate all the same. */
    private void remember(DeliveryId delivery) {
        try {
            store.recordDelivery(delivery);
        } catch (RuntimeException e) {
            LOG.warn("store could not remember delivery {} (its effect is stored): {}", delivery, e.getMessage());
        }
    }

    private Receipt deployment(Deployment d, DeliveryId delivery) {
        EnvironmentRule rule = config.rule(d.repository(), d.environment()).orElse(null);
        if (rule == null) {
            return Receipt.ignored("no rule for environment " + d.environment() + " of " + d.repository());
        }
        if (!lanes.hasRoom()) {
            boolean again = false;
            if (tracker.known(d.id())) {
                if (!wasNotTaken(d)) {
                    return new Receipt(Receipt.Kind.DUPLICATE, "deployment " + d.id() + " was already received");
                }
                again = true;
            }
            // Straight to error, never queued: GitHub shows why, and how to get it run. Stored, so that
            // a redelivery is recognised as one the robot did not take.
            if (!tracker.open(d, rule, DeploymentLifecycle.created(), again)) {
                return new Receipt(Receipt.Kind.DUPLICATE, "deployment " + d.id() + " was already received");
            }
            return notTaken(d, lanes.intakeClosed() ? SHUTTING_DOWN : QUEUE_FULL);
        }
        // The common case is one store write: the queued deployment with its delivery id. Only a known
        // deployment costs a read, to tell a redelivery from one the robot refused before.
        String queued = "queued for " + d.environment();
        if (!tracker.openAt(d, rule, DeploymentState.QUEUED, queued, false, delivery)
                && !(wasNotTaken(d) && tracker.openAt(d, rule, DeploymentState.QUEUED, queued, true, delivery))) {
            return new Receipt(Receipt.Kind.DUPLICATE, "deployment " + d.id() + " was already received");
        }
        Job job = new Job(d, rule, new Cancellation(), false);
        Lanes.Outcome outcome = lanes.enqueue(job);
        Receipt receipt = settle(d, outcome);
        if (receipt.kind() == Receipt.Kind.OVERLOADED) {
            // Stored with its delivery id, then not taken (the robot began to close, or the queue filled
            // up meanwhile): forget the id, or the redelivery the answer asks for would be a duplicate.
            forget(delivery);
        }
        // A lock or a closed window is judged as it is queued too when it waits behind others: held or refused
        // now. One its lane starts next is judged as it starts, so it costs the store thread nothing.
        if (outcome instanceof Lanes.Outcome.Queued q && q.behindOthers()) {
            later(() -> lanes.judgeWaiting(job));
        }
        return receipt;
    }

    /**
     * Whether the robot refused this deployment before (it was overloaded or shutting down): such a
     * deployment ended in error without running, and a redelivery of it is taken afresh.
     */
    private boolean wasNotTaken(Deployment d) {
        return tracker.findOrFail(d.id()).filter(r -> r.state() == DeploymentState.ERROR && r.startedAt().isEmpty())
                .flatMap(r -> r.lifecycle().history().stream().reduce((a, b) -> b))
                .filter(last -> last.description().startsWith(NOT_TAKEN)).isPresent();
    }

    private Receipt notTaken(Deployment d, String why) {
        tracker.move(d.id(), DeploymentState.ERROR, NOT_TAKEN + why + "; " + HOW_TO_RETRY);
        return new Receipt(Receipt.Kind.OVERLOADED, why + "; " + HOW_TO_RETRY);
    }

    /**
     * Posts what an enqueue of a queued deployment means: older ones it supersedes become inactive;
     * it becomes inactive itself when a newer one waits, or an error when it could not be queued.
     */
    Receipt settle(Deployment d, Lanes.Outcome outcome) {
        if (outcome instanceof Lanes.Outcome.Queued queued) {
            for (Job older : queued.superseded()) {
                older.cancellation().cancel("superseded by deployment " + d.id());
                later(() -> tracker.move(older.id(), DeploymentState.INACTIVE, "superseded by deployment " + d.id()));
            }
            return Receipt.accepted("deployment " + d.id() + " queued for " + d.environment());
        }
        if (outcome instanceof Lanes.Outcome.Superseded newer) {
            boolean wasRunning = tracker.find(d.id()).map(r -> r.state() == DeploymentState.IN_PROGRESS).orElse(false);
            later(() -> tracker.move(d.id(), wasRunning ? DeploymentState.ERROR : DeploymentState.INACTIVE,
                    "superseded by deployment " + newer.newer()));
            return Receipt.accepted("deployment " + d.id() + " is superseded by deployment " + newer.newer());
        }
        return notTaken(d, outcome instanceof Lanes.Outcome.Full ? QUEUE_FULL : SHUTTING_DOWN);
    }

    /**
     * Runs a move that follows an acceptance off the webhook thread, in order; at once when the robot is
     * closing. Moves queued while the thread is busy share one task: a burst of deliveries costs the
     * executor one hand-over, not one each.
     */
    private void later(Runnable move) {
        laterMoves.add(move);
        if (laterScheduled.compareAndSet(false, true)) {
            try {
                afterAccept.execute(this::runLaterMoves);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                runLaterMoves();
            }
        }
    }

    private void runLaterMoves() {
        // Cleared before the queue is read: a move added after the last poll schedules another run.
        laterScheduled.set(false);
        for (Runnable move = laterMoves.poll(); move != null; move = laterMoves.poll()) {
            try {
                move.run();
            } catch (RuntimeException e) {
                LOG.warn("a move after an acceptance failed: {}", e.toString());
            }
        }
    }

    private Receipt merged(WebhookEvent.PullRequestClosed pr) {
        if (!pr.merged() || pr.mergeCommitSha().isEmpty()) {
            return Receipt.ignored("pull request #" + pr.number() + " was closed without merging");
        }
        Requester who = pr.mergedBy().orElse(pr.author());
        return autoDeploy(pr.repo(), Trigger.Kind.MERGE, pr.baseBranch().shortName(), pr.defaultBranch(),
                pr.mergeCommitSha().get(), who, "merge of pull request #" + pr.number() + " by " + who);
    }

    private Receipt pushed(WebhookEvent.Push push) {
        if (push.deleted() || push.after().isZero()) {
            return Receipt.ignored("push deleted " + push.ref());
        }
        if (push.ref().isTag()) {
            return Receipt.ignored("push of tag " + push.ref().shortName() + " does not deploy");
        }
        return autoDeploy(push.repo(), Trigger.Kind.PUSH, push.ref().shortName(), push.defaultBranch(), push.after(),
                push.pusher(), "push to " + push.ref().shortName() + " by " + push.pusher());
    }

    private Receipt autoDeploy(RepositoryName repo, Trigger.Kind kind, String branch, String defaultBranch, CommitSha sha,
                               Requester who, String cause) {
        List<EnvironmentRule> rules = config.rules(repo).stream()
                .filter(r -> r.triggeredBy(kind, branch, defaultBranch)).toList();
        if (rules.isEmpty()) {
            return Receipt.ignored("no rule of " + repo + " deploys on a " + kind.name().toLowerCase() + " to " + branch);
        }
        if (config.githubToken().isEmpty()) {
            return Receipt.ignored("auto-deploy needs github.token to create deployments; set it, or create deployments another way");
        }
        if (lanes.intakeClosed()) {
            return new Receipt(Receipt.Kind.OVERLOADED, "the robot is shutting down");
        }
        for (EnvironmentRule rule : rules) {
            CiWaitingRoom.Request request = waitingRoom.request(rule, sha, branch, who, cause);
            try {
                store.park(request.merge());
            } catch (RuntimeException e) {
                throw new StoreUnavailable("keep the " + cause + " waiting for CI", e);
            }
            if (!waitingRoom.submit(request)) {
                // Stored all the same: the next start (or another node) carries on with it.
                LOG.info("{} is stored and waits for the robot's next start", cause);
            }
        }
        return Receipt.accepted("deploying " + sha.abbreviated() + " to "
                + String.join(", ", rules.stream().map(r -> r.environment().value()).toList()) + " once CI allows");
    }

    /**
     * A status of a deployment another tool runs is announced, so people hear of every deployment of
     * a configured environment; this robot's own are announced from its transitions, never twice.
     */
    private Receipt announce(WebhookEvent.DeploymentStatusCreated s) {
        EnvironmentRule rule = config.rule(s.repo(), s.environment()).orElse(null);
        if (rule == null) {
            return Receipt.ignored("no rule for environment " + s.environment() + " of " + s.repo());
        }
        boolean ours = s.logUrl().filter(u -> u.startsWith(config.publicUrl() + "/deployments/")).isPresent()
                || tracker.known(s.deploymentId());
        if (ours) {
            return Receipt.ignored("status of this robot's own deployment " + s.deploymentId());
        }
        Optional<NotificationKind> kind = switch (s.state()) {
            case QUEUED -> Optional.of(NotificationKind.QUEUED);
            case IN_PROGRESS -> Optional.of(NotificationKind.STARTED);
            case SUCCESS -> Optional.of(NotificationKind.SUCCEEDED);
            case FAILURE -> Optional.of(NotificationKind.FAILED);
            case ERROR -> Optional.of(NotificationKind.ERRORED);
            default -> Optional.empty();
        };
        if (kind.isEmpty()) {
            return Receipt.ignored("deployment status " + s.state().apiValue() + " is not announced");
        }
        notifications.send(rule, Notice.builder(kind.get(), rule.repository(), rule.environment(), s.sha())
                .ref(s.ref().map(GitRef::shortName).orElse("")).deploymentId(s.deploymentId()).requester(s.creator())
                .description(s.description()).logUrl(s.logUrl()).build());
        return Receipt.accepted("announced " + s.state().apiValue() + " of deployment " + s.deploymentId());
    }

    private Receipt contextChanged(RepositoryName repo, CommitSha sha) {
        gate.ciChanged(repo, sha);
        return waitingRoom.contextChanged(repo, sha)
                ? Receipt.accepted("re-checking CI of " + sha.abbreviated())
                : Receipt.ignored("no deployment waits for CI of " + sha.abbreviated());
    }
}
