package io.tpa.operation.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `tpa status --watch`: transactions per second between two readings of each node's counter. */
class StatusWatchTest {
    @Test
    void aRateForEveryNodeCountedBothTimes() {
        Map<String, Double> rates = StatusWatch.rates(Map.of("pg1", 1000L, "pg2", 50L, "pg3", 70L),
                Map.of("pg1", 1500L, "pg2", 50L, "pg4", 10L), Duration.ofSeconds(2));
        assertThat(rates).containsOnly(Map.entry("pg1", 250.0), Map.entry("pg2", 0.0));
    }

    @Test
    void aCounterThatWentBackHasNoRate() {
        assertThat(StatusWatch.rates(Map.of("pg1", 1000L), Map.of("pg1", 10L), Duration.ofSeconds(2))).isEmpty();
        assertThat(StatusWatch.rates(Map.of("pg1", 1000L), Map.of("pg1", 1010L), Duration.ZERO)).isEmpty();
    }
}
