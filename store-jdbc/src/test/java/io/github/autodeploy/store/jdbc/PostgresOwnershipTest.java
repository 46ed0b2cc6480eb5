package io.github.autodeploy.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.store.Orphans;
import io.github.autodeploy.core.store.WaitingMerge;
import io.github.autodeploy.testkit.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several store instances on one PostgreSQL database (several nodes): what one owns is taken over by
 * another only once its lease ran out, never twice, and never once it is settled.
 */
class PostgresOwnershipTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private final ManualTimeSource time = ManualTimeSource.at("2026-11-27T10:00:00Z");
    private final List<JdbcDeploymentStore> opened = new ArrayList<>();
    private String url;
    private JdbcDeploymentStore nodeA;
    private JdbcDeploymentStore nodeB;

    @BeforeEach
    void twoNodes() {
        url = TestPostgres.freshSchemaUrl();
        nodeA = node("node-a");
        nodeB = node("node-b");
    }

    private JdbcDeploymentStore node(String id) {
        JdbcDeploymentStore s = JdbcDeploymentStore.builder().url(url).nodeId(id).poolSize(3).timeSource(time)
                .leaseTimeout(LEASE).build();
        opened.add(s);
        return s;
    }

    @AfterEach
    void close() {
        opened.forEach(JdbcDeploymentStore::close);
    }

    @Test
    void theStoreIsDurableAndShared() {
        assertThat(nodeA.durable()).isTrue();
        assertThat(nodeA.shared()).isTrue();
        assertThat(nodeA.owner()).startsWith("node-a#").isNotEqualTo(node("node-a").owner());
    }

    @Test
    void nothingIsAdoptedWhileItsOwnersLeaseIsFresh() {
        nodeA.insert(Records.queued(1, time.now()));
        nodeA.park(Records.merge("req-1", time.now().plusSeconds(3600)));
        time.advance(LEASE.minusSeconds(1));
        assertThat(nodeB.adoptOrphans().isEmpty()).isTrue();
    }

    @Test
    void whatAnOwnerLeftIsAdoptedWithItsPostedCountOnceTheLeaseRanOut() {
        Instant at = time.now();
        nodeA.insert(Records.queued(1, at));
        nodeA.insert(Records.running(2, at));
        nodeA.markPosted(DeploymentId.of(2), 1);
        WaitingMerge merge = Records.merge("req-1", at.plusSeconds(3600));
        nodeA.park(merge);
        time.advance(LEASE.plusSeconds(1));

        Orphans taken = nodeB.adoptOrphans();

        assertThat(taken.deployments()).containsExactly(new Orphans.Adopted(Records.queued(1, at), 0),
                new Orphans.Adopted(Records.running(2, at), 1));
        assertThat(taken.waiting()).containsExactly(merge);
        assertThat(nodeB.adoptOrphans().isEmpty()).as("what a node adopted is its own").isTrue();
        assertThat(nodeA.adoptOrphans().isEmpty()).as("the adopter's lease is fresh").isTrue();
        assertThat(node("node-c").adoptOrphans().isEmpty()).isTrue();
    }

    @Test
    void renewedLeasesKeepWhatANodeOwnsFromBeingAdopted() {
        nodeA.insert(Records.running(1, time.now()));
        nodeA.park(Records.merge("req-1", time.now().plusSeconds(3600)));
        time.advance(Duration.ofSeconds(20));
        nodeA.renewLeases();
        time.advance(Duration.ofSeconds(20));
        assertThat(nodeB.adoptOrphans().isEmpty()).isTrue();

        time.advance(Duration.ofSeconds(11));
        Orphans taken = nodeB.adoptOrphans();
        assertThat(taken.deployments()).hasSize(1);
        assertThat(taken.waiting()).hasSize(1);
    }

    @Test
    void anUpdateByAnotherNodeLeavesTheDeploymentWithItsOwner() {
        nodeA.insert(Records.queued(1, time.now()));
        time.advance(LEASE.plusSeconds(1));
        nodeB.update(Records.running(1, Instant.parse("2026-11-27T10:00:00Z")));
        assertThat(nodeB.adoptOrphans().deployments()).extracting(a -> a.record().state().name()).containsExactly("IN_PROGRESS");
    }

    @Test
    void settledDeploymentsAreNeverAdopted() {
        Instant at = time.now();
        nodeA.insert(Records.finished(1, at));
        nodeA.markPosted(DeploymentId.of(1), 3);
        nodeA.insert(Records.finished(2, at));
        nodeA.markPosted(DeploymentId.of(2), 2);
        nodeA.insert(Records.queued(3, at));
        nodeA.update(Records.queued(3, at).withLifecycle(Records.queued(3, at).lifecycle()
                .advance(DeploymentState.INACTIVE, "superseded", at).lifecycle()));
        nodeA.markPosted(DeploymentId.of(3), 2);
        time.advance(Duration.ofDays(1));

        assertThat(nodeB.adoptOrphans().deployments()).as("finished with a status not posted yet is not settled")
                .extracting(a -> a.record().deployment().id().value()).containsExactly(2L);
        assertThat(nodeB.postedCount(DeploymentId.of(1))).isEqualTo(3);
    }

    @Test
    void nodesAdoptingAtOnceTakeDisjointSetsThatCoverEveryOrphan() throws Exception {
        Instant at = time.now();
        Set<Long> deployments = new HashSet<>();
        for (long id = 1; id <= 60; id++) {
            nodeA.insert(id % 2 == 0 ? Records.running(id, at) : Records.queued(id, at));
            deployments.add(id);
        }
        Set<String> merges = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            nodeA.park(Records.merge("req-" + i, at.plusSeconds(3600 + i)));
            merges.add("req-" + i);
        }
        time.advance(LEASE.plusSeconds(1));
        List<JdbcDeploymentStore> takers = List.of(nodeB, node("node-c"), node("node-d"));

        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Orphans>> results = new ArrayList<>();
        for (JdbcDeploymentStore taker : takers) {
            results.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return taker.adoptOrphans();
            }));
        }
        go.countDown();

        List<Long> takenDeployments = new ArrayList<>();
        List<String> takenMerges = new ArrayList<>();
        for (CompletableFuture<Orphans> r : results) {
            Orphans o = r.get(60, TimeUnit.SECONDS);
            o.deployments().forEach(a -> takenDeployments.add(a.record().deployment().id().value()));
            o.waiting().forEach(m -> takenMerges.add(m.requestId()));
        }
        assertThat(takenDeployments).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(deployments);
        assertThat(takenMerges).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(merges);
        assertThat(nodeA.adoptOrphans().isEmpty()).isTrue();
    }
}
