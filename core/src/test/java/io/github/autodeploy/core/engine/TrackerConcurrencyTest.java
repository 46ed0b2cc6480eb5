package io.github.autodeploy.core.engine;

import static io.github.autodeploy.core.model.DeploymentState.IN_PROGRESS;
import static io.github.autodeploy.core.model.DeploymentState.QUEUED;
import static io.github.autodeploy.core.model.DeploymentState.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.config.RawEngine;
import io.github.autodeploy.core.config.RawRepo;
import io.github.autodeploy.core.local.InMemoryDeploymentStore;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The tracker serializes changes per deployment, never across deployments. */
class TrackerConcurrencyTest {

    @Test
    void aDeploymentStalledInItsStoreWriteDoesNotHoldUpAnotherLane() throws InterruptedException {
        BrokenStore store = new BrokenStore(InMemoryDeploymentStore.create(100, 64 * 1024));
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean stalling = new AtomicBoolean();
        store.beforeUpdate = r -> {
            if (r.deployment().id().equals(DeploymentId.of(1)) && r.state() == IN_PROGRESS
                    && stalled.getCount() == 1) {
                stalling.set(true);
                stalled.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    stalling.set(false);
                }
            }
        };
        RawRepo repo = new RawRepo(Harness.rule().build(), Map.of("production", Harness.rule().build(),
                "staging", Harness.rule().build()));
        try (Harness h = new Harness(Harness.config(Map.of("octo/app", repo), RawEngine.defaults(),
                Optional.of(Harness.TOKEN)), b -> b.store(store))) {
            h.deploy(h.deployment(1, "ok"));
            assertThat(stalled.await(20, TimeUnit.SECONDS)).as("deployment 1 reached its stalled write").isTrue();

            h.deploy(h.deployment(2, "ok", EnvironmentName.of("staging")));
            h.awaitStates(2, QUEUED, IN_PROGRESS, SUCCESS);
            assertThat(stalling).as("deployment 2 finished while deployment 1 was still stalled").isTrue();

            release.countDown();
            h.awaitStates(1, QUEUED, IN_PROGRESS, SUCCESS);
        } finally {
            release.countDown();
        }
    }
}
