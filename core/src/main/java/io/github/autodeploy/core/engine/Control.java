package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.config.RobotConfig;
import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.control.DeploySchedule;
import io.github.autodeploy.core.control.EnvironmentLock;
import io.github.autodeploy.core.control.Role;
import io.github.autodeploy.core.engine.ControlResult.Why;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.port.ApiException;
import io.github.autodeploy.core.port.CreateResult;
import io.github.autodeploy.core.port.DeploymentApi;
import io.github.autodeploy.core.port.NewDeployment;
import io.github.autodeploy.core.port.Notice;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.core.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What people do to steer the robot: lock and unlock an environment (stealing explicitly), redeploy
 * a finished deployment's exact commit, roll back to a commit that succeeded there, and abort a
 * running deployment to roll back. Every action checks the user's role, names the user in the
 * record and in the notice, and answers a {@link ControlResult} rather than throwing. A redeploy or
 * rollback is a new GitHub deployment at the recorded sha, created forced (it passes a lock or a
 * closed window, recorded), whose {@code deployment} event then runs it like any other. Thread-safe.
 */
final class Control {
    private static final Logger LOG = LoggerFactory.getLogger(Control.class);
    /** The longest a lock may be taken for; longer ones are refused (an open-ended lock has no expiry). */
    static final Duration MAX_LOCK = Duration.ofDays(90);
    private final RobotConfig config;
    private final DeploymentStore store;
    private final DeploymentApi api;
    private final TimeSource time;
    private final Notifications notifications;
    private final Admissions admissions;
    private final Seals seals;
    private final Runnable recheck;
    private final BiFunction<DeploymentId, String, Boolean> cancel;
    /** Masks configured secrets out of what this logs (a lock's reason is free text). */
    private final java.util.function.UnaryOperator<String> redact;

    Control(RobotConfig config, DeploymentStore store, DeploymentApi api, TimeSource time, Notifications notifications,
            Admissions admissions, Seals seals, Runnable recheck, BiFunction<DeploymentId, String, Boolean> cancel,
            java.util.function.UnaryOperator<String> redact) {
        this.redact = redact;
        this.seals = seals;
        this.config = config;
        this.store = store;
        this.api = api;
        this.time = time;
        this.notifications = notifications;
        this.admissions = admissions;
        this.recheck = recheck;
        this.cancel = cancel;
    }

    ControlResult lock(RepositoryName repository, EnvironmentName environment, Actor who, String reason,
                       Optional<Duration> expiresIn, boolean steal) {
        Optional<ControlResult> refused = mayAct(who, "locking", Role.DEPLOYER)
                .or(() -> unknown(repository, environment));
        if (refused.isPresent()) {
            return refused.get();
        }
        if (reason.strip().length() > EnvironmentLock.MAX_REASON) {
            return ControlResult.refused(Why.INVALID, "a lock's reason has at most " + EnvironmentLock.MAX_REASON
                    + " characters; this one has " + reason.strip().length() + " (link to the incident instead)");
        }
        String why = EnvironmentLock.cleanReason(reason);
        if (why.isEmpty()) {
            return ControlResult.refused(Why.INVALID, "a lock needs a reason, so others know why " + environment + " is locked");
        }
        if (expiresIn.isPresent() && (expiresIn.get().isNegative() || expiresIn.get().isZero()
                || expiresIn.get().compareTo(MAX_LOCK) > 0)) {
            return ControlResult.refused(Why.INVALID, "a lock may expire after 1 second to 90 days; leave the expiry out for a lock "
                    + "that holds until someone unlocks it");
        }
        Instant now = time.now();
        EnvironmentLock wanted = new EnvironmentLock(repository, environment, why, who.name(), now, expiresIn.map(now::plus));
        try {
            Optional<EnvironmentLock> before = store.lockOf(repository, environment).filter(l -> l.holdsAt(now));
            boolean others = before.isPresent() && !before.get().holder().equals(who.name());
            if (others && !steal) {
                return ControlResult.refused(Why.CONFLICT, repository + " " + environment + " is already "
                        + before.get().describe() + "; an admin may take it over explicitly (steal)");
            }
            if (others && !who.may(Role.ADMIN)) {
                return ControlResult.refused(Why.FORBIDDEN, "taking over the lock of " + before.get().holder()
                        + " needs the admin role; " + who + " is " + article(who.role()) + who.role().key());
            }
            // Its holder may change their own lock (a new reason or expiry): a replace, not a steal.
            EnvironmentLock held = store.lock(wanted, before.isPresent());
            if (!held.equals(wanted)) {
                return ControlResult.refused(Why.CONFLICT, repository + " " + environment + " is already " + held.describe()
                        + "; an admin may take it over explicitly (steal)");
            }
            LOG.info("{} {} locked by {}: {}", repository, environment, who, redact.apply(why));
            if (before.isPresent() && !before.get().holder().equals(who.name())) {
                tell(NotificationKind.LOCK_STOLEN, repository, environment, who,
                        "took over the lock of " + before.get().holder() + " (" + before.get().reason() + "): " + why);
            } else {
                tell(NotificationKind.LOCKED, repository, environment, who, held.describe());
            }
            return ControlResult.done("locked " + repository + " " + environment + ": " + why);
        } catch (RuntimeException e) {
            return unavailable("lock " + repository + " " + environment, e);
        }
    }

