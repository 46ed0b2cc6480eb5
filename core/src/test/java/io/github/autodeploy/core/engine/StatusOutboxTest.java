package io.github.autodeploy.core.engine;

import static io.github.autodeploy.core.model.DeploymentState.FAILURE;
import static io.github.autodeploy.core.model.DeploymentState.IN_PROGRESS;
import static io.github.autodeploy.core.model.DeploymentState.QUEUED;
import static io.github.autodeploy.core.model.DeploymentState.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.port.ApiException;
import io.github.autodeploy.core.port.CreateResult;
import io.github.autodeploy.core.port.DeploymentApi;
import io.github.autodeploy.core.port.NewDeployment;
import io.github.autodeploy.core.port.StatusPost;
import io.github.autodeploy.core.port.UnfinishedDeployment;
import io.github.autodeploy.testkit.ManualTimeSource;
import io.github.autodeploy.testkit.Values;
import io.github.autodeploy.core.time.RetryPolicy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusOutboxTest {
    private static final RepositoryName REPO = Values.REPO;
    private static final DeploymentId ONE = DeploymentId.of(1);
    private static final DeploymentId TWO = DeploymentId.of(2);
    private final ManualTimeSource time = ManualTimeSource.at("2026-11-27T10:00:00Z");
    private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2);
    private final ScriptedGitHub github = new ScriptedGitHub();
    private final List<String> gaveUp = new ArrayList<>();
    /** What the outbox reported as out, "id#count", in the order it did. */
    private final List<String> postedCounts = new ArrayList<>();
    private final StatusOutbox outbox = new StatusOutbox(github, threads, time,
            new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(5), 0.2), (id, why) -> {
                synchronized (gaveUp) {
                    gaveUp.add(id + ": " + why);
                }
            }, (id, count) -> {
                synchronized (postedCounts) {
                    postedCounts.add(id + "#" + count);
                }
            });
    private final java.util.Map<DeploymentId, Integer> numbered = new java.util.HashMap<>();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    /** GitHub's statuses API that fails each deployment's posts as scripted, and remembers what landed and when. */
    private final class ScriptedGitHub implements DeploymentApi {
        private final Map<DeploymentId, Deque<RuntimeException>> failures = new HashMap<>();
        private final Map<DeploymentId, List<DeploymentState>> landed = new HashMap<>();
        private final Map<DeploymentId, Integer> attempts = new HashMap<>();
        /** Deployments whose next post throws an Error (a bug, a StackOverflowError), once each. */
        private final java.util.Set<DeploymentId> crashing = new java.util.HashSet<>();

        synchronized void crash(DeploymentId id) {
            crashing.add(id);
        }

        synchronized void fail(DeploymentId id, int times, RuntimeException e) {
            for (int i = 0; i < times; i++) {
                failures.computeIfAbsent(id, k -> new ArrayDeque<>()).addLast(e);
            }
        }

        @Override
        public synchronized void postStatus(RepositoryName repository, DeploymentId id, StatusPost status) {
            attempts.merge(id, 1, Integer::sum);
            if (crashing.remove(id)) {
                throw new AssertionError("a bug in the client");
            }
            RuntimeException failure = failures.getOrDefault(id, new ArrayDeque<>()).pollFirst();
            if (failure != null) {
                throw failure;
            }
            landed.computeIfAbsent(id, k -> new ArrayList<>()).add(status.update().state());
        }

        synchronized List<DeploymentState> landed(DeploymentId id) {
            return List.copyOf(landed.getOrDefault(id, List.of()));
        }

        synchronized int attempts(DeploymentId id) {
            return attempts.getOrDefault(id, 0);
        }

        @Override
        public CreateResult create(NewDeployment request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<DeploymentId> find(NewDeployment request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<UnfinishedDeployment> listUnfinished(RepositoryName repository, EnvironmentName environment) {
            throw new UnsupportedOperationException();
        }
    }

    private void post(DeploymentId id, DeploymentState... states) {
        for (DeploymentState s : states) {
            outbox.post(REPO, id, Values.status(s, "https://deploy.example.com/deployments/" + id + "/k"),
                    numbered.merge(id, 1, Integer::sum));
        }
    }

    private static ApiException secondaryRateLimit() {
        return new ApiException("POST /statuses was rate limited (403 secondary rate limit)", true,
                Optional.of(Duration.ofSeconds(60)), null);
    }

    @Test
    void aStatusGitHubRateLimitsIsNotTriedBeforeTheAskedDelayAndThenLands() {
        github.fail(ONE, 1, secondaryRateLimit());
        post(ONE, QUEUED);
        await().until(() -> github.attempts(ONE) == 1);
        time.advance(Duration.ofSeconds(59));
        assertThat(github.attempts(ONE)).isEqualTo(1);
        assertThat(github.landed(ONE)).isEmpty();
        time.advance(Duration.ofSeconds(1));
        await().until(() -> github.landed(ONE).equals(List.of(QUEUED)));
    }

    @Test
    void statusesLandInOrderHoweverLongGitHubRefuses() {
        Random random = new Random(7);
        RuntimeException[] faults = {
            new ApiException("POST answered 502", true),
            new ApiException("rate limited (429)", true, Optional.of(Duration.ofSeconds(30)), null),
            new ApiException("connection reset", true),
            new IllegalStateException("unexpected answer")};
        for (int i = 0; i < 40; i++) {
            github.fail(ONE, 1, faults[random.nextInt(faults.length)]);
        }
        post(ONE, QUEUED, IN_PROGRESS, SUCCESS);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(() -> {
            time.advance(Duration.ofMinutes(1));
            return github.landed(ONE).size() == 3;
        });
        assertThat(github.landed(ONE)).containsExactly(QUEUED, IN_PROGRESS, SUCCESS);
        assertThat(github.attempts(ONE)).isEqualTo(43);
        assertThat(gaveUp).isEmpty();
        await().until(() -> postedCount() == 3);
        assertThat(postedCounts).containsExactly("1#1", "1#2", "1#3");
    }

    private int postedCount() {
        synchronized (postedCounts) {
            return postedCounts.size();
        }
    }

    @Test
    void oneDeploymentsRetryingStatusDoesNotDelayAnothers() throws InterruptedException {
        github.fail(ONE, 1, secondaryRateLimit());
        post(ONE, QUEUED, IN_PROGRESS);
        await().until(() -> github.attempts(ONE) == 1);
        post(TWO, QUEUED, IN_PROGRESS, FAILURE);
        await().until(() -> github.landed(TWO).size() == 3);
        assertThat(github.landed(TWO)).containsExactly(QUEUED, IN_PROGRESS, FAILURE);
        assertThat(github.landed(ONE)).isEmpty();
        assertThat(outbox.awaitIdle(Duration.ZERO)).isFalse();
        time.advance(Duration.ofSeconds(60));
        await().until(() -> github.landed(ONE).size() == 2);
        assertThat(github.landed(ONE)).containsExactly(QUEUED, IN_PROGRESS);
    }

    @Test
    void postsThatEndInAnErrorDoNotKeepLaterStatusesFromBeingSent() {
        // As many Errors as the outbox runs senders at most (the pool's two threads): each ends its sender.
        github.crash(ONE);
        github.crash(TWO);
        post(ONE, QUEUED);
        post(TWO, QUEUED);
        await().until(() -> github.attempts(ONE) == 1 && github.attempts(TWO) == 1);

        DeploymentId three = DeploymentId.of(3);
        post(three, QUEUED, SUCCESS);

        await().until(() -> github.landed(three).equals(List.of(QUEUED, SUCCESS)));
    }

    @Test
    void aStatusGitHubRefusesForGoodIsReportedAndTheNextOneStillGoes() {
        github.fail(ONE, 1, new ApiException("422 Unprocessable Entity: bad state", false));
        post(ONE, QUEUED, SUCCESS);
        await().until(() -> github.landed(ONE).equals(List.of(SUCCESS)));
        assertThat(gaveUp).containsExactly("1: status queued was not posted to GitHub after 1 attempt: 422 Unprocessable Entity: bad state");
        // Refused for good counts as out: a restart must not post it again.
        await().until(() -> postedCount() == 2);
        assertThat(postedCounts).containsExactly("1#1", "1#2");
    }

    @Test
    void pastTheBoundEveryDroppedStatusIsToldToItsDeploymentHoweverFewLinesAreLogged() {
        github.fail(ONE, 1, secondaryRateLimit());
        for (int i = 0; i < StatusOutbox.MAX_WAITING; i++) {
            post(ONE, QUEUED);
        }
        await().until(() -> github.attempts(ONE) == 1);
        List<DeploymentId> late = new ArrayList<>();
        for (long id = 100; id < 150; id++) {
            late.add(DeploymentId.of(id));
            post(DeploymentId.of(id), QUEUED);
        }
        synchronized (gaveUp) {
            assertThat(gaveUp).hasSize(late.size()).allMatch(line -> line.endsWith(": status queued was not posted to GitHub: "
                    + StatusOutbox.MAX_WAITING + " statuses already wait for GitHub to accept them"));
            assertThat(gaveUp.stream().map(line -> line.substring(0, line.indexOf(':'))).toList())
                    .isEqualTo(late.stream().map(DeploymentId::toString).toList());
        }
        assertThat(outbox.waiting()).isEqualTo(StatusOutbox.MAX_WAITING);
    }

    @Test
    void noThreadWaitsForARetry() {
        github.fail(ONE, 1, secondaryRateLimit());
        github.fail(TWO, 1, secondaryRateLimit());
        post(ONE, QUEUED);
        post(TWO, QUEUED);
        await().until(() -> github.attempts(ONE) == 1 && github.attempts(TWO) == 1);
        assertThat(time.waitingTasks()).isEqualTo(2);
        // Both status threads are free while both retries wait: a third deployment's status goes at once.
        DeploymentId three = DeploymentId.of(3);
        post(three, QUEUED);
        await().until(() -> github.landed(three).equals(List.of(QUEUED)));
    }
}
