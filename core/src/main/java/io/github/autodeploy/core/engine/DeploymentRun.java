package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.HumanDuration;
import io.github.autodeploy.core.plan.CommandPlan;
import io.github.autodeploy.core.plan.CommandStep;
import io.github.autodeploy.core.port.CommandRunner;
import io.github.autodeploy.core.plan.ExecutionPlanner;
import io.github.autodeploy.core.port.OutputSink;
import io.github.autodeploy.core.store.StepRecord;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.core.plan.StepVerdict;
import io.github.autodeploy.core.time.TimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
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
    /** Output lines a planner sees when it judges a step: enough for a tool's closing summary. */
    static final int TAIL_LINES = 500;
    private final Tracker tracker;
    private final List<ExecutionPlanner> planners;
    private final CommandRunner runner;
    private final Path scratchRoot;
    private final TimeSource time;

    DeploymentRun(Tracker tracker, List<ExecutionPlanner> planners, CommandRunner runner, Path scratchRoot, TimeSource time) {
        this.tracker = tracker;
        this.planners = List.copyOf(planners);
        this.runner = runner;
        this.scratchRoot = scratchRoot;
        this.time = time;
    }

    @Override
    public void accept(Job job) {
        Deployment d = job.deployment();
        if (job.cancellation().isCancelled()) {
            tracker.move(d.id(), DeploymentState.ERROR, "cancelled before it started: " + job.cancellation().reason());
            return;
        }
        if (job.alreadyInProgress()) {
            tracker.started(d.id());
        } else {
            tracker.startedInProgress(d.id(), "deploying " + d.sha().abbreviated() + " to " + d.environment());
        }
        long started = time.nanoTime();
        try {
            end(job, runPlan(job), Duration.ofNanos(time.nanoTime() - started));
        } catch (RuntimeException e) {
            LOG.error("deployment {} of {} failed inside the robot", d.id(), d.repository(), e);
            tracker.move(d.id(), DeploymentState.ERROR, "the robot could not run it: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** Empty when every step succeeded; otherwise how the step that did not ends the deployment. */
    private Optional<StepVerdict> runPlan(Job job) {
        Deployment d = job.deployment();
        String scratch = scratchRoot.resolve("autodeploy-" + d.id() + "-" + UUID.randomUUID()).toString();
        ExecutionPlanner planner = planners.stream().filter(p -> p.plans(job.rule().execution())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no planner for " + job.rule().execution().getClass().getSimpleName()));
        CommandPlan plan = planner.plan(job.rule(), d, scratch);
        for (CommandStep step : plan.steps()) {
            tracker.log(d.id(), "$ " + String.join(" ", step.argv()));
            Tail tail = new Tail();
            StepResult result = runner.run(step, new StepOutput(d, tail), job.cancellation());
            tracker.step(d.id(), new StepRecord(step.name(), result));
            tracker.log(d.id(), "[autodeploy] " + step.name() + ": " + result.message() + " (" + HumanDuration.format(result.duration()) + ")");
            if (result.outcome() == StepResult.Outcome.CANCELLED) {
                return Optional.of(new StepVerdict(DeploymentState.ERROR, "cancelled during step '" + step.name() + "': "
                        + job.cancellation().reason()));
            }
            if (result.outcome() != StepResult.Outcome.SUCCEEDED) {
                return Optional.of(planner.judge(step, result, tail.lines()));
            }
        }
        return Optional.empty();
    }

    /** A step's output: into the deployment's log, and its last {@value #TAIL_LINES} lines into {@code tail}. */
    private final class StepOutput implements OutputSink {
        private final Deployment d;
        private final Tail tail;

        StepOutput(Deployment d, Tail tail) {
            this.d = d;
            this.tail = tail;
        }

        @Override
        public void line(Stream stream, String line) {
            lines(stream, List.of(line));
        }

        @Override
        public void lines(Stream stream, List<String> lines) {
            tracker.log(d.id(), lines);
            tail.add(lines);
        }
    }

    /**
     * The last {@value #TAIL_LINES} lines of a step's output (and at most one chunk more), kept as the chunks they
     * came in: a line is cut out of its chunk only if the step fails and its tail is judged. Thread-safe.
     */
    static final class Tail {
        private final Deque<List<String>> chunks = new ArrayDeque<>();
        private int lines;

        synchronized void add(List<String> chunk) {
            if (chunk.isEmpty()) {
                return;
            }
            chunks.addLast(chunk);
            lines += chunk.size();
            while (lines - chunks.peekFirst().size() >= TAIL_LINES) {
                lines -= chunks.removeFirst().size();
            }
        }

        /** The last {@value #TAIL_LINES} lines, oldest first. */
        synchronized List<String> lines() {
            List<String> all = new ArrayList<>(lines);
            chunks.forEach(all::addAll);
            return List.copyOf(all.subList(Math.max(0, all.size() - TAIL_LINES), all.size()));
        }
    }

    private void end(Job job, Optional<StepVerdict> verdict, Duration took) {
        Deployment d = job.deployment();
        if (verdict.isEmpty()) {
            tracker.move(d.id(), DeploymentState.SUCCESS, "deployed " + d.sha().abbreviated() + " to " + d.environment()
                    + " in " + HumanDuration.format(took));
            return;
        }
        tracker.move(d.id(), verdict.get().state(), verdict.get().description());
    }
}