    ControlResult unlock(RepositoryName repository, EnvironmentName environment, Actor who, boolean steal) {
        Optional<ControlResult> refused = mayAct(who, "unlocking", Role.DEPLOYER)
                .or(() -> unknown(repository, environment));
        if (refused.isPresent()) {
            return refused.get();
        }
        try {
            Instant now = time.now();
            Optional<EnvironmentLock> current = store.lockOf(repository, environment).filter(l -> l.holdsAt(now));
            if (current.isEmpty()) {
                return ControlResult.refused(Why.CONFLICT, repository + " " + environment + " is not locked");
            }
            EnvironmentLock lock = current.get();
            boolean others = !lock.holder().equals(who.name());
            if (others && !steal) {
                return ControlResult.refused(Why.CONFLICT, repository + " " + environment + " is " + lock.describe()
                        + "; only " + lock.holder() + " unlocks it, unless an admin takes it over explicitly (steal)");
            }
            if (others && !who.may(Role.ADMIN)) {
                return ControlResult.refused(Why.FORBIDDEN, "removing the lock of " + lock.holder()
                        + " needs the admin role; " + who + " is " + article(who.role()) + who.role().key());
            }
            if (!store.unlock(lock)) {
                return ControlResult.refused(Why.CONFLICT, "the lock of " + repository + " " + environment
                        + " changed meanwhile; look again");
            }
            LOG.info("{} {} unlocked by {}{} (was {})", repository, environment, who, others ? ", taking it over" : "",
                    redact.apply(lock.describe()));
            tell(others ? NotificationKind.LOCK_STOLEN : NotificationKind.UNLOCKED, repository, environment, who,
                    (others ? "removed the lock of " : "lock of ") + lock.holder() + " (" + lock.reason() + ")");
            recheck.run();
            return ControlResult.done("unlocked " + repository + " " + environment);
        } catch (RuntimeException e) {
            return unavailable("unlock " + repository + " " + environment, e);
        }
    }

