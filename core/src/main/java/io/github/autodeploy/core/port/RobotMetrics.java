package io.github.autodeploy.core.port;

import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import java.time.Duration;

/**
 * Where the robot reports what it does, for a metrics system to count and time (Micrometer's
 * binding is {@code MicrometerRobotMetrics} in {@code autodeploy-micrometer}). Every argument is a
 * low-cardinality tag value or a measurement: never a sha, a deployment id or a delivery id;
 * repositories and environments are the configured ones. Each method has a do-nothing default, so an
 * implementation records what it cares about and keeps compiling when events are added.
 *
 * <p>Implementations must be thread-safe, return at once and never throw: the robot calls them on
 * its request, lane, status and Slack threads. The three gauge methods ({@code laneQueueDepth},
 * {@code githubRateLimitRemaining}, {@code outboxPending}) set a current value; the others count or
 * time one event.
 */
public interface RobotMetrics {

    /**
     * One webhook delivery answered. {@code event} is GitHub's event name for an event the robot
     * parses ({@code deployment}, {@code deployment_status}, {@code pull_request}, {@code push},
     * {@code status}, {@code check_run}, {@code check_suite}, {@code ping}), {@code other} for a signed
     * event it does not use, and {@code unknown} for a delivery rejected before it was verified and
     * parsed. {@code answer} is the answer's {@code result}: {@code accepted}, {@code ignored}, {@code
     * duplicate}, {@code pong}, {@code overloaded}, {@code unavailable} (from the robot), or {@code
     * bad_signature}, {@code bad_request}, {@code too_large}, {@code unsupported_media_type}, {@code
     * method_not_allowed}, {@code timeout}, {@code error} (from the webhook endpoint).
     */
    default void webhookDelivery(String event, String answer) {
    }

    /** A deployment ended: {@code success}, {@code failure}, {@code error} or {@code inactive} (superseded or dropped). */
    default void deploymentFinished(RepositoryName repository, EnvironmentName environment, DeploymentState outcome) {
    }

    /** A deployment started running, {@code waited} after it was accepted (queued). */
    default void deploymentQueued(RepositoryName repository, EnvironmentName environment, Duration waited) {
    }

    /**
     * A merge or push stopped waiting for CI, {@code waited} after it arrived: {@code outcome} is
     * {@code deployed} (the gate opened and the deployment was created), {@code failed} (CI failed or
     * GitHub refused the deployment) or {@code timed_out}.
     */
    default void ciWaited(RepositoryName repository, EnvironmentName environment, String outcome, Duration waited) {
    }

    /**
     * A GitHub Actions deployment the robot gates was decided, {@code waited} after its request:
     * {@code decision} is {@code approved} or {@code rejected}, {@code by} is {@code robot} (its
     * conditions) or {@code user} (rejected by hand).
     */
    default void gatedRunDecided(RepositoryName repository, EnvironmentName environment, String decision, String by,
                                 Duration waited) {
    }

    /** A deployment that had started ended with {@code outcome}, {@code took} after it started. */
    default void deploymentRan(RepositoryName repository, EnvironmentName environment, DeploymentState outcome,
                               Duration took) {
    }

    /** Gauge: deployments waiting (not running) in a lane now. Sampled by the robot about twice a second. */
    default void laneQueueDepth(RepositoryName repository, EnvironmentName environment, int waiting) {
    }

    /**
     * One call to GitHub's API answered. {@code operation}: {@code create_deployment}, {@code
     * list_deployments}, {@code create_deployment_status}, {@code list_deployment_statuses}, {@code
     * commit_statuses}, {@code check_runs}, {@code installation_token} or {@code other}. {@code
     * answer}: {@code 2xx}, {@code 3xx}, {@code 4xx}, {@code 5xx}, {@code rate_limited} or {@code
     * io_error} (no answer: the connection failed or timed out).
     */
    default void githubCall(String operation, String answer) {
    }

    /** Gauge: the calls GitHub still allows before its rate limit, from its last {@code X-RateLimit-Remaining}. */
    default void githubRateLimitRemaining(int remaining) {
    }

    /** Gauge: deployment statuses waiting to be posted to GitHub. Sampled by the robot about twice a second. */
    default void outboxPending(int statuses) {
    }

    /**
     * Slack messages, counted per notice (notices of one repository may share one post): {@code
     * result} {@code sent} (Slack took it), {@code dropped} (the queue was full, or shutdown came
     * first) or {@code failed} (Slack refused it, or retries ran out).
     */
    default void slackMessages(String result, int count) {
    }

    /** Metrics that record nothing: the default. */
    static RobotMetrics none() {
        return None.INSTANCE;
    }

    /** The do-nothing metrics; an enum so there is exactly one. */
    enum None implements RobotMetrics {
        INSTANCE
    }
}
