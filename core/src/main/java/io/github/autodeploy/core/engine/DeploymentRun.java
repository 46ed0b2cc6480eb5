package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.plan.CommandPlan;
import io.github.autodeploy.core.plan.CommandStep;
import io.github.autodeploy.core.port.CommandRunner;
import io.github.autodeploy.core.port.ExecutionPlanner;
import io.github.autodeploy.core.port.OutputSink;
import io.github.autodeploy.core.port.StepRecord;
import io.github.autodeploy.core.port.StepResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one deployment on a lane's worker: in_progress, plan, each step in turn, then success,
 * failure (a step failed or timed out) or error (the robot could not run it, or it was cancelled).
 * Thread-safe: it keeps no state between jobs.
 */
final class DeploymentRun implements Consumer<Job> {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentRun.class);
    private final Tracker tracker;
    private final List<ExecutionPlanner> planners;
    private final CommandRunner runner;
    private final Path scratchRoot;

    DeploymentRun(Tracker tracker, List<ExecutionPlanner> planners, CommandRunner runner, Path scratchRoot) {
        this.tracker = tracker;
        this.planners = List.copyOf(planners);
        this.runner = runner;
        this.scratchRoot = scratchRoot;
    }

    @Override
    public void accept(Job job) {
        Deployment d = job.deployment();
        if (job.cancellation().isCancelled()) {
            tracker.move(d.id(), DeploymentState.ERROR, "cancelled before it started: " + job.cancellation().reason());
            return;
        }
        tracker.started(d.id());
        if (!job.alreadyInProgress()) {
            tracker.move(d.id(), DeploymentState.IN_PROGRESS,
                    "deploying " + d.sha().abbreviated() + " to " + d.environment());
        }
        long started = System.nanoTime();
        try {
            end(job, runPlan(job), Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException e) {
            LOG.error("deployment {} of {} failed inside the robot", d.id(), d.repository(), e);
            tracker.move(d.id(), DeploymentState.ERROR, "the robot could not run it: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** Null when every step succeeded; otherwise the step that did not and its result. */
    private StepRecord runPlan(Job job) {
        Deployment d = job.deployment();
        String scratch = scratchRoot.resolve("autodeploy-" + d.id() + "-" + UUID.randomUUID()).toString();
        CommandPlan plan = planners.stream().filter(p -> p.plans(job.rule().execution())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no planner for " + job.rule().execution().getClass().getSimpleName()))
                .plan(job.rule(), d, scratch);
        OutputSink sink = (stream, line) -> tracker.log(d.id(), line);
        for (CommandStep step : plan.steps()) {
            tracker.log(d.id(), "$ " + String.join(" ", step.argv()));
            StepResult result = runner.run(step, sink, job.cancellation());
            StepRecord record = new StepRecord(step.name(), result);
            tracker.step(d.id(), record);
            tracker.log(d.id(), "[autodeploy] " + step.name() + ": " + result.message() + " (" + millis(result.duration()) + ")");
            if (result.outcome() != StepResult.Outcome.SUCCEEDED) {
                return record;
            }
        }
        return null;
    }

    private void end(Job job, StepRecord failed, Duration took) {
        Deployment d = job.deployment();
        if (failed == null) {
            tracker.move(d.id(), DeploymentState.SUCCESS, "deployed " + d.sha().abbreviated() + " to " + d.environment()
                    + " in " + seconds(took));
            return;
        }
        String step = "step '" + failed.name() + "' ";
        StepResult r = failed.result();
        switch (r.outcome()) {
            case FAILED -> tracker.move(d.id(), DeploymentState.FAILURE, step + "failed with exit code " + r.exitCode());
            case TIMED_OUT -> tracker.move(d.id(), DeploymentState.FAILURE, step + r.message());
            case CANCELLED -> tracker.move(d.id(), DeploymentState.ERROR, "cancelled during " + step.trim() + ": "
                    + job.cancellation().reason());
            case NOT_STARTED -> tracker.move(d.id(), DeploymentState.ERROR, step + "did not start: " + r.message());
            case SUCCEEDED -> throw new IllegalStateException("a succeeded step is not a failure");
        }
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }

    private static String seconds(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? s + "s" : (s / 60) + "m" + (s % 60) + "s";
    }
}
