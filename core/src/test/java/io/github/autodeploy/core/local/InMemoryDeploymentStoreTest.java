package io.github.autodeploy.core.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.lifecycle.DeploymentLifecycle;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.core.store.LogChunk;
import io.github.autodeploy.core.store.LogLines;
import io.github.autodeploy.testkit.DeploymentStoreContract;
import io.github.autodeploy.testkit.Values;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryDeploymentStoreTest extends DeploymentStoreContract {

    @Override
    protected DeploymentStore newStore() {
        return InMemoryDeploymentStore.create(3, 1024);
    }

    private static DeploymentRecord record(long id) {
        return DeploymentRecord.queued(Values.deployment(id), DeploymentLifecycle.created(),
                Instant.parse("2026-11-27T10:00:00Z").plusSeconds(id), "k");
    }

    @Test
    void dropsTheOldestDeploymentsPastTheHistoryLimit() {
        for (long id = 1; id <= 5; id++) {
            store.insert(record(id));
            store.appendLog(DeploymentId.of(id), "line of " + id);
        }
        assertThat(store.recent(10)).extracting(r -> r.deployment().id().value()).containsExactly(5L, 4L, 3L);
        assertThat(store.find(DeploymentId.of(1))).isEmpty();
        assertThat(store.readLog(DeploymentId.of(1), 0).lines()).isEmpty();
    }

    @Test
    void keepsTheTailOfALongLogAndSaysWhereItStarts() {
        store.insert(record(1));
        for (int i = 0; i < 1000; i++) {
            store.appendLog(DeploymentId.of(1), String.format("line %04d", i));
        }
        LogChunk chunk = store.readLog(DeploymentId.of(1), 0);
        assertThat(chunk.firstLine()).isPositive();
        assertThat(chunk.nextLine()).isEqualTo(1000);
        assertThat(chunk.lines()).last().isEqualTo("line 0999");
        assertThat(chunk.lines().stream().mapToInt(l -> l.length() + 1).sum()).isLessThanOrEqualTo(1024);
        assertThat(chunk.lines().get(0)).isEqualTo(String.format("line %04d", chunk.firstLine()));
    }

    @Test
    void aLogOfManyTinyLinesIsCountedForTheHeapEachLineTakes() {
        long limit = 1024 * 1024;
        InMemoryDeploymentStore small = InMemoryDeploymentStore.create(10, limit);
        small.insert(record(1));
        for (int i = 0; i < 520_000; i++) {
            small.appendLog(DeploymentId.of(1), "x");
        }
        List<String> kept = small.readLog(DeploymentId.of(1), 0).lines();
        // one character costs a String, its array and a slot: 56 bytes, not 2
        assertThat(InMemoryDeploymentStore.retainedBytes("x")).isEqualTo(56);
        assertThat(kept).hasSize((int) (limit / 56));
        assertThat(small.retainedLogBytes()).isEqualTo(kept.size() * 56L).isLessThanOrEqualTo(limit);
    }

    @Test
    void allLogsTogetherStayWithinTheirBudgetTheOldestLosingLinesFirst() {
        InMemoryDeploymentStore small = InMemoryDeploymentStore.create(100, 64 * 1024, 256 * 1024);
        for (long id = 1; id <= 10; id++) {
            small.insert(record(id));
            for (int i = 0; i < 2000; i++) {
                small.appendLog(DeploymentId.of(id), String.format("line %04d", i));
            }
            assertThat(small.retainedLogBytes()).isLessThanOrEqualTo(256 * 1024);
        }
        long counted = 0;
        for (long id = 1; id <= 10; id++) {
            counted += small.readLog(DeploymentId.of(id), 0).lines().stream().mapToLong(InMemoryDeploymentStore::retainedBytes).sum();
        }
        assertThat(small.retainedLogBytes()).isEqualTo(counted);
        assertThat(small.readLog(DeploymentId.of(1), 0).lines()).isEmpty();
        assertThat(small.readLog(DeploymentId.of(6), 0).lines()).isEmpty();
        LogChunk newest = small.readLog(DeploymentId.of(10), 0);
        assertThat(newest.lines()).hasSize(1024).last().isEqualTo("line 1999");
        assertThat(small.readLog(DeploymentId.of(7), 0).lines()).hasSize(1024);
    }

    @Test
    void blocksOfLinesKeepTheTailLineByLineAsSingleLinesWould() {
        InMemoryDeploymentStore blocks = InMemoryDeploymentStore.create(10, 16 * 1024);
        InMemoryDeploymentStore single = InMemoryDeploymentStore.create(10, 16 * 1024);
        blocks.insert(record(1));
        single.insert(record(1));
        int n = 0;
        String lastLine = "";
        for (int chunk = 0; chunk < 300; chunk++) {
            List<String> lines = new java.util.ArrayList<>();
            for (int i = 0; i < 1 + chunk % 37; i++) {
                lines.add("line " + n++ + (chunk % 5 == 0 ? " \u2713" : "") + "x".repeat(chunk % 90));
            }
            lastLine = lines.get(lines.size() - 1);
            blocks.appendLog(DeploymentId.of(1), LogLines.copyOf(lines));
            lines.forEach(line -> single.appendLog(DeploymentId.of(1), line));
            assertThat(blocks.retainedLogBytes()).isEqualTo(single.retainedLogBytes()).isLessThanOrEqualTo(16 * 1024);
        }
        LogChunk kept = blocks.readLog(DeploymentId.of(1), 0);
        assertThat(kept).isEqualTo(single.readLog(DeploymentId.of(1), 0));
        assertThat(kept.nextLine()).isEqualTo(n);
        assertThat(kept.lines()).last().isEqualTo(lastLine);
        assertThat(kept.lines().stream().mapToLong(InMemoryDeploymentStore::retainedBytes).sum()).isEqualTo(blocks.retainedLogBytes());
        long from = kept.firstLine() + kept.lines().size() / 2;
        LogChunk rest = blocks.readLog(DeploymentId.of(1), from);
        assertThat(rest.firstLine()).isEqualTo(from);
        assertThat(rest.lines()).isEqualTo(kept.lines().subList((int) (from - kept.firstLine()), kept.lines().size()));
    }

    @Test
    void aLogCutDownToAFewLinesByTheTotalBudgetLetsGoOfTheRestOfTheirBlock() {
        InMemoryDeploymentStore small = InMemoryDeploymentStore.create(10, 64 * 1024, 96 * 1024);
        small.insert(record(1));
        small.insert(record(2));
        List<String> big = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            big.add(String.format("old %04d ", i) + "y".repeat(100));
        }
        small.appendLog(DeploymentId.of(1), LogLines.copyOf(big));
        for (int i = 0; i < 2000; i++) {
            small.appendLog(DeploymentId.of(2), String.format("new %04d", i));
        }
        List<String> old = small.readLog(DeploymentId.of(1), 0).lines();
        assertThat(old).isNotEmpty().hasSizeLessThan(300).last().isEqualTo(big.get(299));
        assertThat(small.retainedLogBytes()).isLessThanOrEqualTo(96 * 1024);
        assertThat(small.readLog(DeploymentId.of(2), 0).lines()).last().isEqualTo("new 1999");
    }

    @Test
    void wideCharactersCountTwoBytesEach() {
        assertThat(InMemoryDeploymentStore.retainedBytes("")).isEqualTo(48);
        assertThat(InMemoryDeploymentStore.retainedBytes("abcdefgh")).isEqualTo(56);
        assertThat(InMemoryDeploymentStore.retainedBytes("abcdefg\u00e9")).isEqualTo(56);
        assertThat(InMemoryDeploymentStore.retainedBytes("\u2713bcdefgh")).isEqualTo(64);
    }

    @Test
    void logOfAnUnknownDeploymentIsNotKept() {
        store.appendLog(DeploymentId.of(77), "stray");
        assertThat(store.readLog(DeploymentId.of(77), 0).lines()).isEmpty();
    }

    @Test
    void remembersOnlyTheNewestDeliveries() {
        for (int i = 0; i < 10_001; i++) {
            store.recordDelivery(DeliveryId.of("d" + i));
        }
        assertThat(store.recordDelivery(DeliveryId.of("d10000"))).isFalse();
        assertThat(store.recordDelivery(DeliveryId.of("d0"))).isTrue();
    }
}
