package io.github.autodeploy.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.model.DeploymentState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusUpdateTest {

    @Test
    void descriptionLongerThanGitHubAllowsIsCutWithAnEllipsis() {
        StatusUpdate u = new StatusUpdate(DeploymentState.FAILURE, "x".repeat(200), Instant.EPOCH);
        assertThat(u.description()).hasSize(140).endsWith("\u2026");
        assertThat(new StatusUpdate(DeploymentState.FAILURE, "y".repeat(140), Instant.EPOCH).description()).isEqualTo("y".repeat(140));
    }

    @Test
    void cuttingNeverSplitsASurrogatePair() {
        String text = "a".repeat(138) + "\uD83D\uDE80" + "tail";
        String cut = StatusUpdate.shorten(text, 140);
        assertThat(cut).hasSizeLessThanOrEqualTo(140).endsWith("\u2026");
        assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 2))).isFalse();
    }

    @Test
    void terminalStateAcceptsOnlyInactive() {
        DeploymentLifecycle done = DeploymentLifecycle.created()
                .advance(DeploymentState.QUEUED, "queued", Instant.EPOCH).lifecycle()
                .advance(DeploymentState.IN_PROGRESS, "running", Instant.EPOCH).lifecycle()
                .advance(DeploymentState.SUCCESS, "done", Instant.EPOCH).lifecycle();
        assertThat(Transitions.allowedFrom(done.state())).containsExactly(DeploymentState.INACTIVE);
        assertThat(done.isTerminal()).isTrue();
        assertThat(done.history()).extracting(StatusUpdate::state)
                .containsExactly(DeploymentState.QUEUED, DeploymentState.IN_PROGRESS, DeploymentState.SUCCESS);
    }
}
