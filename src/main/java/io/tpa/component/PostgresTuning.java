package io.tpa.component;

import io.tpa.model.LoggingSpec;
import io.tpa.model.SizeSpec;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * PostgreSQL parameters computed from node sizes. The formulas are documented in
 * docs/tuning.md; a user's {@code postgres.parameters} override any of them.
 */
public final class PostgresTuning {
    /** Parameters Patroni takes only from its dynamic (cluster-wide) configuration. */
    public static final Set<String> CLUSTER_WIDE = Set.of(
            "max_connections", "max_worker_processes", "max_wal_senders", "max_replication_slots",
            "max_prepared_transactions", "max_locks_per_transaction", "track_commit_timestamp",
            "wal_level", "wal_keep_size", "wal_log_hints", "hot_standby");

    public static final int DEFAULT_MAX_CONNECTIONS = 100;

    /**
     * What every node logs, with or without a compliance policy: enough for `tpa audit` to find a default group's
     * logging clean (who connected from where and for how long, DDL, replication commands, errors with their
     * source location), what a slow server needs explained (lock waits, checkpoints, temporary files, long
     * autovacuum runs), and cheap in volume. PostgreSQL writes JSON lines ({@code jsonlog}: every field named, which
     * `tpa logs` and pgBadger read) with UTC timestamps, so the nodes' lines sort together whatever their time zone.
     * pgAudit, which logs every write, stays with {@code compliance: cis}. The slow-statement threshold and the files'
     * names and rotation come from {@code postgres.logging} ({@link #logging}).
     */
    static final Map<String, String> LOGGING = Map.ofEntries(
            Map.entry("logging_collector", "on"),
            Map.entry("log_destination", "jsonlog"),
            Map.entry("log_timezone", "UTC"),
            Map.entry("log_truncate_on_rotation", "on"),
            // Rotation by time only: the files' names say when they were written, and a size-based rotation would reopen the same one.
            Map.entry("log_rotation_size", "0"),
            Map.entry("log_line_prefix", "%m [%p] %q%u@%d from %h "),
            Map.entry("log_connections", "on"),
            Map.entry("log_disconnections", "on"),
            Map.entry("log_error_verbosity", "verbose"),
            Map.entry("log_statement", "ddl"),
            Map.entry("log_replication_commands", "on"),
            Map.entry("log_lock_waits", "on"),
            Map.entry("log_checkpoints", "on"),
            Map.entry("log_temp_files", "0"),
            Map.entry("log_autovacuum_min_duration", "1s"));

    /**
     * The parameters of {@code postgres.logging}: the slow-statement threshold, and file names that repeat after the
     * kept time, so a rotation overwrites (truncates) the oldest file and the directory holds at most that many.
     * PostgreSQL names the jsonlog file after log_filename with {@code .log} replaced by {@code .json}.
     */
    public static Map<String, String> logging(LoggingSpec logging) {
        LoggingSpec resolved = LoggingSpec.resolve(logging);
        Map<String, String> parameters = new TreeMap<>(LOGGING);
        parameters.put("log_min_duration_statement", Integer.toString(resolved.slowStatementMs()));
        switch (resolved.keepDays()) {
            case 1 -> {
                parameters.put("log_filename", "postgresql-%H.log");
                parameters.put("log_rotation_age", "1h");
            }
            case 31 -> {
                parameters.put("log_filename", "postgresql-%d.log");
                parameters.put("log_rotation_age", "1d");
            }
            case 7 -> {
                parameters.put("log_filename", "postgresql-%a.log");
                parameters.put("log_rotation_age", "1d");
            }
            default -> throw new IllegalArgumentException("keep_days " + resolved.keepDays() + " is not 1, 7 or 31 (the schema allows no other)");
        }
        return parameters;
    }

    private PostgresTuning() {
    }

