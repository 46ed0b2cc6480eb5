package io.github.autodeploy.benchmarks;

import io.github.autodeploy.core.config.RawConfig;
import io.github.autodeploy.core.config.RawEngine;
import io.github.autodeploy.core.config.RawGitHub;
import io.github.autodeploy.core.config.RawRepo;
import io.github.autodeploy.core.config.RawRule;
import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.core.engine.Receipt;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.local.InMemoryDeploymentStore;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Requester;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.core.port.Notifier;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.store.jdbc.JdbcDeploymentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Autodeploy#handle} of a new accepted deployment (a fresh deployment id and delivery id each
 * call: checked, recorded, queued superseding the one waiting, answered) on each store: {@code memory},
 * {@code sqlite} (a new file in a temp folder) and {@code postgres} (the database of
 * {@code AUTODEPLOY_TEST_POSTGRES_URL}; ask for it with {@code -p store=memory,sqlite,postgres}).
 * GitHub and the runner are instant stand-ins. Run:
 * {@code java -jar benchmarks/target/benchmarks.jar AcceptBenchmark}. One state per benchmark, shared by
 * the threads of {@link #deploymentsAcceptedBySixteenThreads}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AcceptBenchmark {
    private static final RepositoryName REPO = RepositoryName.of("octo/app");
    private static final CommitSha SHA = CommitSha.of("a10867b14bb761a232cd80139fbd4c0d33264240");

    @Param({"memory", "sqlite"})
    public String store;

    // Ids count up from the clock so that runs against one PostgreSQL database never reuse one.
    private final AtomicLong counter = new AtomicLong(System.currentTimeMillis() * 1000);
    private Path folder;
    private Optional<JdbcDeploymentStore> jdbc = Optional.empty();
    private Autodeploy robot;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        folder = Files.createTempDirectory("autodeploy-accept-bench");
        DeploymentStore chosen = switch (store) {
            case "memory" -> InMemoryDeploymentStore.create(1000, 64 * 1024);
            case "sqlite" -> open("jdbc:sqlite:" + folder.resolve("autodeploy.db"));
            case "postgres" -> open(Optional.ofNullable(System.getenv("AUTODEPLOY_TEST_POSTGRES_URL")).filter(u -> !u.isBlank())
                    .orElseThrow(() -> new IllegalStateException("store=postgres needs AUTODEPLOY_TEST_POSTGRES_URL")));
            default -> throw new IllegalArgumentException("store is memory, sqlite or postgres, not " + store);
        };
        var config = new RawConfig(RawGitHub.of("ghp_benchmark_token", "secret"), Optional.empty(),
                Optional.empty(), Map.of("octo/app", RawRepo.of(RawRule.builder().folder(folder.toString())
                .commands(List.of("true")).requiredContexts(List.of()).build())),
                new RawEngine(Optional.of(2), Optional.of(100_000), Optional.empty(), Optional.of(1000), Optional.empty()))
                .resolve();
        robot = Autodeploy.builder(config).deploymentApi(new HandleBenchmark.InstantApi()).commitChecks((r, s) -> List.of())
                .notifier(Notifier.none())
                .commandRunner((step, sink, c) -> new StepResult(StepResult.Outcome.SUCCEEDED, 0, Duration.ZERO, "exit code 0"))
                .store(chosen).build();
        robot.start();
    }

    private DeploymentStore open(String url) {
        JdbcDeploymentStore s = JdbcDeploymentStore.builder().url(url).logLimitBytes(64 * 1024).build();
        jdbc = Optional.of(s);
        return s;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        robot.close();
        jdbc.ifPresent(JdbcDeploymentStore::close);
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Sixteen webhook threads at once, as {@code wrk -c16} keeps them busy: accepted deployments per
     * second over all of them (on SQLite they share commits and syncs).
     */
    @Benchmark
    @Threads(16)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Receipt deploymentsAcceptedBySixteenThreads() {
        return deploymentAccepted();
    }

    @Benchmark
    public Receipt deploymentAccepted() {
        long n = counter.incrementAndGet();
        Deployment d = new Deployment(REPO, DeploymentId.of(n), SHA, GitRef.of("main"), EnvironmentName.of("production"),
                "deploy", Requester.of("octocat"), "{}", "");
        return robot.handle(DeliveryId.of("accept-" + n), new WebhookEvent.DeploymentCreated(d));
    }
}
