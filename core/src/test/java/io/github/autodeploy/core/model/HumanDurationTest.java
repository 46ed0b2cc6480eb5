package io.github.autodeploy.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HumanDurationTest {
    @Test
    void writesDurationsAsPeopleReadThem() {
        assertThat(HumanDuration.format(Duration.ofMillis(850))).isEqualTo("850 ms");
        assertThat(HumanDuration.format(Duration.ofSeconds(12))).isEqualTo("12s");
        assertThat(HumanDuration.format(Duration.ofSeconds(185))).isEqualTo("3m 5s");
        assertThat(HumanDuration.format(Duration.ofMinutes(30))).isEqualTo("30m");
        assertThat(HumanDuration.format(Duration.ofMinutes(62))).isEqualTo("1h 2m");
        assertThat(HumanDuration.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(HumanDuration.format(Duration.ofSeconds(-5))).isEqualTo("0 ms");
    }
}