    /**
     * Parameters that must agree across a cluster, from the largest node's size.
     *
     * @param sizes     every node's size
     * @param overrides the user's parameters (only the cluster-wide ones are taken)
     */
    public static Map<String, String> clusterParameters(Collection<SizeSpec> sizes, int nodeCount, Map<String, Object> overrides) {
        int cpus = sizes.stream().mapToInt(SizeSpec::cpus).max().orElse(1);
        Map<String, String> parameters = new TreeMap<>();
        parameters.put("max_connections", Integer.toString(DEFAULT_MAX_CONNECTIONS));
        parameters.put("max_worker_processes", Integer.toString(Math.max(8, cpus + 4)));
        // Room for 8 nodes plus tools without a restart: adding a replica must not restart the others.
        int senders = Math.max(20, nodeCount * 2 + 4);
        parameters.put("max_wal_senders", Integer.toString(senders));
        parameters.put("max_replication_slots", Integer.toString(senders));
        parameters.put("wal_level", "replica");
        parameters.put("wal_log_hints", "on");
        parameters.put("hot_standby", "on");
        parameters.put("wal_keep_size", "512MB");
        overrides.forEach((name, value) -> {
            if (CLUSTER_WIDE.contains(name)) {
                parameters.put(name, String.valueOf(value));
            }
        });
        return parameters;
    }

    /**
     * Parameters of one node, from its size.
     *
     * @param maxConnections the cluster's max_connections (work_mem is shared out among them)
     * @param preload        libraries to preload (extensions that need it)
     * @param overrides      the user's parameters (the node-level ones are taken)
     */
    public static Map<String, String> nodeParameters(SizeSpec size, int maxConnections, List<String> preload, Map<String, Object> overrides) {
        return nodeParameters(size, maxConnections, preload, LoggingSpec.DEFAULT, overrides);
    }

    /**
     * Parameters of one node, from its size and the group's logging settings.
     *
     * @param maxConnections the cluster's max_connections (work_mem is shared out among them)
     * @param preload        libraries to preload (extensions that need it)
     * @param logging        {@code postgres.logging}
     * @param overrides      the user's parameters (the node-level ones are taken)
     */
    public static Map<String, String> nodeParameters(SizeSpec size, int maxConnections, List<String> preload, LoggingSpec logging,
                                                     Map<String, Object> overrides) {
        long memoryMb = size.memoryMb();
        long sharedBuffers = Math.max(128, memoryMb / 4);
        long workMem = Math.max(4, (memoryMb - sharedBuffers) / (3L * maxConnections));
        long maintenanceWorkMem = Math.min(2048, Math.max(64, memoryMb / 16));
        long maxWalSize = Math.min(16384, Math.max(1024, size.diskGb() * 1024L / 20));
        int cpus = size.cpus();
        int perGather = Math.min(4, Math.max(1, cpus / 2));

        Map<String, String> parameters = new TreeMap<>();
        parameters.put("shared_buffers", sharedBuffers + "MB");
        parameters.put("effective_cache_size", (memoryMb * 3 / 4) + "MB");
        parameters.put("work_mem", workMem + "MB");
        parameters.put("maintenance_work_mem", maintenanceWorkMem + "MB");
        parameters.put("max_wal_size", maxWalSize + "MB");
        parameters.put("min_wal_size", Math.max(80, maxWalSize / 4) + "MB");
        parameters.put("max_parallel_workers", Integer.toString(Math.max(2, cpus)));
        parameters.put("max_parallel_workers_per_gather", Integer.toString(perGather));
        parameters.put("max_parallel_maintenance_workers", Integer.toString(perGather));
        parameters.put("autovacuum_max_workers", Integer.toString(Math.max(3, Math.min(8, cpus / 2))));
        parameters.put("random_page_cost", "1.1");
        parameters.put("effective_io_concurrency", "200");
        parameters.put("checkpoint_completion_target", "0.9");
        parameters.put("password_encryption", "scram-sha-256");
        parameters.putAll(logging(logging));
        // A replica whose primary is not there yet (bootstrap, failover) asks again after 1 s rather than 5 s.
        parameters.put("wal_retrieve_retry_interval", "1s");
        if (!preload.isEmpty()) {
            parameters.put("shared_preload_libraries", String.join(",", preload));
        }
        overrides.forEach((name, value) -> {
            if (!CLUSTER_WIDE.contains(name)) {
                parameters.put(name, String.valueOf(value));
            }
        });
        return parameters;
    }
}
