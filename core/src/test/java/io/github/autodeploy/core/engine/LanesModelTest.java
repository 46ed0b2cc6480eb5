package io.github.autodeploy.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.config.RawRepo;
import io.github.autodeploy.core.config.RawRule;
import io.github.autodeploy.core.lifecycle.Transitions;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.port.StatusPost;
import io.github.autodeploy.testkit.ScriptedRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Model-based runs: many deployments over several lanes, in a random order of arrivals, outcomes and
 * cancellations drawn from a fixed seed, checked by a witness of what the runner and GitHub saw.
 */
class LanesModelTest {
    private static final String[] SCRIPTS = {"ok", "ok", "ok", "fail 1", "timeout", "missing", "block"};
    private static final List<String> ENVIRONMENTS = List.of("production", "staging", "qa", "eu");

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 1234, 2026, 77777, 9_000_001})
    void lanesNeverOverlapStayInOrderAndEveryDeploymentEndsOnce(long seed) {
        Random random = new Random(seed);
        boolean supersede = random.nextBoolean();
        Map<String, RawRule> envs = new HashMap<>();
        ENVIRONMENTS.forEach(e -> envs.put(e, RawRule.builder().build()));
        RawRepo repo = new RawRepo(Harness.rule().supersede(supersede).build(), envs);
        Harness h = new Harness(Harness.config(Map.of("octo/app", repo), Harness.engine(1 + random.nextInt(3), 500, "30s"),
                Optional.of(Harness.TOKEN)), b -> { });
        Map<Long, String> laneOf = new HashMap<>();
        List<Long> cancelled = new ArrayList<>();
        int count = 40 + random.nextInt(40);
        try {
            for (long id = 1; id <= count; id++) {
                String env = ENVIRONMENTS.get(random.nextInt(ENVIRONMENTS.size()));
                laneOf.put(id, "octo/app " + env);
                h.deploy(h.deployment(id, SCRIPTS[random.nextInt(SCRIPTS.length)], EnvironmentName.of(env)));
                if (random.nextInt(5) == 0) {
                    long victim = 1 + random.nextInt((int) id);
                    if (h.robot.cancel(DeploymentId.of(victim), "model cancels " + victim)) {
                        cancelled.add(victim);
                    }
                }
            }
            // Whatever still blocks is cancelled, so every deployment must end.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                h.robot.recent(500).stream().filter(r -> r.state() == DeploymentState.IN_PROGRESS)
                        .forEach(r -> h.robot.cancel(r.deployment().id(), "model ends the run"));
                return h.robot.recent(500).stream().allMatch(r -> r.lifecycle().isTerminal());
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> h.api.postAttempts() >= totalStatuses(h, count));
        } finally {
            h.close();
        }

        // Witness 1: within a lane, no two deployments ran at once.
        Map<String, String> runningInLane = new HashMap<>();
        for (ScriptedRunner.Event e : h.runner.events()) {
            if (e.start()) {
                assertThat(runningInLane.put(e.lane(), e.deploymentId())).as("lane %s overlap", e.lane()).isNull();
            } else {
                assertThat(runningInLane.remove(e.lane())).isEqualTo(e.deploymentId());
            }
        }
        // Witness 2: a lane starts deployments in arrival order (ids arrive increasing); skipped ones were superseded or cancelled.
        Map<String, Long> lastStarted = new HashMap<>();
        for (String id : h.runner.started()) {
            long n = Long.parseLong(id);
            Long before = lastStarted.put(laneOf.get(n), n);
            assertThat(before == null || before < n).as("lane %s started %s after %s", laneOf.get(n), n, before).isTrue();
        }
        for (long id = 1; id <= count; id++) {
            List<DeploymentState> states = h.api.states(DeploymentId.of(id));
            // Witness 3: statuses follow the table, from queued, to exactly one end.
            assertThat(states).as("deployment %s", id).isNotEmpty().startsWith(DeploymentState.QUEUED);
            for (int i = 0; i + 1 < states.size(); i++) {
                assertThat(Transitions.isLegal(states.get(i), states.get(i + 1))).as("deployment %s: %s", id, states).isTrue();
            }
            DeploymentState last = states.get(states.size() - 1);
            assertThat(last.isTerminal() || last == DeploymentState.INACTIVE).as("deployment %s ends: %s", id, states).isTrue();
            assertThat(states.stream().filter(s -> s.isTerminal() || s == DeploymentState.INACTIVE)).hasSize(1);
            boolean ran = h.runner.started().contains(Long.toString(id));
            if (!ran) {
                assertThat(last == DeploymentState.INACTIVE ? supersede : cancelled.contains(id))
                        .as("deployment %s never ran but ended %s", id, last).isTrue();
            }
            if (last == DeploymentState.INACTIVE) {
                assertThat(ran).isFalse();
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 1234, 2026, 77777, 9_000_001})
    void withShuffledArrivalALaneNeverStartsADeploymentOlderThanOneItStarted(long seed) {
        Random random = new Random(seed);
        boolean supersede = random.nextBoolean();
        Map<String, RawRule> envs = new HashMap<>();
        List<String> environments = ENVIRONMENTS.subList(0, 2);
        environments.forEach(e -> envs.put(e, RawRule.builder().build()));
        RawRepo repo = new RawRepo(Harness.rule().supersede(supersede).build(), envs);
        Harness h = new Harness(Harness.config(Map.of("octo/app", repo), Harness.engine(2, 500, "30s"),
                Optional.of(Harness.TOKEN)), b -> { });
        int count = 60 + random.nextInt(40);
        List<Long> arrival = new ArrayList<>();
        Map<Long, String> laneOf = new HashMap<>();
        for (long id = 1; id <= count; id++) {
            arrival.add(id);
            laneOf.put(id, "octo/app " + environments.get(random.nextInt(environments.size())));
        }
        // Mostly in order, as GitHub sends them, with some arriving late (a retry, a redelivery).
        for (int i = 0; i < count / 4; i++) {
            int from = random.nextInt(count);
            int to = Math.min(count - 1, from + 1 + random.nextInt(8));
            arrival.add(to, arrival.remove(from));
        }
        try {
            for (long id : arrival) {
                String env = laneOf.get(id).substring("octo/app ".length());
                h.deploy(h.deployment(id, random.nextInt(4) == 0 ? "fail 1" : "ok", EnvironmentName.of(env)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> h.robot.recent(500).size() == count
                    && h.robot.recent(500).stream().allMatch(r -> r.lifecycle().isTerminal()));
            await().atMost(Duration.ofSeconds(30)).until(() -> h.api.postAttempts() >= totalStatuses(h, count));
        } finally {
            h.close();
        }

        Map<String, Long> lastStarted = new HashMap<>();
        for (String id : h.runner.started()) {
            long n = Long.parseLong(id);
            Long before = lastStarted.put(laneOf.get(n), n);
            assertThat(before == null || before < n).as("lane %s started %s after %s", laneOf.get(n), n, before).isTrue();
        }
        int late = 0;
        for (long id = 1; id <= count; id++) {
            List<StatusPost> posts = h.api.statuses(DeploymentId.of(id));
            DeploymentState last = posts.get(posts.size() - 1).update().state();
            if (!h.runner.started().contains(Long.toString(id))) {
                assertThat(last).as("deployment %s never ran", id).isEqualTo(DeploymentState.INACTIVE);
                String description = posts.get(posts.size() - 1).update().description();
                assertThat(description).startsWith("superseded by deployment ");
                long newer = Long.parseLong(description.substring("superseded by deployment ".length()));
                assertThat(newer).isGreaterThan(id);
                assertThat(laneOf.get(newer)).isEqualTo(laneOf.get(id));
                late += arrival.indexOf(newer) < arrival.indexOf(id) ? 1 : 0;
            }
        }
        // The shuffle did produce late arrivals refused for a newer deployment already taken.
        assertThat(late).isPositive();
    }

    private static int totalStatuses(Harness h, int count) {
        int n = 0;
        for (long id = 1; id <= count; id++) {
            n += h.robot.find(DeploymentId.of(id)).map(r -> r.lifecycle().history().size()).orElse(0);
        }
        return n;
    }
}
