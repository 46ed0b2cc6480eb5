package io.github.autodeploy.core.engine;

import static io.github.autodeploy.core.model.DeploymentState.IN_PROGRESS;
import static io.github.autodeploy.core.model.DeploymentState.QUEUED;
import static io.github.autodeploy.core.model.DeploymentState.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.config.RawEngine;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An idle robot keeps no thread of its pools (lanes, status posts, the CI and store threads) beyond its
 * periodic upkeep, and a pool makes a thread again when work comes. The robot runs in a thread group of its
 * own, so only its threads are counted.
 */
class IdleThreadsTest {
    private static final Duration KEEP_ALIVE = Duration.ofMillis(100);

    @Test
    void poolThreadsEndWhenIdleAndComeBackForTheNextDeployment() throws Exception {
        ThreadGroup group = new ThreadGroup("idle-threads-test");
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread body = new Thread(group, () -> {
            try (Harness h = new Harness(Harness.config(Harness.rule().build(), RawEngine.defaults()),
                    b -> b.idleThreadKeepAlive(KEEP_ALIVE))) {
                h.robot.start();
                h.deploy(h.deployment(1, "block"));
                h.awaitStates(1, QUEUED, IN_PROGRESS);
                assertThat(robotThreads(group)).as("the lane running the first deployment").anyMatch(n -> n.startsWith("autodeploy-lane-"));
                h.runner.release();
                h.awaitStates(1, QUEUED, IN_PROGRESS, SUCCESS);
                await().atMost(Duration.ofSeconds(20)).until(() -> robotThreads(group).isEmpty());

                // Every pool thread has ended: the second deployment runs on threads made again.

                h.deploy(h.deployment(2, "echo two"));
                h.awaitStates(2, QUEUED, IN_PROGRESS, SUCCESS);
                assertThat(h.robot.log(io.github.autodeploy.core.model.DeploymentId.of(2), 0).lines()).contains("two");
                await().atMost(Duration.ofSeconds(20)).until(() -> robotThreads(group).isEmpty());
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "idle-threads-test");
        body.start();
        body.join();
        if (failed.get() != null) {
            throw new AssertionError(failed.get());
        }
    }

    /**
     * Embedded in a host, a started robot on the system clock that has taken no delivery yet runs its upkeep only:
     * its CI thread (recovery) and its store thread (log batches, held deployments), at most eight threads of its own.
     */
    @Test
    void aStartedRobotWithoutDeliveriesRunsAtMostEightThreadsOfItsOwn() throws Exception {
        ThreadGroup group = new ThreadGroup("idle-start-test");
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread body = new Thread(group, () -> {
            try (Harness h = new Harness(Harness.config(Harness.rule().build(), RawEngine.defaults()),
                    b -> b.timeSource(io.github.autodeploy.core.time.TimeSource.system()))) {
                assertThat(robotThreads(group)).as("threads before start()").isEmpty();
                h.robot.start();
                await().atMost(Duration.ofSeconds(20)).until(() -> h.robot.health().recovered());
                // the store thread's tick comes every 500 ms: wait until it has run at least once
                await().atMost(Duration.ofSeconds(20)).until(() -> robotThreads(group).stream().anyMatch(n -> n.startsWith("autodeploy-store-")));
                assertThat(robotThreads(group)).as("the robot's own threads, idle after start").hasSizeLessThanOrEqualTo(8)
                        .noneMatch(n -> n.startsWith("autodeploy-lane-") || n.startsWith("autodeploy-status-")
                                || n.startsWith("autodeploy-gate-"));
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "idle-start-test");
        body.start();
        body.join();
        if (failed.get() != null) {
            throw new AssertionError(failed.get());
        }
    }

    @Test
    void keepAliveMustBePositive() {
        Autodeploy.Builder b = Autodeploy.builder(Harness.config(Harness.rule().build(), RawEngine.defaults()));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.idleThreadKeepAlive(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }

    /** The robot's own threads in {@code group}, by the names its pools give them. */
    private static List<String> robotThreads(ThreadGroup group) {
        Thread[] threads = new Thread[group.activeCount() + 16];
        int n = group.enumerate(threads);
        return Arrays.stream(threads, 0, n).filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("autodeploy-")).toList();
    }
}
