package io.github.autodeploy.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.plan.CommandStep;
import io.github.autodeploy.core.plan.StepFile;
import io.github.autodeploy.core.port.Cancellation;
import io.github.autodeploy.core.port.CommandRunner;
import io.github.autodeploy.core.port.OutputSink;
import io.github.autodeploy.core.model.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link CommandRunner} that runs real POSIX processes must do: stream output, report exit
 * codes, never use a shell, time out, and write and remove a step's files. To check a runner, extend
 * this class in a JUnit 5 test and implement {@link #runner()}; the tests need {@code sh}, {@code echo},
 * {@code sleep} and {@code cat} on the {@code PATH}. Each test gets its own {@link #dir}. Not thread-safe
 * (one instance per test, as JUnit makes them).
 */
public abstract class CommandRunnerContract {
    /** A fresh folder for each test; the steps run in it. */
    @TempDir
    protected Path dir;

    /** The runner under test. */
    protected abstract CommandRunner runner();

    /** A step running {@code argv} in {@link #dir} with {@code GREETING=hello} in its environment. */
    protected CommandStep step(Duration timeout, String... argv) {
        return new CommandStep("test", List.of(argv), Optional.of(dir.toString()), Map.of("GREETING", "hello"),
                List.of(), timeout);
    }

    /** An {@link OutputSink} that keeps every line, stderr lines prefixed with {@code err: }. Thread-safe. */
    public static final class Lines implements OutputSink {
        public final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void line(Stream stream, String line) {
            lines.add(stream == Stream.STDERR ? "err: " + line : line);
        }
    }

    @Test
    void streamsStdoutAndStderrAndReportsSuccess() {
        Lines out = new Lines();
        StepResult r = runner().run(step(Duration.ofMinutes(1), "sh", "-c", "echo \"$GREETING\"; echo oops >&2; pwd"),
                out, new Cancellation());
        assertThat(r.outcome()).isEqualTo(StepResult.Outcome.SUCCEEDED);
        assertThat(r.exitCode()).isZero();
        assertThat(out.lines).contains("hello", "err: oops", dir.toString());
    }

    @Test
    void nonZeroExitIsAFailureWithTheCode() {
        StepResult r = runner().run(step(Duration.ofMinutes(1), "sh", "-c", "exit 3"), new Lines(), new Cancellation());
        assertThat(r.outcome()).isEqualTo(StepResult.Outcome.FAILED);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.message()).isEqualTo("exit code 3");
    }

    @Test
    void argvIsNotInterpretedByAShell() {
        Lines out = new Lines();
        runner().run(step(Duration.ofMinutes(1), "echo", "$(id)", "; rm -rf /", "a b"), out, new Cancellation());
        assertThat(out.lines).containsExactly("$(id) ; rm -rf / a b");
    }

    @Test
    void missingProgramDoesNotStart() {
        StepResult r = runner().run(step(Duration.ofMinutes(1), "no-such-program-autodeploy"), new Lines(), new Cancellation());
        assertThat(r.outcome()).isEqualTo(StepResult.Outcome.NOT_STARTED);
        assertThat(r.message()).contains("no-such-program-autodeploy");
    }

    @Test
    void timeoutEndsTheStep() {
        StepResult r = runner().run(step(Duration.ofMillis(300), "sleep", "30"), new Lines(), new Cancellation());
        assertThat(r.outcome()).isEqualTo(StepResult.Outcome.TIMED_OUT);
        assertThat(r.duration()).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void filesAreWrittenForTheStepAndRemovedAfter() {
        Path file = dir.resolve("scratch/payload.json");
        CommandStep s = new CommandStep("cat", List.of("cat", file.toString()), Optional.of(dir.toString()), Map.of(),
                List.of(new StepFile(file.toString(), "{\"a\":1}")), Duration.ofMinutes(1));
        Lines out = new Lines();
        assertThat(runner().run(s, out, new Cancellation()).outcome()).isEqualTo(StepResult.Outcome.SUCCEEDED);
        assertThat(out.lines).containsExactly("{\"a\":1}");
        assertThat(Files.exists(file)).isFalse();
    }
}
