package io.github.autodeploy.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.port.ProtectionRuleTarget;
import io.github.autodeploy.core.store.GatedRun;
import io.github.autodeploy.testkit.ManualTimeSource;
import io.github.autodeploy.testkit.Values;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gated Actions deployments in the JDBC store beyond the contract: pruning, the approvals' encoding,
 * and two nodes on one PostgreSQL database deciding one run at once.
 */
class GatedRunsTest {
    @TempDir
    static Path folder;

    static Stream<String> databases() {
        return Stream.of("sqlite", "postgresql");
    }

    private static String url(String database) {
        return database.equals("sqlite")
                ? "jdbc:sqlite:" + folder.resolve("gated-" + System.nanoTime() + ".db")
                : TestPostgres.freshSchemaUrl();
    }

    private static GatedRun run(long runId, Instant at) {
        ProtectionRuleTarget target = new ProtectionRuleTarget(Values.REPO, runId, EnvironmentName.PRODUCTION,
                OptionalLong.of(99));
        return GatedRun.requested(target, DeploymentId.of(500 + runId), Values.SHA, GitRef.of("main"), "octocat",
                "workflow_dispatch", at, at.plus(Duration.ofHours(1)));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void pruneRemovesRunsDecidedLongerThanTheRetentionAgoAndKeepsWaitingOnes(String database) {
        ManualTimeSource time = ManualTimeSource.at("2026-11-27T10:00:00Z");
        try (JdbcDeploymentStore store = JdbcDeploymentStore.builder().url(url(database)).timeSource(time)
                .retention(Duration.ofDays(90)).dedupeWindow(Duration.ofDays(7)).build()) {
            GatedRun waitingLong = run(1, time.now());
            GatedRun decidedOld = run(2, time.now());
            store.insertGated(waitingLong, DeliveryId.of("d-1"));
            store.insertGated(decidedOld, DeliveryId.of("d-2"));
            store.replaceGated(decidedOld.atVersion(1).decided(GatedRun.State.REJECTED, "deadline passed", Optional.empty(),
                    time.now().plusSeconds(3600)).delivered(GatedRun.Delivery.SENT)).orElseThrow();
            time.advance(Duration.ofDays(60));
            GatedRun decidedRecent = run(3, time.now());
            store.insertGated(decidedRecent, DeliveryId.of("d-3"));
            store.replaceGated(decidedRecent.atVersion(1).decided(GatedRun.State.APPROVED, "CI green", Optional.empty(),
                    time.now())).orElseThrow();

            assertThat(store.prune().gatedRuns()).isZero();
            time.advance(Duration.ofDays(31));
            PruneResult pruned = store.prune();
            assertThat(pruned.gatedRuns()).isEqualTo(1);
            assertThat(store.gated(decidedOld.key())).isEmpty();
            assertThat(store.gated(decidedRecent.key())).isPresent();
            assertThat(store.gated(waitingLong.key())).as("a waiting run stays, however old").isPresent();
            time.advance(Duration.ofDays(365));
            assertThat(store.prune().gatedRuns()).isEqualTo(1);
            assertThat(store.gatedRuns(10)).extracting(GatedRun::key).containsExactly(waitingLong.key());
        }
    }

    @Test
    void approvalsAreOneLinePerApprovalWithTheirTimeInNanoseconds() {
        List<GatedRun.Approval> approvals = List.of(new GatedRun.Approval("alice", Instant.parse("2026-11-27T10:00:00.000000001Z")),
                new GatedRun.Approval("Bob-2", Instant.parse("1969-12-31T23:59:59.5Z")));
        String text = Gated.approvals(approvals);
        assertThat(text).isEqualTo("1795773600000000001 alice\n-500000000 Bob-2");
        assertThat(Gated.approvals(text)).isEqualTo(approvals);
        assertThat(Gated.approvals("")).isEmpty();
    }

    @Test
    void ofManyThreadsOnTwoNodesDecidingOneRunOnPostgresExactlyOneDecides() throws Exception {
        String url = TestPostgres.freshSchemaUrl();
        int perNode = 6;
        try (JdbcDeploymentStore nodeA = JdbcDeploymentStore.builder().url(url).nodeId("node-a").poolSize(perNode).build();
             JdbcDeploymentStore nodeB = JdbcDeploymentStore.builder().url(url).nodeId("node-b").poolSize(perNode).build()) {
            GatedRun run = run(7, Instant.parse("2026-11-27T10:00:00Z"));
            assertThat(nodeA.insertGated(run, DeliveryId.of("d-a"))).isTrue();
            assertThat(nodeB.insertGated(run, DeliveryId.of("d-b"))).as("the other node's insert is refused").isFalse();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2 * perNode);
            try {
                List<Future<Integer>> decisions = new ArrayList<>();
                for (int t = 0; t < 2 * perNode; t++) {
                    JdbcDeploymentStore node = t % 2 == 0 ? nodeA : nodeB;
                    String user = "user" + t;
                    decisions.add(pool.submit(() -> decideRepeatedly(node, run.key(), user, 2 * perNode, start)));
                }
                start.countDown();
                int won = 0;
                for (Future<Integer> f : decisions) {
                    won += f.get(60, TimeUnit.SECONDS);
                }
                GatedRun decided = nodeB.gated(run.key()).orElseThrow();
                // Every thread first approved once (2 * perNode changes), then exactly one decided.
                assertThat(won).isEqualTo(1);
                assertThat(decided.approvals()).hasSize(2 * perNode);
                assertThat(decided.version()).isEqualTo(1 + 2L * perNode + 1);
                assertThat(decided.state()).isEqualTo(GatedRun.State.APPROVED);
                assertThat(decided.reason()).isEqualTo("decided by " + decided.decidedBy().orElseThrow());
                assertThat(nodeA.gated(run.key())).contains(decided);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * Adds {@code user}'s approval (retrying on a lost compare-and-set, so no approval is lost), then,
     * once all {@code approvers} approved, tries to decide until the run is decided; answers 1 when this thread's decision was stored.
     */
    private static int decideRepeatedly(JdbcDeploymentStore node, String key, String user, int approvers,
                                        CountDownLatch start)
            throws InterruptedException {
        start.await();
        Instant at = Instant.parse("2026-11-27T10:05:00Z");
        GatedRun seen = node.gated(key).orElseThrow();
        while (!seen.approvedBy(user)) {
            Optional<GatedRun> stored = node.replaceGated(seen.approvedAs(user, at));
            seen = stored.isPresent() ? stored.get() : node.gated(key).orElseThrow();
        }
        while (true) {
            if (!seen.waiting()) {
                return 0;
            }
            if (seen.approvals().size() == approvers) {
                if (node.replaceGated(seen.decided(GatedRun.State.APPROVED, "decided by " + user, Optional.of(user), at)).isPresent()) {
                    return 1;
                }
            } else {
                // Not every approval is in yet: wait for them by reading again (no decision before all are in).
                Thread.onSpinWait();
            }
            seen = node.gated(key).orElseThrow();
        }
    }
}
