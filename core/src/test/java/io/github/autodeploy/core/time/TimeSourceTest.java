package io.github.autodeploy.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TimeSourceTest {
    @Test
    void theSystemSourceIsMonotonicAndItsClockIsUtc() {
        TimeSource system = TimeSource.system();
        long first = system.nanoTime();
        assertThat(system.nanoTime()).isGreaterThanOrEqualTo(first);
        assertThat(system.asClock().getZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(system.now()).isNotNull();
    }

    @Test
    void theSystemSourceRunsScheduledWorkOnTheGivenExecutor() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "scheduled-here"));
        try {
            AtomicBoolean ranThere = new AtomicBoolean();
            TimeSource.system().schedule(executor, Duration.ofMillis(1),
                    () -> ranThere.set(Thread.currentThread().getName().equals("scheduled-here")));
            await().untilTrue(ranThere);
        } finally {
            executor.shutdownNow();
        }
    }
}
