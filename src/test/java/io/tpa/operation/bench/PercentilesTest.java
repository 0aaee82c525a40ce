package io.tpa.operation.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Nearest-rank percentiles, and the latencies of pgbench's per-transaction log. */
class PercentilesTest {
    @Test
    void nearestRankOfAHundredValues() {
        double[] values = IntStream.rangeClosed(1, 100).mapToDouble(i -> 101 - i).toArray(); // 100 down to 1, unsorted
        assertThat(Percentiles.of(values, 50)).isEqualTo(50);
        assertThat(Percentiles.of(values, 95)).isEqualTo(95);
        assertThat(Percentiles.of(values, 99)).isEqualTo(99);
        assertThat(Percentiles.of(values, 100)).isEqualTo(100);
        assertThat(values[0]).as("the input is left as it was").isEqualTo(100);
    }

    @Test
    void smallListsAndEmptyOnes() {
        assertThat(Percentiles.of(new double[] {7}, 99)).isEqualTo(7);
        assertThat(Percentiles.of(new double[] {1, 2, 3, 4}, 50)).isEqualTo(2);
        assertThat(Percentiles.median(List.of(0.3, 0.1, 0.2))).isEqualTo(0.2);
        assertThat(Percentiles.of(new double[0], 50)).isNaN();
        assertThatThrownBy(() -> Percentiles.of(new double[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pgbenchLogLatenciesAreItsThirdFieldInMicroseconds() {
        String log = """
                0 1 1520 0 1765078476 123456
                1 1 980 0 1765078476 124001
                0 2 25010 0 1765078476 149000

                0 3 1
                """;
        assertThat(Percentiles.pgbenchLatenciesMs(log)).containsExactly(1.52, 0.98, 25.01);
    }
}
