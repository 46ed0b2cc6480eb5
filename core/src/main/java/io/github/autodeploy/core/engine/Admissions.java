package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.control.DeploymentIntent;
import io.github.autodeploy.core.control.EnvironmentLock;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.core.time.TimeSource;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether a deployment may start now: an environment that is locked, or outside its deploy
 * window, holds the robot's own auto-deploys, refuses deployments made elsewhere, and lets through
 * what is forced (with a reason) or what a user of the robot asked for (a redeploy or rollback),
 * which is recorded. Evaluated when a deployment is queued and again just before it starts, so a
 * lock taken meanwhile holds it. Thread-safe (stateless apart from its collaborators).
 */
final class Admissions {
    /** How to create a deployment that passes anyway; GitHub's deployment API takes any JSON payload. */
    static final String HOW_TO_FORCE = "force: payload autodeploy.force + .reason";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Admissions.class);
    private final DeploymentStore store;
    private final TimeSource time;
    private final Seals seals;

    Admissions(DeploymentStore store, TimeSource time, Seals seals) {
        this.store = store;
        this.time = time;
        this.seals = seals;
    }

    /**
     * What {@code d}'s payload says, with the user it names believed only when the robot sealed it
     * (anyone who may create deployments could write {@code autodeploy.by}).
     */
    DeploymentIntent intent(Deployment d) {
        DeploymentIntent intent = DeploymentIntent.of(d);
        if (intent.byUser() && !seals.verifies(intent.sealedText(d), intent.seal())) {
            LOG.warn("deployment {} names user {} in its payload without the robot's seal; taken as made by {}", d.id(),
                    intent.by().get(), d.requester());
            return intent.withoutUser();
        }
        if (intent.auto() && !seals.verifies(intent.sealedText(d), intent.seal())) {
            LOG.warn("deployment {} is marked as an auto-deploy of this robot without its seal; taken as made elsewhere by {}",
                    d.id(), d.requester());
            return intent.notAuto();
        }
        return intent;
    }

    /** Why the environment is closed now, if it is: its lock first, then its deploy window. Reads the store. */
    Optional<String> closed(EnvironmentRule rule) {
        Instant now = time.now();
        Optional<EnvironmentLock> lock = store.lockOf(rule.repository(), rule.environment()).filter(l -> l.holdsAt(now));
        if (lock.isPresent()) {
            return Optional.of(lock.get().describe());
        }
        return rule.schedule().closedReason(now);
    }

    /** What may happen to {@code d} now; reads the store (and throws when it cannot). */
    Admission admit(Deployment d, EnvironmentRule rule) {
        Optional<String> closed = closed(rule);
        if (closed.isEmpty()) {
            return Admission.GO;
        }
        String why = closed.get();
        DeploymentIntent intent = intent(d);
        if (intent.byUser() || intent.forced()) {
            if (!intent.byUser() && intent.reason().isBlank()) {
                return new Admission.Refuse("not deployed (forcing needs autodeploy.reason in the payload): " + why);
            }
            return new Admission.Go(Optional.of("forced by " + intent.who(d.requester().login()) + " past: " + why
                    + (intent.reason().isBlank() ? "" : " (reason: " + intent.reason() + ")")));
        }
        if (intent.auto()) {
            return new Admission.Hold("held: " + why);
        }
        return new Admission.Refuse("not deployed (" + HOW_TO_FORCE + "): " + why);
    }
}
