package io.github.autodeploy.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.autodeploy.core.model.DeploymentState;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Model-based test of the state machine: random sequences of attempted transitions, checked against
 * an independent statement of the rules rather than against {@link Transitions} itself.
 */
class DeploymentLifecycleFuzzTest {
    private static final DeploymentState[] STATES = DeploymentState.values();

    /** The rules, written out again on purpose, so a wrong table fails here. */
    private static boolean expectedLegal(DeploymentState from, DeploymentState to) {
        Set<DeploymentState> terminal = EnumSet.of(DeploymentState.SUCCESS, DeploymentState.FAILURE, DeploymentState.ERROR);
        if (to == DeploymentState.UNKNOWN || to == DeploymentState.PENDING) {
            return false;
        }
        return switch (from) {
            case PENDING -> to == DeploymentState.QUEUED || to == DeploymentState.IN_PROGRESS
                    || to == DeploymentState.ERROR || to == DeploymentState.INACTIVE;
            case QUEUED -> to == DeploymentState.QUEUED || to == DeploymentState.IN_PROGRESS || to == DeploymentState.ERROR
                    || to == DeploymentState.INACTIVE;
            case IN_PROGRESS -> terminal.contains(to);
            case SUCCESS, FAILURE, ERROR -> to == DeploymentState.INACTIVE;
            case INACTIVE, UNKNOWN -> false;
        };
    }

    @FuzzTest(maxDuration = "10s")
    void onlyTableTransitionsHappen(FuzzedDataProvider data) {
        DeploymentLifecycle lifecycle = DeploymentLifecycle.created();
        Instant now = Instant.parse("2026-11-27T00:00:00Z");
        boolean wasTerminal = false;
        int steps = data.consumeInt(0, 40);
        for (int i = 0; i < steps; i++) {
            DeploymentState next = data.pickValue(STATES);
            String description = data.consumeString(300);
            now = now.plusMillis(data.consumeInt(0, 10_000));
            DeploymentState from = lifecycle.state();
            if (expectedLegal(from, next)) {
                DeploymentLifecycle.Step step = lifecycle.advance(next, description, now);
                assertThat(step.update().state()).isEqualTo(next);
                assertThat(step.lifecycle().state()).isEqualTo(next);
                assertThat(step.update().description().length()).isLessThanOrEqualTo(StatusUpdate.MAX_DESCRIPTION);
                assertThat(step.update().at()).isEqualTo(now);
                assertThat(step.lifecycle().history()).hasSize(lifecycle.history().size() + 1).endsWith(step.update());
                if (wasTerminal) {
                    assertThat(next).isEqualTo(DeploymentState.INACTIVE);
                }
                lifecycle = step.lifecycle();
                wasTerminal |= next.isTerminal();
            } else {
                DeploymentLifecycle before = lifecycle;
                assertThatThrownBy(() -> before.advance(next, description, Instant.EPOCH))
                        .isInstanceOf(IllegalTransitionException.class)
                        .hasMessageContaining(from.apiValue())
                        .hasMessageContaining(next.apiValue());
                assertThat(lifecycle).isEqualTo(before);
            }
        }
        for (int i = 0; i + 1 < lifecycle.history().size(); i++) {
            assertThat(expectedLegal(lifecycle.history().get(i).state(), lifecycle.history().get(i + 1).state())).isTrue();
        }
    }
}
