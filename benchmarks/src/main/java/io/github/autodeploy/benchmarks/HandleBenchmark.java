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
import io.github.autodeploy.core.port.CreateResult;
import io.github.autodeploy.core.port.DeploymentApi;
import io.github.autodeploy.core.port.NewDeployment;
import io.github.autodeploy.core.port.Notifier;
import io.github.autodeploy.core.port.StatusPost;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.core.port.UnfinishedDeployment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of {@link Autodeploy#handle} on the webhook thread, per kind of event. GitHub and the
 * runner are instant stand-ins, so what is measured is the robot's own work before it answers.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar HandleBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HandleBenchmark {
    private static final RepositoryName REPO = RepositoryName.of("octo/app");
    private static final CommitSha SHA = CommitSha.of("a10867b14bb761a232cd80139fbd4c0d33264240");
    private static final GitRef MAIN = GitRef.of("main");
    private static final EnvironmentName PRODUCTION = EnvironmentName.of("production");
    private static final Requester OCTOCAT = Requester.of("octocat");
    private final AtomicLong counter = new AtomicLong();
    private final AtomicLong notAccepted = new AtomicLong();
    private Autodeploy robot;
    private WebhookEvent ping;
    private WebhookEvent unsupported;
    private WebhookEvent otherEnvironment;

    @Setup(Level.Trial)
    public void setUp() {
        var config = new RawConfig(RawGitHub.of("ghp_benchmark_token", "secret"), Optional.empty(),
                Optional.empty(), Map.of("octo/app", RawRepo.of(RawRule.builder().folder("/tmp")
                .commands(List.of("true")).requiredContexts(List.of()).build())),
                new RawEngine(Optional.of(2), Optional.of(100_000), Optional.empty(), Optional.of(1000), Optional.empty()))
                .resolve();
        robot = Autodeploy.builder(config).deploymentApi(new InstantApi()).commitChecks((r, s) -> List.of())
                .notifier(Notifier.none())
                .commandRunner((step, sink, c) -> new StepResult(StepResult.Outcome.SUCCEEDED, 0, Duration.ZERO, "exit code 0"))
                .store(InMemoryDeploymentStore.create(1000, 64 * 1024)).build();
        robot.start();
        ping = new WebhookEvent.Ping(Optional.of(REPO), "Keep it logically awesome.");
        unsupported = new WebhookEvent.Unsupported("issues", Optional.of("opened"), Optional.of(REPO));
        otherEnvironment = new WebhookEvent.DeploymentCreated(deployment(1, "staging"));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        robot.close();
    }

    private static Deployment deployment(long id, String env) {
        return new Deployment(REPO, DeploymentId.of(id), SHA, GitRef.of("main"), EnvironmentName.of(env), "deploy",
                Requester.of("octocat"), "{}", "");
    }

    private DeliveryId nextDelivery() {
        return DeliveryId.of("d-" + counter.incrementAndGet());
    }

    @Benchmark
    public Receipt ping() {
        return robot.handle(nextDelivery(), ping);
    }

    @Benchmark
    public Receipt unsupportedEvent() {
        return robot.handle(nextDelivery(), unsupported);
    }

    @Benchmark
    public Receipt deploymentWithoutRule() {
        return robot.handle(nextDelivery(), otherEnvironment);
    }

    /**
     * A new deployment each call: checked, recorded, queued (superseding the one waiting), answered. Its values
     * that do not change (ref, environment, requester) are made once: what is timed is {@code handle()} and the
     * few objects a new delivery needs (its two ids and records), not the checks of values the parser would make.
     */
    @Benchmark
    public Receipt deploymentAccepted() {
        long n = counter.incrementAndGet() + 1_000_000;
        Receipt r = robot.handle(DeliveryId.of("a-" + n), new WebhookEvent.DeploymentCreated(new Deployment(REPO,
                DeploymentId.of(n), SHA, MAIN, PRODUCTION, "deploy", OCTOCAT, "{}", "")));
        if (r.kind() != Receipt.Kind.ACCEPTED) {
            notAccepted.incrementAndGet();
        }
        return r;
    }

    /** Fails the run when a delivery was not accepted: then something else than the accept path was timed. */
    @TearDown(Level.Iteration)
    public void allAccepted() {
        if (notAccepted.get() > 0) {
            throw new IllegalStateException(notAccepted.get() + " deliveries were not accepted");
        }
    }

    /** GitHub that answers at once. */
    static final class InstantApi implements DeploymentApi {
        private final AtomicLong ids = new AtomicLong();

        @Override
        public CreateResult create(NewDeployment deployment) {
            return new CreateResult.Created(DeploymentId.of(ids.incrementAndGet()));
        }

        @Override
        public Optional<DeploymentId> find(NewDeployment deployment) {
            return Optional.empty();
        }

        @Override
        public void postStatus(RepositoryName repository, DeploymentId id, StatusPost status) {
        }

        @Override
        public List<UnfinishedDeployment> listUnfinished(RepositoryName repository, EnvironmentName environment) {
            return List.of();
        }
    }
}
