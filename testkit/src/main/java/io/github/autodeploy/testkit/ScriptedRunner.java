package io.github.autodeploy.testkit;

import io.github.autodeploy.core.plan.CommandStep;
import io.github.autodeploy.core.port.Cancellation;
import io.github.autodeploy.core.port.CommandRunner;
import io.github.autodeploy.core.port.OutputSink;
import io.github.autodeploy.core.store.LogLines;
import io.github.autodeploy.core.model.StepResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CommandRunner} for tests that starts no process: a step's words (argv joined and split on
 * spaces, so a {@code ${task}} placeholder can carry a script) say what happens. {@code ok} succeeds,
 * {@code fail N} exits N, {@code timeout} times out, {@code missing} does not start, {@code block} waits
 * until cancelled or {@link #release()}d, {@code echo ...} prints its arguments. It records when each
 * step of each lane starts and ends, for witnesses. Thread-safe.
 */
public final class ScriptedRunner implements CommandRunner {
    /** One start or end of a step. */
    public record Event(String lane, String deploymentId, boolean start, long sequence) {
    }

    private final List<Event> events = new ArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private long sequence;

    @Override
    public StepResult run(CommandStep step, OutputSink sink, Cancellation cancellation) {
        String lane = step.environment().get("AUTODEPLOY_REPOSITORY") + " " + step.environment().get("AUTODEPLOY_ENVIRONMENT");
        String id = step.environment().get("AUTODEPLOY_DEPLOYMENT_ID");
        record(lane, id, true);
        try {
            return result(step, sink, cancellation);
        } finally {
            record(lane, id, false);
        }
    }

    private StepResult result(CommandStep step, OutputSink sink, Cancellation cancellation) {
        List<String> argv = List.of(String.join(" ", step.argv()).split(" "));
        switch (argv.get(0)) {
            case "ok":
                return new StepResult(StepResult.Outcome.SUCCEEDED, 0, Duration.ofMillis(1), "exit code 0");
            case "fail":
                int code = Integer.parseInt(argv.get(1));
                return new StepResult(StepResult.Outcome.FAILED, code, Duration.ofMillis(1), "exit code " + code);
            case "timeout":
                return new StepResult(StepResult.Outcome.TIMED_OUT, -1, step.timeout(), "timed out after 30m");
            case "missing":
                return new StepResult(StepResult.Outcome.NOT_STARTED, -1, Duration.ZERO, "could not start missing: error=2");
            case "echo":
                sink.line(OutputSink.Stream.STDOUT, String.join(" ", argv.subList(1, argv.size())));
                return new StepResult(StepResult.Outcome.SUCCEEDED, 0, Duration.ofMillis(1), "exit code 0");
            case "lines":
                // each word a line, handed over together as one block, as a runner reading a chunk of output does
                sink.lines(OutputSink.Stream.STDOUT, LogLines.copyOf(argv.subList(1, argv.size())));
                return new StepResult(StepResult.Outcome.SUCCEEDED, 0, Duration.ofMillis(1), "exit code 0");
            case "block":
                CountDownLatch cancelled = new CountDownLatch(1);
                cancellation.onCancel(cancelled::countDown);
                try {
                    while (!cancelled.await(5, TimeUnit.MILLISECONDS)) {
                        if (released.getCount() == 0) {
                            return new StepResult(StepResult.Outcome.SUCCEEDED, 0, Duration.ofMillis(1), "exit code 0");
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new StepResult(StepResult.Outcome.CANCELLED, -1, Duration.ofMillis(1), "cancelled: " + cancellation.reason());
            default:
                throw new IllegalArgumentException("no script for " + argv.get(0));
        }
    }

    /** Lets every blocked step succeed. */
    public void release() {
        released.countDown();
    }

    private synchronized void record(String lane, String id, boolean start) {
        events.add(new Event(lane, id, start, sequence++));
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** Deployment ids in the order their first step started. */
    public synchronized List<String> started() {
        return events.stream().filter(Event::start).map(Event::deploymentId).distinct().toList();
    }
}
