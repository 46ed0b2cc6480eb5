package io.github.autodeploy.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.core.plan.CommandStep;
import io.github.autodeploy.core.port.Cancellation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An interrupt that reaches a step's thread while the runner stops the step is still set when the runner returns. */
class LocalCommandRunnerInterruptTest {

    @Test
    void anInterruptDuringTheKillGraceIsRestoredToTheCaller(@TempDir Path dir) throws Exception {
        LocalCommandRunner runner = LocalCommandRunner.create(Secrets.of(List.of()), Duration.ofMinutes(5));
        Path termed = dir.resolve("termed");
        // Ignores TERM (noting it got it), so the runner waits out its grace period until interrupted.
        CommandStep step = new CommandStep("stubborn", List.of("sh", "-c",
                "trap 'touch " + termed + "' TERM; while true; do sleep 0.05; done"), Optional.of(dir.toString()), Map.of(),
                List.of(), Duration.ofMillis(300));
        AtomicReference<StepResult> result = new AtomicReference<>();
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Thread worker = new Thread(() -> {
            result.set(runner.run(step, (stream, line) -> { }, new Cancellation()));
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        }, "test-step");
        worker.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(termed));

        worker.interrupt();

        await().atMost(Duration.ofSeconds(30)).until(() -> !worker.isAlive());
        assertThat(result.get().outcome()).isEqualTo(StepResult.Outcome.TIMED_OUT);
        assertThat(interruptedAfter).isTrue();
    }
}
