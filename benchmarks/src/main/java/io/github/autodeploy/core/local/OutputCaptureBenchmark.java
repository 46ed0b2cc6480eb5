package io.github.autodeploy.core.local;

import io.github.autodeploy.core.lifecycle.DeploymentLifecycle;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Requester;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.port.OutputSink;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import io.github.autodeploy.core.store.DeploymentRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Command output capture: core's {@link LineReader} cutting a stream of 100-character lines (8 MiB a
 * call) into lines, masking each for two configured secrets, and handing them to a sink that keeps a
 * tail as the engine's step sink does. In core's package (on the class path) since the reader is
 * package-private. Divide the time by 8 MiB for the cost per byte; 1 GiB is 128 times a call. Run:
 * {@code java -jar benchmarks/target/benchmarks.jar OutputCaptureBenchmark}. One state per benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OutputCaptureBenchmark {
    private static final int BYTES = 8 * 1024 * 1024;

    /** {@code plain}: no secret appears; {@code masked}: every 10th line holds the token. */
    @Param({"plain", "masked"})
    public String output;

    private final Secrets secrets = Secrets.of(List.of("ghp_benchmark_token_not_real", "bench-webhook-secret"));
    private byte[] stream;

    @Setup(Level.Trial)
    public void setUp() {
        StringBuilder b = new StringBuilder(BYTES + 128);
        int n = 0;
        while (b.length() < BYTES) {
            String text = output.equals("masked") && n % 10 == 0 ? "token ghp_benchmark_token_not_real in line " + n : "line " + n;
            b.append(text).append(" ").append("x".repeat(Math.max(0, 99 - text.length() - 1))).append('\n');
            n++;
        }
        stream = b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public long capture() {
        AtomicLong lines = new AtomicLong();
        Deque<String> tail = new ArrayDeque<>();
        OutputSink sink = (s, line) -> {
            lines.incrementAndGet();
            synchronized (tail) {
                tail.addLast(line);
                if (tail.size() > 20) {
                    tail.removeFirst();
                }
            }
        };
        LineReader reader = LineReader.start(new ByteArrayInputStream(stream), OutputSink.Stream.STDOUT, sink, secrets, 1);
        if (!reader.awaitEnd(Duration.ofMinutes(1))) {
            throw new IllegalStateException("8 MiB took over a minute");
        }
        return lines.get();
    }

    /**
     * The same stream into the in-memory store's log (1 MiB kept, the rest dropped as it goes), as the engine's
     * step sink hands each chunk's lines on (through {@code Tracker}'s buffer, which passes a chunk on as it came).
     */
    @Benchmark
    public long captureIntoStore() {
        InMemoryDeploymentStore store = InMemoryDeploymentStore.create(10, 1024 * 1024);
        Deployment d = new Deployment(RepositoryName.of("octo/app"), DeploymentId.of(1), CommitSha.of("a".repeat(40)),
                GitRef.of("main"), EnvironmentName.PRODUCTION, "deploy", Requester.of("octocat"), "{}", "");
        store.insert(DeploymentRecord.queued(d, DeploymentLifecycle.created(), Instant.EPOCH, "k"));
        AtomicLong lines = new AtomicLong();
        OutputSink sink = new OutputSink() {
            @Override
            public void line(Stream stream, String line) {
                lines(stream, List.of(line));
            }

            @Override
            public void lines(Stream stream, List<String> chunk) {
                lines.addAndGet(chunk.size());
                store.appendLog(d.id(), chunk);
            }
        };
        LineReader reader = LineReader.start(new ByteArrayInputStream(stream), OutputSink.Stream.STDOUT, sink, secrets, 1);
        if (!reader.awaitEnd(Duration.ofMinutes(1))) {
            throw new IllegalStateException("8 MiB took over a minute");
        }
        return lines.get() + store.readLog(d.id(), 0).nextLine();
    }
}
