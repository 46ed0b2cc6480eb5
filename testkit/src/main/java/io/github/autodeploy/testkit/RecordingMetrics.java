package io.github.autodeploy.testkit;

import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.port.RobotMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link RobotMetrics} for tests that counts each event by a readable key (its name and tags,
 * such as {@code "webhook deployment accepted"}), keeps every measured duration by the same kind of
 * key, and the last value of each gauge. Thread-safe.
 */
public final class RecordingMetrics implements RobotMetrics {
    private final Map<String, Integer> counts = new TreeMap<>();
    private final Map<String, List<Duration>> timings = new TreeMap<>();
    private final Map<String, Integer> gauges = new TreeMap<>();

    @Override
    public synchronized void webhookDelivery(String event, String answer) {
        count("webhook " + event + " " + answer, 1);
    }

    @Override
    public synchronized void deploymentFinished(RepositoryName repository, EnvironmentName environment,
                                                DeploymentState outcome) {
        count("finished " + repository + " " + environment + " " + outcome.apiValue(), 1);
    }

    @Override
    public synchronized void deploymentQueued(RepositoryName repository, EnvironmentName environment, Duration waited) {
        time("queued " + repository + " " + environment, waited);
    }

    @Override
    public synchronized void ciWaited(RepositoryName repository, EnvironmentName environment, String outcome,
                                      Duration waited) {
        time("ci " + repository + " " + environment + " " + outcome, waited);
    }

    @Override
    public synchronized void gatedRunDecided(RepositoryName repository, EnvironmentName environment, String decision,
                                             String by, Duration waited) {
        time("gated " + repository + " " + environment + " " + decision + " " + by, waited);
    }

    @Override
    public synchronized void deploymentRan(RepositoryName repository, EnvironmentName environment,
                                           DeploymentState outcome, Duration took) {
        time("ran " + repository + " " + environment + " " + outcome.apiValue(), took);
    }

    @Override
    public synchronized void laneQueueDepth(RepositoryName repository, EnvironmentName environment, int waiting) {
        gauges.put("lane " + repository + " " + environment, waiting);
    }

    @Override
    public synchronized void githubCall(String operation, String answer) {
        count("github " + operation + " " + answer, 1);
    }

    @Override
    public synchronized void githubRateLimitRemaining(int remaining) {
        gauges.put("github ratelimit", remaining);
    }

    @Override
    public synchronized void outboxPending(int statuses) {
        gauges.put("outbox", statuses);
    }

    @Override
    public synchronized void slackMessages(String result, int count) {
        count("slack " + result, count);
    }

    private void count(String key, int n) {
        counts.merge(key, n, Integer::sum);
    }

    private void time(String key, Duration d) {
        timings.computeIfAbsent(key, k -> new ArrayList<>()).add(d);
    }

    /** How often each counted event happened, by key, in key order. */
    public synchronized Map<String, Integer> counts() {
        return Map.copyOf(new TreeMap<>(counts));
    }

    /** Every measured duration, by key, in the order measured. */
    public synchronized Map<String, List<Duration>> timings() {
        Map<String, List<Duration>> copy = new TreeMap<>();
        timings.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Map.copyOf(copy);
    }

    /** The last value of each gauge, by key. */
    public synchronized Map<String, Integer> gauges() {
        return Map.copyOf(gauges);
    }
}
