package io.github.autodeploy.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.plan.CommandStep;
import io.github.autodeploy.core.port.Cancellation;
import io.github.autodeploy.core.port.CommandRunner;
import io.github.autodeploy.core.port.OutputSink;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.testkit.CommandRunnerContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalCommandRunnerTest extends CommandRunnerContract {
    private static final String SECRET = "ghp_SuperSecretToken123";
    private final LocalCommandRunner runner = LocalCommandRunner.create(Secrets.of(List.of(SECRET)), Duration.ofSeconds(2));

    @Override
    protected CommandRunner runner() {
        return runner;
    }

    @Test
    void hundredsOfMegabytesOfOutputPassThroughLineByLine() {
        AtomicLong chars = new AtomicLong();
        AtomicLong lines = new AtomicLong();
        // 300,000,000 bytes: 3,000,000 lines of 99 characters and a newline.
        StepResult r = runner.run(step(Duration.ofMinutes(5), "sh", "-c",
                "yes 012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678 | head -n 3000000"),
                (stream, line) -> {
                    chars.addAndGet(line.length());
                    lines.incrementAndGet();
                }, new Cancellation());
        assertThat(r.outcome()).isEqualTo(StepResult.Outcome.SUCCEEDED);
        assertThat(lines.get()).isEqualTo(3_000_000);
        assertThat(chars.get()).isEqualTo(297_000_000);
    }

    @Test
    void aLineWithoutEndIsPassedOnInBoundedPieces() {
        AtomicLong chars = new AtomicLong();
        AtomicInteger longest = new AtomicInteger();
        StepResult r = runner.run(step(Duration.ofMinutes(2), "sh", "-c", "head -c 50000000 /dev/zero | tr '\\0' x"),
                (stream, line) -> {
                    chars.addAndGet(line.length());
                    longest.accumulateAndGet(line.length(), Math::max);
                }, new Cancellation());
        assertThat(r.outcome()).isEqualTo(StepResult.Outcome.SUCCEEDED);
        assertThat(chars.get()).isEqualTo(50_000_000);
        assertThat(longest.get()).isEqualTo(LineReader.MAX_LINE);
    }

    @Test
    void timeoutKillsTheChildAndTheGrandchild() throws IOException {
        Path pids = dir.resolve("pids");
        StepResult r = runner.run(step(Duration.ofMillis(1500), "sh", "-c",
                "sleep 600 & echo $! > pids; sh -c 'sleep 600 & echo $! >> pids; wait' & echo $! >> pids; echo $$ >> pids; wait"),
                (s, l) -> { }, new Cancellation());
        assertThat(r.outcome()).isEqualTo(StepResult.Outcome.TIMED_OUT);
        List<Long> started = Files.readAllLines(pids).stream().map(String::trim).map(Long::parseLong).toList();
        assertThat(started).hasSize(4);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(started).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse()));
    }

    @Test
    void timeoutEndsADaemonisedGrandchildAndLeavesNoReaderBehind() throws IOException {
        // "(sleep 1003 &)" leaves a grandchild whose parent is init: not a descendant any more, yet it holds the pipes.
        StepResult r = runner.run(step(Duration.ofMillis(1500), "sh", "-c", "(sleep 1003 & echo $! > daemon); sleep 600"),
                (s, l) -> { }, new Cancellation());
        assertThat(r.outcome()).isEqualTo(StepResult.Outcome.TIMED_OUT);
        long daemon = Long.parseLong(Files.readString(dir.resolve("daemon")).trim());
        // Both checked the moment run() returns: the runner waited for the group to end, not for a reader's drain limit.
        assertThat(ProcessHandle.of(daemon).map(ProcessHandle::isAlive).orElse(false)).as("daemonised grandchild alive").isFalse();
        assertThat(readerThreads()).as("reader threads left").isEmpty();
    }

    @Test
    void whatAStepLeftRunningInTheBackgroundEndsWithIt() throws IOException {
        Lines out = new Lines();
        StepResult r = runner.run(step(Duration.ofMinutes(1), "sh", "-c", "(sleep 1004 & echo $! > daemon); echo deployed"),
                out, new Cancellation());
        assertThat(r.outcome()).isEqualTo(StepResult.Outcome.SUCCEEDED);
        assertThat(out.lines).containsExactly("deployed");
        long daemon = Long.parseLong(Files.readString(dir.resolve("daemon")).trim());
        assertThat(ProcessHandle.of(daemon).map(ProcessHandle::isAlive).orElse(false)).as("background process alive").isFalse();
        assertThat(readerThreads()).as("reader threads left").isEmpty();
    }

    private static List<String> readerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("autodeploy-stdout-") || n.startsWith("autodeploy-stderr-")).toList();
    }

    @Test
    void cancellationKillsARunningStep() throws Exception {
        Cancellation cancellation = new Cancellation();
        AtomicInteger seen = new AtomicInteger();
        CompletableFuture<StepResult> result = CompletableFuture.supplyAsync(() -> runner.run(
                step(Duration.ofMinutes(5), "sh", "-c", "echo started; sleep 600"), (s, l) -> seen.incrementAndGet(), cancellation));
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.get() > 0);
        cancellation.cancel("cancelled by octocat");
        StepResult r = result.get();
        assertThat(r.outcome()).isEqualTo(StepResult.Outcome.CANCELLED);
        assertThat(r.message()).isEqualTo("cancelled: cancelled by octocat");
    }

    @Test
    void secretsNeverReachTheSinkNorTheEnvironment() {
        Lines out = new Lines();
        CommandStep s = new CommandStep("leak", List.of("sh", "-c", "echo token=" + SECRET + "; echo \"[$LEAKY]\" >&2"),
                Optional.of(dir.toString()), Map.of(), List.of(), Duration.ofMinutes(1));
        // The runner's own environment may hold the secret (GITHUB_TOKEN=...); a child must not inherit it.
        LocalCommandRunner r = LocalCommandRunner.create(Secrets.of(List.of(SECRET, System.getenv().getOrDefault("HOME", "/root"))));
        assertThat(r.run(s, out, new Cancellation()).outcome()).isEqualTo(StepResult.Outcome.SUCCEEDED);
        assertThat(out.lines).contains("token=***").noneMatch(l -> l.contains(SECRET));
        Lines env = new Lines();
        r.run(step(Duration.ofMinutes(1), "sh", "-c", "echo \"home=[$HOME]\""), env, new Cancellation());
        assertThat(env.lines).containsExactly("home=[]");
    }

    @Test
    void stepFilesAreReadableByTheOwnerOnly() throws IOException {
        Path file = dir.resolve("scratch/vars.json");
        CommandStep s = new CommandStep("stat", List.of("stat", "-c", "%a", file.toString(), file.getParent().toString()),
                Optional.of(dir.toString()), Map.of(),
                List.of(new io.github.autodeploy.core.plan.StepFile(file.toString(), "{}")), Duration.ofMinutes(1));
        Lines out = new Lines();
        runner.run(s, out, new Cancellation());
        assertThat(out.lines).containsExactly("600", "700");
        assertThat(Files.exists(file.getParent())).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isNotEmpty();
    }

    @Test
    void missingFolderIsReportedAsNotStarted() {
        CommandStep s = new CommandStep("x", List.of("true"), Optional.of(dir.resolve("nope").toString()), Map.of(),
                List.of(), Duration.ofMinutes(1));
        StepResult r = runner.run(s, (OutputSink) (a, b) -> { }, new Cancellation());
        assertThat(r.outcome()).isEqualTo(StepResult.Outcome.NOT_STARTED);
        assertThat(r.message()).contains("does not exist");
    }
}
