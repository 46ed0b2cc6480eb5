package io.github.autodeploy.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.store.LogLines;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepOutputTailTest {

    @Test
    void keepsTheLastLinesAcrossChunksOfAnySize() {
        DeploymentRun.Tail tail = new DeploymentRun.Tail();
        List<String> all = new ArrayList<>();
        int n = 0;
        for (int chunk = 0; chunk < 200; chunk++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < chunk % 23; i++) {
                lines.add("line " + n++);
            }
            all.addAll(lines);
            tail.add(chunk % 2 == 0 ? LogLines.copyOf(lines) : lines);
            assertThat(tail.lines()).isEqualTo(all.subList(Math.max(0, all.size() - DeploymentRun.TAIL_LINES), all.size()));
        }
        assertThat(tail.lines()).hasSize(DeploymentRun.TAIL_LINES);
    }

    @Test
    void aChunkLongerThanTheTailLeavesItsOwnLastLines() {
        DeploymentRun.Tail tail = new DeploymentRun.Tail();
        tail.add(List.of("first"));
        List<String> big = new ArrayList<>();
        for (int i = 0; i < DeploymentRun.TAIL_LINES + 7; i++) {
            big.add("big " + i);
        }
        tail.add(LogLines.copyOf(big));
        assertThat(tail.lines()).isEqualTo(big.subList(7, big.size()));
        assertThat(new DeploymentRun.Tail().lines()).isEmpty();
    }
}
