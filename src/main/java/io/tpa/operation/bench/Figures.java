package io.tpa.operation.bench;

import io.tpa.operation.bench.BenchResult.Figure;
import io.tpa.operation.bench.BenchResult.NodeRun;

/**
 * Turns measurements into {@link Figure}s: compares each with the range {@link Expectations} gives for the node's
 * CPUs and disk, and names the likely cause of a low one. No I/O.
 */
final class Figures {
    static final String OK = "ok";
    static final String LOW = "low";
    static final String INFO = "info";

    static final String RW_TPS = "rw_tps";
    static final String RW_P50 = "rw_latency_p50_ms";
    static final String RW_P95 = "rw_latency_p95_ms";
    static final String RW_P99 = "rw_latency_p99_ms";
    static final String RO_TPS = "ro_tps";
    static final String RO_LATENCY = "ro_latency_avg_ms";
    static final String LAG_BYTES = "replication_lag_max_bytes";
    static final String LAG_SECONDS = "replication_lag_max_s";
    static final String FSYNC = "fsync_ops_per_s";
    static final String ROUND_TRIP = "round_trip_ms";

    private Figures() {
    }

    static Figure fsync(Expectations expected, NodeRun node, double opsPerSecond) {
        return atLeast(node.node(), FSYNC, opsPerSecond, "ops/s", expected.fsyncMinOps(),
                "a slow disk, a network disk, or a virtual machine whose disk writes through to slow storage on every flush; "
                        + "commits wait for it (see pg_test_fsync's other methods, and the disk's write cache)");
    }

    static Figure rwTps(Expectations expected, NodeRun node, double tps, double fsyncOps, boolean fsyncLow) {
        double cpuBound = node.cpus() * expected.rwTpsPerCpu();
        String cause = fsyncLow || fsyncOps * expected.rwTpsPerFsync() < cpuBound
                ? "commits wait on the disk: its fsync rate (" + Math.round(fsyncOps) + "/s) bounds the TPS"
                : memoryCause(node) + "CPU: another busy process on the machine (or a machine with fewer or slower CPUs than the size "
                + node.size() + " assumes), or a checkpoint or autovacuum during the run";
        return atLeast(node.node(), RW_TPS, tps, "tps", expected.rwTps(node.cpus(), fsyncOps), cause);
    }

    static Figure rwLatency(Expectations expected, NodeRun node, String name, double ms, double fsyncOps, int clients, boolean fsyncLow) {
        if (!name.equals(RW_P95)) {
            return new Figure(node.node(), name, round(ms), "ms", null, false, INFO, null);
        }
        String cause = fsyncLow ? "each commit waits for a slow fsync" : "lock waits between clients on pgbench's few branch rows, "
                + "CPU contention, or checkpoints' writes during the run";
        return atMost(node.node(), name, ms, "ms", expected.rwLatencyP95Ms(node.cpus(), fsyncOps, clients), cause);
    }

    static Figure roTps(Expectations expected, NodeRun node, double tps) {
        return atLeast(node.node(), RO_TPS, tps, "tps", expected.roTps(node.cpus()), memoryCause(node)
                + "the replica's CPU is busy (replay of the primary's WAL, other processes) or it has fewer CPUs than its size");
    }

    static Figure roLatency(NodeRun node, double ms) {
        return new Figure(node.node(), RO_LATENCY, round(ms), "ms", null, false, INFO, null);
    }

    static Figure lagBytes(Expectations expected, String replica, long bytes) {
        return atMost(replica, LAG_BYTES, bytes, "B", (double) expected.lagMaxBytes(),
                "the replica replays WAL slower than the primary writes it: its CPU or disk, or the network between them; "
                        + "Patroni will not fail over to a replica this far behind (maximum_lag_on_failover)");
    }

    static Figure lagSeconds(Expectations expected, String replica, double seconds) {
        return atMost(replica, LAG_SECONDS, seconds, "s", expected.lagMaxSeconds(),
                "the replica's CPU or disk, or the network: a read on it sees data this old");
    }

    static Figure roundTrip(Expectations expected, String from, String to, double ms) {
        return atMost(from + "->" + to, ROUND_TRIP, ms, "ms", expected.roundTripMaxMs(),
                "distance or a congested network between the nodes, or a busy host; every synchronous commit and every read "
                        + "after a write on a replica pays it");
    }

    private static String memoryCause(NodeRun node) {
        return node.machine().memoryMb() > 0 && node.machine().memoryMb() < node.sizeMemoryGb() * 1024 * 0.9
                ? "the machine has less memory (" + node.machine().memoryMb() + " MiB) than the size " + node.size() + " says; " : "";
    }

    static Figure atLeast(String node, String name, double value, String unit, double minimum, String cause) {
        boolean ok = value >= minimum;
        return new Figure(node, name, round(value), unit, round(minimum), true, ok ? OK : LOW, ok ? null : cause);
    }

    static Figure atMost(String node, String name, double value, String unit, double maximum, String cause) {
        boolean ok = value <= maximum;
        return new Figure(node, name, round(value), unit, round(maximum), false, ok ? OK : LOW, ok ? null : cause);
    }

    /** Two decimals at most: the JSON and the table show what was measured, not floating-point noise. */
    static double round(double value) {
        return Math.abs(value) >= 100 ? Math.round(value * 10) / 10.0 : Math.round(value * 100) / 100.0;
    }
}