    /** Deploys a finished deployment's exact commit again, as a new deployment. */
    ControlResult redeploy(DeploymentId id, Actor who, String reason) {
        Optional<ControlResult> refused = mayAct(who, "redeploying", Role.DEPLOYER);
        if (refused.isPresent()) {
            return refused.get();
        }
        try {
            Optional<DeploymentRecord> found = store.find(id);
            if (found.isEmpty()) {
                return ControlResult.refused(Why.NOT_FOUND, "no deployment " + id);
            }
            DeploymentRecord r = found.get();
            if (!r.lifecycle().isTerminal() && r.state() != DeploymentState.INACTIVE) {
                return ControlResult.refused(Why.CONFLICT, "deployment " + id + " has not finished (" + r.state().apiValue()
                        + "); cancel it, or abort and roll back");
            }
            if (r.startedAt().isEmpty() && store.lastSucceeded(r.deployment().repository(), r.deployment().environment(),
                    Optional.of(r.deployment().sha())).isEmpty()) {
                return ControlResult.refused(Why.CONFLICT, "deployment " + id + " never ran and " + r.deployment().sha().abbreviated()
                        + " never deployed successfully to " + r.deployment().repository() + " " + r.deployment().environment()
                        + "; merge it or create a deployment instead");
            }
            return again(r, who, reason, Optional.empty());
        } catch (RuntimeException e) {
            return unavailable("redeploy deployment " + id, e);
        }
    }

    /** Deploys again a commit that succeeded in the environment before. */
    ControlResult rollback(RepositoryName repository, EnvironmentName environment, CommitSha sha, Actor who, String reason) {
        Optional<ControlResult> refused = mayAct(who, "rolling back", Role.DEPLOYER).or(() -> unknown(repository, environment));
        if (refused.isPresent()) {
            return refused.get();
        }
        try {
            Optional<DeploymentRecord> target = store.lastSucceeded(repository, environment, Optional.of(sha));
            if (target.isEmpty()) {
                return ControlResult.refused(Why.CONFLICT, sha.abbreviated() + " never deployed successfully to "
                        + repository + " " + environment + "; a rollback goes only to a commit that did");
            }
            return again(target.get(), who, reason, Optional.empty());
        } catch (RuntimeException e) {
            return unavailable("roll back " + repository + " " + environment, e);
        }
    }

    /** Cancels a running (or queued) deployment and rolls back to the environment's last successful commit. */
    ControlResult abortAndRollBack(DeploymentId id, Actor who, String reason) {
        Optional<ControlResult> refused = mayAct(who, "aborting and rolling back", Role.DEPLOYER);
        if (refused.isPresent()) {
            return refused.get();
        }
        try {
            Optional<DeploymentRecord> found = store.find(id);
            if (found.isEmpty()) {
                return ControlResult.refused(Why.NOT_FOUND, "no deployment " + id);
            }
            DeploymentRecord r = found.get();
            if (r.lifecycle().isTerminal() || r.state() == DeploymentState.INACTIVE) {
                return ControlResult.refused(Why.CONFLICT, "deployment " + id + " has already ended ("
                        + r.state().apiValue() + "); roll back from the environments page or redeploy an earlier deployment");
            }
            Optional<DeploymentRecord> target = store.lastSucceeded(r.deployment().repository(), r.deployment().environment(),
                    Optional.empty()).filter(t -> !t.deployment().id().equals(id));
            if (target.isEmpty()) {
                return ControlResult.refused(Why.CONFLICT, "nothing to roll back to: no deployment of "
                        + r.deployment().repository() + " " + r.deployment().environment() + " has succeeded; cancel it instead");
            }
            String why = EnvironmentLock.cleanReason(reason);
            boolean stopped = cancel.apply(id, "aborted by " + who + " to roll back" + (why.isEmpty() ? "" : ": " + why));
            if (!stopped) {
                LOG.info("deployment {} was no longer queued or running here when {} aborted it; rolling back all the same", id, who);
            }
            return again(target.get(), who, reason, Optional.of(id));
        } catch (RuntimeException e) {
            return unavailable("abort deployment " + id, e);
        }
    }

