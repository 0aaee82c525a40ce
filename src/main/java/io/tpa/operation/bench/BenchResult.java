package io.tpa.operation.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;

/**
 * One run of `tpa bench`: what was run, on which nodes and machines, and every figure with the range expected for it.
 * Kept as {@code DIR/bench/<started>.json} in the group directory.
 *
 * @param started         when the run started, UTC, ISO-8601
 * @param durationSeconds each pgbench run's length
 * @param clients         pgbench's clients ({@code -c}) on the primary and on each replica
 * @param scale           pgbench's scale factor ({@code -i -s}): 100,000 accounts per unit
 */
public record BenchResult(String group, String started, @JsonProperty("duration_seconds") int durationSeconds, int clients, int scale, List<NodeRun> nodes,
                          List<Figure> figures) {

    /**
     * A node as the run found it.
     *
     * @param cpus the CPUs its figures are expected from: its size's, or the machine's when it has fewer
     */
    public record NodeRun(String node, String role, String size, @JsonProperty("size_cpus") int sizeCpus,
                          @JsonProperty("size_memory_gb") double sizeMemoryGb, MachineFacts machine, int cpus) {
    }

    /**
     * One figure of one node.
     *
     * @param name     rw_tps, rw_latency_p50_ms, ..., see {@link Figures}
     * @param expected the bound it is compared with (a minimum, or a maximum for latencies, lag and round trips); null when none
     * @param result   ok, low (worse than expected) or info (no bound)
     * @param cause    for a low figure: its likely cause
     */
    public record Figure(String node, String name, double value, String unit, Double expected,
                         @JsonProperty("higher_is_better") boolean higherIsBetter, String result,
                         String cause) {
        @JsonIgnore
        public boolean low() {
            return Figures.LOW.equals(result);
        }
    }

    /** The first figure of that name (of any node). */
    public Optional<Figure> figure(String name) {
        return figures.stream().filter(figure -> figure.name().equals(name)).findFirst();
    }

    @JsonIgnore
    public long lowCount() {
        return figures.stream().filter(Figure::low).count();
    }
}
