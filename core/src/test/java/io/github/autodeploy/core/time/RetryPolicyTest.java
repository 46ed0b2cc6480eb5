package io.github.autodeploy.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final RetryPolicy POLICY = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.2);

    /** A random source that always answers {@code value}. */
    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    @Test
    void withoutJitterTheDelayDoublesFromTheFloorUpToTheCap() {
        RandomGenerator middle = fixed(0.5);
        assertThat(POLICY.delay(1, Optional.empty(), middle)).isEqualTo(Duration.ofSeconds(1));
        assertThat(POLICY.delay(2, Optional.empty(), middle)).isEqualTo(Duration.ofSeconds(2));
        assertThat(POLICY.delay(3, Optional.empty(), middle)).isEqualTo(Duration.ofSeconds(4));
        assertThat(POLICY.delay(6, Optional.empty(), middle)).isEqualTo(Duration.ofSeconds(32));
        assertThat(POLICY.delay(7, Optional.empty(), middle)).isEqualTo(Duration.ofSeconds(60));
        assertThat(POLICY.delay(10_000, Optional.empty(), middle)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void jitterStaysWithinItsFractionAndNeverLeavesFloorAndCap() {
        assertThat(POLICY.delay(3, Optional.empty(), fixed(0.0))).isEqualTo(Duration.ofMillis(3200));
        assertThat(POLICY.delay(3, Optional.empty(), fixed(0.999999))).isBetween(Duration.ofMillis(4799), Duration.ofMillis(4800));
        assertThat(POLICY.delay(1, Optional.empty(), fixed(0.0))).as("never below the floor").isEqualTo(Duration.ofSeconds(1));
        assertThat(POLICY.delay(9, Optional.empty(), fixed(0.999999))).as("never above the cap").isEqualTo(Duration.ofSeconds(60));
        Random random = new Random(42);
        for (int failures = 1; failures < 80; failures++) {
            Duration d = POLICY.delay(failures, Optional.empty(), random);
            assertThat(d).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(60));
        }
    }

    @Test
    void aLongerDelayTheServerAskedForWinsEvenPastTheCap() {
        assertThat(POLICY.delay(1, Optional.of(Duration.ofSeconds(30)), fixed(0.5))).isEqualTo(Duration.ofSeconds(30));
        assertThat(POLICY.delay(1, Optional.of(Duration.ofHours(1)), fixed(0.5))).isEqualTo(Duration.ofHours(1));
        assertThat(POLICY.delay(4, Optional.of(Duration.ofMillis(10)), fixed(0.5))).as("a shorter ask does not shorten")
                .isEqualTo(Duration.ofSeconds(8));
        assertThat(POLICY.delay(1, Optional.of(Duration.ofSeconds(-5)), fixed(0.5))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void defaultsStartAtOneSecondAndStopAtFiveMinutes() {
        assertThat(RetryPolicy.defaults()).isEqualTo(new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(5), 0.2));
    }

    @Test
    void nonsenseIsRefusedWithTheValues() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1), 0.2))
                .hasMessageContaining("0 < floor <= cap");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 0.2))
                .hasMessageContaining("floor PT2S and cap PT1S");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0))
                .hasMessageContaining("[0, 1), got 1.0");
        assertThatThrownBy(() -> POLICY.delay(0, Optional.empty())).hasMessageContaining("at least 1, got 0");
    }
}
