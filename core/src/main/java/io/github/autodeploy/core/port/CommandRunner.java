package io.github.autodeploy.core.port;

import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.core.plan.CommandStep;

/**
 * Runs one step: writes its files, starts its argv (never through a shell) in its folder, streams
 * every output line to the sink as it comes, and ends it (with the whole process tree) on timeout
 * or cancellation. Thread-safe; blocks the calling worker until the step ends. Never throws for a
 * step that fails to start: that is a {@link StepResult.Outcome#NOT_STARTED} result.
 */
public interface CommandRunner {

    StepResult run(CommandStep step, OutputSink sink, Cancellation cancellation);

    /**
     * Ends what steps of an earlier run of this robot left running (it was killed before they ended),
     * and returns how many processes that was. The engine calls it once at start, before any lane
     * runs a step. A runner that cannot outlive its robot's process does nothing.
     */
    default int stopLeftovers() {
        return 0;
    }
}
