package io.github.autodeploy.servlet;

import io.github.autodeploy.core.config.RawConfig;
import io.github.autodeploy.core.config.RawProtection;
import io.github.autodeploy.core.config.RawEngine;
import io.github.autodeploy.core.config.RawGitHub;
import io.github.autodeploy.core.config.RawRepo;
import io.github.autodeploy.core.config.RobotConfig;
import io.github.autodeploy.core.config.RawRule;
import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.core.local.InMemoryDeploymentStore;
import io.github.autodeploy.core.port.OutputSink;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.testkit.FakeCommitChecks;
import io.github.autodeploy.testkit.FakeDeploymentApi;
import io.github.autodeploy.testkit.RecordingNotifier;
import io.github.autodeploy.testkit.RecordingProtectionRules;
import io.github.autodeploy.github.WebhookParser;
import io.github.autodeploy.github.WebhookVerifier;
import io.github.autodeploy.core.store.DeploymentStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A robot for servlet tests: configured for the octokit fixtures' repository, wired to fakes, with a
 * runner that prints a few lines and then waits while {@link #hold} is closed.
 */
final class TestRobot implements AutoCloseable {
    static final String SECRET = "It's a Secret to Everybody";
    static final String TOKEN = "ghp_servlet_test_token";
    final FakeDeploymentApi github = new FakeDeploymentApi();
    final RecordingNotifier notifier = new RecordingNotifier();
    final AtomicInteger ran = new AtomicInteger();
    final CountDownLatch hold = new CountDownLatch(1);
    volatile boolean holding;
    final Autodeploy robot;
    final WebhookVerifier verifier = WebhookVerifier.create(List.of(SECRET));
    final WebhookParser parser = WebhookParser.create();
    /** While set, every store call throws, as a database that went away. */
    volatile boolean storeDown;
    /** The most lines a log read answers, as a database store answers at most so many a read. */
    volatile int linesPerRead = Integer.MAX_VALUE;
    /** Numbered lines the command prints before "done". */
    volatile int extraLines;

    /** Answers GitHub Actions protection-rule requests in memory (a rule of {@link #gating} gates them). */
    final RecordingProtectionRules protectionRules = new RecordingProtectionRules();
    /** The robot's store (failing while {@link #storeDown}). */
    final DeploymentStore store;

    TestRobot(int workers, int capacity) {
        this(workers, capacity, RawRepo.of(rule().build()));
    }

    /** The rule of the repository's environments: commands, no CI contexts, no superseding. */
    static RawRule.Builder rule() {
        return RawRule.builder().folder("/tmp").commands(List.of("deploy")).requiredContexts(List.of()).supersede(false);
    }

    /**
     * A robot that gates GitHub Actions deployments: to production with one approval by a deployer who did
     * not start the run, to staging with one by an admin; qa is not gated.
     */
    static TestRobot gating() {
        RawProtection production = new RawProtection(Optional.of(true), Optional.of(1), Optional.of("deployer"), Optional.of(false),
                Optional.empty());
        RawProtection staging = new RawProtection(Optional.of(true), Optional.of(1), Optional.of("admin"), Optional.of(false),
                Optional.empty());
        return new TestRobot(2, 10, new RawRepo(rule().build(), Map.of("production", rule().protection(production).build(),
                "staging", rule().protection(staging).build(), "qa", rule().build())));
    }

    TestRobot(int workers, int capacity, RawRepo repo) {
        RobotConfig config = new RawConfig(RawGitHub.of(TOKEN, SECRET), Optional.empty(),
                Optional.of("http://robot.example"), Map.of("Codertocat/Hello-World", repo),
                new RawEngine(Optional.of(workers), Optional.of(capacity), Optional.of("2s"), Optional.empty(), Optional.empty()))
                .resolve();
        store = failingWhileDown(InMemoryDeploymentStore.create(100, 1 << 20));
        robot = Autodeploy.builder(config).deploymentApi(github).commitChecks(new FakeCommitChecks()).notifier(notifier)
                .protectionRules(protectionRules).store(store)
                .commandRunner((step, sink, cancellation) -> {
                    ran.incrementAndGet();
                    sink.line(OutputSink.Stream.STDOUT, "deploying with token " + TOKEN);
                    sink.line(OutputSink.Stream.STDOUT, "<script>alert(1)</script>");
                    try {
                        while (holding && !hold.await(20, TimeUnit.MILLISECONDS)) {
                            if (cancellation.isCancelled()) {
                                return new StepResult(StepResult.Outcome.CANCELLED, -1, Duration.ZERO, "cancelled");
                            }
                            sink.line(OutputSink.Stream.STDOUT, "still working " + System.nanoTime());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    for (int i = 0; i < extraLines; i++) {
                        sink.line(OutputSink.Stream.STDOUT, "output line " + i);
                    }
                    sink.line(OutputSink.Stream.STDOUT, "done");
                    return new StepResult(StepResult.Outcome.SUCCEEDED, 0, Duration.ofMillis(5), "exit code 0");
                }).build();
    }

    private DeploymentStore failingWhileDown(DeploymentStore real) {
        return (DeploymentStore) Proxy.newProxyInstance(DeploymentStore.class.getClassLoader(), new Class<?>[] {DeploymentStore.class},
                (proxy, method, args) -> {
                    if (storeDown && !method.isDefault()) {
                        throw new IllegalStateException("connection refused: jdbc:postgresql://db/autodeploy?password=hunter2");
                    }
                    try {
                        if (method.getName().equals("readLog") && !method.isDefault()) {
                            io.github.autodeploy.core.store.LogChunk all = (io.github.autodeploy.core.store.LogChunk) method.invoke(real, args);
                            int n = Math.min(all.lines().size(), linesPerRead);
                            return n == all.lines().size() ? all
                                    : new io.github.autodeploy.core.store.LogChunk(all.firstLine(), all.lines().subList(0, n), all.firstLine() + n);
                        }
                        return method.isDefault() ? InvocationHandler.invokeDefault(proxy, method, args) : method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    WebhookServlet servlet(long maxBody) {
        return new WebhookServlet(robot, verifier, parser, maxBody);
    }

    @Override
    public void close() {
        hold.countDown();
        robot.close();
    }
}
