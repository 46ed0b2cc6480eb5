package io.github.autodeploy.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.core.plan.CommandStep;
import io.github.autodeploy.core.port.Cancellation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a robot killed with {@code kill -9} left running is stopped by the next robot over the same
 * folder: a second runner stands in for the restarted process while the first one's step still runs.
 */
class LeftoverStepsTest {

    private static long recordedLeader(Path ledger) throws IOException {
        try (Stream<Path> files = Files.list(ledger)) {
            return Long.parseLong(files.findFirst().orElseThrow().getFileName().toString());
        }
    }

    private static boolean anyFile(Path ledger) throws IOException {
        if (!Files.isDirectory(ledger)) {
            return false;
        }
        try (Stream<Path> files = Files.list(ledger)) {
            return files.findAny().isPresent();
        }
    }

    @Test
    void aRestartedRobotStopsTheStepsItsCrashedPredecessorLeftRunningDaemonsIncluded(@TempDir Path dir) throws Exception {
        Path ledger = dir.resolve("steps");
        Path daemonStarted = dir.resolve("daemon-started");
        LocalCommandRunner crashed = LocalCommandRunner.create(Secrets.none(), Duration.ofSeconds(2)).recordingStepsIn(ledger);
        CommandStep step = new CommandStep("deploy", List.of("sh", "-c",
                "(sleep 301 &); touch " + daemonStarted + "; sleep 300"), Optional.of(dir.toString()), Map.of(), List.of(),
                Duration.ofMinutes(10));
        AtomicReference<StepResult> result = new AtomicReference<>();
        Thread worker = new Thread(() -> result.set(crashed.run(step, (stream, line) -> { }, new Cancellation())), "test-step");
        worker.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(daemonStarted) && anyFile(ledger));
        long leader = recordedLeader(ledger);
        assertThat(StepSession.members(ProcessHandle.of(leader).orElseThrow())).hasSizeGreaterThanOrEqualTo(2);
        // While the robot that started it lives (this process), another robot on the folder leaves it alone.
        assertThat(LocalCommandRunner.create(Secrets.none(), Duration.ofSeconds(2)).recordingStepsIn(ledger).stopLeftovers())
                .isZero();
        assertThat(ProcessHandle.of(leader).filter(ProcessHandle::isAlive)).isPresent();
        // The robot dies (as with kill -9): its record now names a process that is gone.
        Path record = ledger.resolve(Long.toString(leader));
        String leaderStart = Files.readString(record).split("\n")[0];
        Files.writeString(record, leaderStart + "\n999999999 2001-01-01T00:00:00Z");

        LocalCommandRunner restarted = LocalCommandRunner.create(Secrets.none(), Duration.ofSeconds(2)).recordingStepsIn(ledger);
        int stopped = restarted.stopLeftovers();

        assertThat(stopped).isGreaterThanOrEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> StepSession.sessionMembers(leader).isEmpty());
        assertThat(ProcessHandle.of(leader).filter(ProcessHandle::isAlive)).isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> !worker.isAlive());
        assertThat(result.get().outcome()).isNotEqualTo(StepResult.Outcome.SUCCEEDED);
        assertThat(anyFile(ledger)).as("the ledger forgets what it stopped").isFalse();
        assertThat(restarted.stopLeftovers()).isZero();
    }

    @Test
    void aStepThatEndsLeavesNothingInTheLedger(@TempDir Path dir) throws Exception {
        Path ledger = dir.resolve("steps");
        LocalCommandRunner runner = LocalCommandRunner.create(Secrets.none(), Duration.ofSeconds(2)).recordingStepsIn(ledger);
        StepResult r = runner.run(new CommandStep("ok", List.of("true"), Optional.of(dir.toString()), Map.of(), List.of(),
                Duration.ofSeconds(30)), (stream, line) -> { }, new Cancellation());
        assertThat(r.outcome()).isEqualTo(StepResult.Outcome.SUCCEEDED);
        assertThat(anyFile(ledger)).isFalse();
        assertThat(runner.stopLeftovers()).isZero();
    }

    @Test
    void aRecordedPidNowHeldByAnotherProgramIsLeftAlone(@TempDir Path dir) throws Exception {
        Path ledger = dir.resolve("steps");
        Files.createDirectories(ledger);
        // This JVM's own pid, recorded with a start time that is not its own: a pid the system reused.
        Files.writeString(ledger.resolve(Long.toString(ProcessHandle.current().pid())), "2001-01-01T00:00:00Z");
        LocalCommandRunner runner = LocalCommandRunner.create(Secrets.none(), Duration.ofSeconds(2)).recordingStepsIn(ledger);
        assertThat(runner.stopLeftovers()).isZero();
        assertThat(ProcessHandle.current().isAlive()).isTrue();
        assertThat(anyFile(ledger)).isFalse();
    }
}
