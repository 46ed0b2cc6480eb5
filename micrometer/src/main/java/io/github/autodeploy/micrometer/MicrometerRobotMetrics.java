package io.github.autodeploy.micrometer;

import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.port.RobotMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The robot's metrics on a Micrometer {@link MeterRegistry}: give one instance to {@code
 * Autodeploy.Builder.metrics}, {@code GitHubClient.Builder.metrics} and {@code
 * SlackNotifier.Builder.metrics}. Meter names are dot-separated with base units (seconds), and the
 * registry's naming convention renders them (Prometheus: {@code autodeploy_webhook_deliveries_total}).
 * Tags are low-cardinality: repository and environment are the configured ones; never a sha or an id.
 * Thread-safe.
 */
public final class MicrometerRobotMetrics implements RobotMetrics {
    public static final String WEBHOOK_DELIVERIES = "autodeploy.webhook.deliveries";
    public static final String DEPLOYMENTS = "autodeploy.deployments";
    public static final String DEPLOYMENT_QUEUED = "autodeploy.deployment.queued";
    public static final String DEPLOYMENT_CI_WAIT = "autodeploy.deployment.ci.wait";
    public static final String DEPLOYMENT_RUN = "autodeploy.deployment.run";
    public static final String GATED_RUN_WAIT = "autodeploy.gated.run.wait";
    public static final String LANE_QUEUE_DEPTH = "autodeploy.lane.queue.depth";
    public static final String GITHUB_CALLS = "autodeploy.github.calls";
    public static final String GITHUB_RATELIMIT_REMAINING = "autodeploy.github.ratelimit.remaining";
    public static final String OUTBOX_PENDING = "autodeploy.outbox.pending";
    public static final String SLACK_MESSAGES = "autodeploy.slack.messages";

    private final MeterRegistry registry;
    /** Gauge values by lane; the registry holds gauges weakly, this map keeps their state alive. */
    private final Map<Tags, AtomicInteger> laneDepths = new ConcurrentHashMap<>();
    private final AtomicInteger outboxPending = new AtomicInteger();
    /** Registered at GitHub's first answer that carried it, so no made-up value shows before. */
    private volatile AtomicInteger rateLimitRemaining;

    public MicrometerRobotMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        Gauge.builder(OUTBOX_PENDING, outboxPending, AtomicInteger::get)
                .description("Deployment statuses waiting to be posted to GitHub").baseUnit("statuses").register(registry);
    }

    @Override
    public void webhookDelivery(String event, String answer) {
        Counter.builder(WEBHOOK_DELIVERIES).description("Webhook deliveries answered, by event and answer")
                .tags("event", event, "answer", answer).register(registry).increment();
    }

    @Override
    public void deploymentFinished(RepositoryName repository, EnvironmentName environment, DeploymentState outcome) {
        Counter.builder(DEPLOYMENTS).description("Deployments finished, by outcome")
                .tags(lane(repository, environment)).tag("outcome", outcome.apiValue()).register(registry).increment();
    }

    @Override
    public void deploymentQueued(RepositoryName repository, EnvironmentName environment, Duration waited) {
        Timer.builder(DEPLOYMENT_QUEUED).description("Time from acceptance (queued) to start of a deployment")
                .tags(lane(repository, environment)).register(registry).record(waited);
    }

    @Override
    public void ciWaited(RepositoryName repository, EnvironmentName environment, String outcome, Duration waited) {
        Timer.builder(DEPLOYMENT_CI_WAIT).description("Time a merge or push waited for CI, by outcome")
                .tags(lane(repository, environment)).tag("outcome", outcome).register(registry).record(waited);
    }

    @Override
    public void gatedRunDecided(RepositoryName repository, EnvironmentName environment, String decision, String by,
                                Duration waited) {
        Timer.builder(GATED_RUN_WAIT).description("Time a gated GitHub Actions deployment waited for its decision")
                .tags(lane(repository, environment)).tag("decision", decision).tag("by", by).register(registry)
                .record(waited);
    }

    @Override
    public void deploymentRan(RepositoryName repository, EnvironmentName environment, DeploymentState outcome,
                              Duration took) {
        Timer.builder(DEPLOYMENT_RUN).description("Time from start to end of a deployment, by outcome")
                .tags(lane(repository, environment)).tag("outcome", outcome.apiValue()).register(registry).record(took);
    }

    @Override
    public void laneQueueDepth(RepositoryName repository, EnvironmentName environment, int waiting) {
        laneDepths.computeIfAbsent(lane(repository, environment), tags -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder(LANE_QUEUE_DEPTH, value, AtomicInteger::get).description("Deployments waiting in a lane")
                    .baseUnit("deployments").tags(tags).register(registry);
            return value;
        }).set(waiting);
    }

    @Override
    public void githubCall(String operation, String answer) {
        Counter.builder(GITHUB_CALLS).description("Calls to GitHub's API, by operation and answer class")
                .tags("operation", operation, "answer", answer).register(registry).increment();
    }

    @Override
    public void githubRateLimitRemaining(int remaining) {
        AtomicInteger value = rateLimitRemaining;
        if (value == null) {
            synchronized (this) {
                if (rateLimitRemaining == null) {
                    AtomicInteger v = new AtomicInteger(remaining);
                    Gauge.builder(GITHUB_RATELIMIT_REMAINING, v, AtomicInteger::get)
                            .description("Calls GitHub still allows before its rate limit (X-RateLimit-Remaining)")
                            .baseUnit("calls").register(registry);
                    rateLimitRemaining = v;
                }
                value = rateLimitRemaining;
            }
        }
        value.set(remaining);
    }

    @Override
    public void outboxPending(int statuses) {
        outboxPending.set(statuses);
    }

    @Override
    public void slackMessages(String result, int count) {
        Counter.builder(SLACK_MESSAGES).description("Slack notices, by result: sent, dropped or failed")
                .tags("result", result).register(registry).increment(count);
    }

    private static Tags lane(RepositoryName repository, EnvironmentName environment) {
        return Tags.of("repository", repository.fullName(), "environment", environment.value());
    }
}