    /**
     * Creates a new deployment of {@code of}'s exact sha in its environment, forced and naming the
     * user; {@code aborted} is the deployment it replaces, if any.
     */
    private ControlResult again(DeploymentRecord of, Actor who, String reason, Optional<DeploymentId> aborted) {
        RepositoryName repository = of.deployment().repository();
        EnvironmentName environment = of.deployment().environment();
        Optional<EnvironmentRule> rule = config.rule(repository, environment);
        if (rule.isEmpty()) {
            return ControlResult.refused(Why.NOT_FOUND, "no rule for " + repository + " " + environment);
        }
        String why = EnvironmentLock.cleanReason(reason);
        Optional<String> closed = admissions.closed(rule.get());
        if (closed.isPresent() && why.isEmpty()) {
            return ControlResult.refused(Why.INVALID, repository + " " + environment + " is " + closed.get()
                    + "; deploying there now needs a reason, which is recorded");
        }
        CommitSha sha = of.deployment().sha();
        Optional<DeploymentRecord> current = store.lastSucceeded(repository, environment, Optional.empty());
        // Aborting a run to go back to what ran before is a rollback, whatever the sha.
        boolean rollback = aborted.isPresent() || (current.isPresent() && !current.get().deployment().sha().equals(sha));
        String what = (rollback ? "rollback" : "redeploy") + " of " + sha.abbreviated() + " (deployment "
                + of.deployment().id() + ") by " + who;
        Map<String, Object> ours = new LinkedHashMap<>();
        ours.put("cause", what);
        ours.put("by", who.name());
        ours.put("force", true);
        ours.put("reason", why);
        ours.put("rollback", rollback);
        ours.put("rollback_of", of.deployment().id().value());
        aborted.ifPresent(a -> ours.put("aborted", a.value()));
        String request = UUID.randomUUID().toString();
        ours.put("request", request);
        ours.put("seal", seals.seal(io.github.autodeploy.core.control.DeploymentIntent.sealedText(repository, environment, sha,
                who.name(), why, of.deployment().id().value(), request)));
        NewDeployment wanted = new NewDeployment(repository, sha, environment, of.deployment().task(),
                rule.get().rollbackRequiredContexts(), of.deployment().requester(), Map.of("autodeploy", ours),
                "autodeploy: " + what);
        CreateResult created;
        try {
            created = api.create(wanted);
        } catch (RuntimeException e) {
            LOG.warn("GitHub did not create the {}: {}", what, e.getMessage());
            return ControlResult.refused(Why.UNAVAILABLE, "GitHub did not create the deployment: "
                    + (e instanceof ApiException ? e.getMessage() : "it could not be reached") + "; try again");
        }
        if (created instanceof CreateResult.Created c) {
            LOG.info("{}: created deployment {}", what, c.id());
            tellAbout(NotificationKind.ROLLBACK, of, who, (rollback ? "roll back" : "redeploy") + " to " + sha.abbreviated()
                    + " (deployment " + of.deployment().id() + ")" + (why.isEmpty() ? "" : ": " + why));
            if (rule.get().lockOnRollback() && rollback) {
                lockAfterRollback(repository, environment, who, sha, why);
            }
            return new ControlResult.Done("created deployment " + c.id() + ": " + what, Optional.of(c.id()));
        }
        if (created instanceof CreateResult.ChecksNotPassed checks) {
            return ControlResult.refused(Why.CONFLICT, "GitHub refused: rollback_required_contexts have not passed on "
                    + sha.abbreviated() + ": " + checks.contexts().keySet());
        }
        if (created instanceof CreateResult.OutcomeUnknown unknown) {
            return ControlResult.refused(Why.UNAVAILABLE, "GitHub did not say whether it created the deployment ("
                    + unknown.message() + "); look at the deployments before you try again");
        }
        return ControlResult.refused(Why.CONFLICT, "GitHub refused the deployment: " + ((CreateResult.Rejected) created).message());
    }

    private void lockAfterRollback(RepositoryName repository, EnvironmentName environment, Actor who, CommitSha sha, String why) {
        Instant now = time.now();
        EnvironmentLock lock = new EnvironmentLock(repository, environment,
                "rolled back to " + sha.abbreviated() + (why.isEmpty() ? "" : ": " + why), who.name(), now, Optional.empty());
        try {
            EnvironmentLock held = store.lock(lock, false);
            if (held.equals(lock)) {
                tell(NotificationKind.LOCKED, repository, environment, who, lock.describe() + " (lock_on_rollback)");
            }
        } catch (RuntimeException e) {
            LOG.warn("could not lock {} {} after the rollback (lock_on_rollback): {}", repository, environment, e.getMessage());
        }
    }

