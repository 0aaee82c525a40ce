package io.tpa.operation.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tpa.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The ranges `tpa bench` expects, from {@code catalog/bench.yml}: per CPU and per fsync, so that they follow a node's
 * size and the machine it runs on. See docs/verification.md for how they were set.
 *
 * @param rwTpsPerCpu      read-write transactions per second, at least, per CPU of the primary
 * @param rwTpsPerFsync    read-write transactions per second, at least, per fsync per second of the primary's disk
 * @param roTpsPerCpu      select-only transactions per second, at least, per CPU of a replica
 * @param latencyP95Factor the p95 latency may be this many times the mean latency the minimum TPS implies (clients / TPS)
 * @param fsyncMinOps      fsyncs per second a disk for a database should do, at least
 * @param lagMaxBytes      a replica's largest replay lag in bytes under the read-write load, at most
 * @param lagMaxSeconds    a replica's largest replay lag in seconds under the read-write load, at most
 * @param roundTripMaxMs   a query's round trip between two nodes, at most
 */
public record Expectations(
        @JsonProperty("rw_tps_per_cpu") double rwTpsPerCpu,
        @JsonProperty("rw_tps_per_fsync") double rwTpsPerFsync,
        @JsonProperty("ro_tps_per_cpu") double roTpsPerCpu,
        @JsonProperty("latency_p95_factor") double latencyP95Factor,
        @JsonProperty("fsync_min_ops") double fsyncMinOps,
        @JsonProperty("lag_max_bytes") long lagMaxBytes,
        @JsonProperty("lag_max_seconds") double lagMaxSeconds,
        @JsonProperty("round_trip_max_ms") double roundTripMaxMs) {

    public static Expectations load() {
        try (InputStream in = Expectations.class.getClassLoader().getResourceAsStream("catalog/bench.yml")) {
            if (in == null) {
                throw new IllegalStateException("catalog/bench.yml is missing from tpa's jar");
            }
            return Json.YAML.readValue(in, Expectations.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The read-write TPS a primary should reach: the smaller of what its CPUs and its disk's fsync rate allow. */
    double rwTps(int cpus, double fsyncOps) {
        return Math.min(cpus * rwTpsPerCpu, fsyncOps * rwTpsPerFsync);
    }

    /** The p95 latency a primary should stay under, in ms: a multiple of the mean latency its minimum TPS implies. */
    double rwLatencyP95Ms(int cpus, double fsyncOps, int clients) {
        return latencyP95Factor * clients * 1000.0 / rwTps(cpus, fsyncOps);
    }

    double roTps(int cpus) {
        return cpus * roTpsPerCpu;
    }
}