    /** A refusal when {@code who} may not do {@code what}. */
    private static Optional<ControlResult> mayAct(Actor who, String what, Role needed) {
        if (who.may(needed)) {
            return Optional.empty();
        }
        return Optional.of(ControlResult.refused(Why.FORBIDDEN, what + " needs the " + needed.key() + " role; "
                + who + " is " + article(who.role()) + who.role().key()));
    }

    private static String article(Role role) {
        return role == Role.ADMIN ? "an " : "a ";
    }

    private Optional<ControlResult> unknown(RepositoryName repository, EnvironmentName environment) {
        return config.rule(repository, environment).isPresent() ? Optional.empty()
                : Optional.of(ControlResult.refused(Why.NOT_FOUND, "no rule for environment " + environment + " of " + repository));
    }

    private static ControlResult unavailable(String what, RuntimeException e) {
        LOG.warn("could not {}: {}", what, e.getMessage());
        return ControlResult.refused(Why.UNAVAILABLE, "could not " + what + ": the robot cannot reach its store now; try again shortly");
    }

    private void tell(NotificationKind kind, RepositoryName repository, EnvironmentName environment, Actor who, String text) {
        config.rule(repository, environment).ifPresent(rule ->
                notifications.send(rule, Notice.about(kind, repository, environment, who.name()).description(text).build()));
    }

    private void tellAbout(NotificationKind kind, DeploymentRecord of, Actor who, String text) {
        config.rule(of.deployment().repository(), of.deployment().environment()).ifPresent(rule ->
                notifications.send(rule, Notice.builder(kind, of.deployment().repository(), of.deployment().environment(),
                                of.deployment().sha()).ref(of.deployment().ref().shortName()).requester(of.deployment().requester())
                        .actor(who.name()).description(text).build()));
    }

    /** Every configured environment at a glance; {@code recent} are the newest deployments, {@code held} the held ones. */
    List<EnvironmentView> environments(List<DeploymentRecord> recent, List<io.github.autodeploy.core.store.WaitingMerge> waiting,
                                       java.util.function.Predicate<DeploymentId> held) {
        Instant now = time.now();
        Map<String, EnvironmentLock> locks = new LinkedHashMap<>();
        for (EnvironmentLock l : store.locks()) {
            if (l.holdsAt(now)) {
                locks.put(l.repository().fullName() + " " + l.environment().value(), l);
            }
        }
        List<EnvironmentView> out = new ArrayList<>();
        for (EnvironmentRule rule : config.rules()) {
            String key = rule.repository().fullName() + " " + rule.environment().value();
            List<DeploymentRecord> mine = recent.stream().filter(r -> r.deployment().repository().equals(rule.repository())
                    && r.deployment().environment().equals(rule.environment())).toList();
            List<DeploymentRecord> running = mine.stream().filter(r -> r.state() == DeploymentState.IN_PROGRESS).toList();
            List<DeploymentRecord> queued = mine.stream().filter(r -> r.state() == DeploymentState.QUEUED
                            || r.state() == DeploymentState.PENDING)
                    .sorted((a, b) -> Long.compare(a.deployment().id().value(), b.deployment().id().value())).toList();
            DeploySchedule schedule = rule.schedule();
            out.add(new EnvironmentView(rule.repository(), rule.environment(),
                    store.lastSucceeded(rule.repository(), rule.environment(), Optional.empty()), running, queued,
                    queued.stream().map(r -> r.deployment().id()).filter(held).map(DeploymentId::value).toList(),
                    waiting.stream().filter(w -> w.repository().equals(rule.repository())
                            && w.environment().equals(rule.environment())).toList(),
                    rule.requiredContexts().names().orElse(List.of()), Optional.ofNullable(locks.get(key)),
                    schedule.alwaysOpen() ? "" : schedule.describe(), schedule.closedReason(now),
                    schedule.isOpen(now) ? Optional.empty() : schedule.nextOpening(now)));
        }
        return out;
    }
}
