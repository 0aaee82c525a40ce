package io.tpa.component;

import java.util.Set;

/** Facts about PostgreSQL 15's parameters that tpa needs to plan a change. */
public final class PostgresSettings {
    /** Parameters of context "postmaster": a change takes effect only after a restart. */
    private static final Set<String> RESTART = Set.of(
            "archive_mode", "autovacuum_freeze_max_age", "autovacuum_max_workers", "autovacuum_multixact_freeze_max_age",
            "bonjour", "bonjour_name", "cluster_name", "config_file", "data_directory", "data_sync_retry",
            "dynamic_shared_memory_type", "external_pid_file", "hba_file", "hot_standby", "huge_pages", "huge_page_size",
            "ident_file", "ignore_invalid_pages", "jit_provider", "listen_addresses", "logging_collector",
            "max_connections", "max_files_per_process", "max_locks_per_transaction", "max_logical_replication_workers",
            "max_pred_locks_per_transaction", "max_prepared_transactions", "max_replication_slots", "max_wal_senders",
            "max_worker_processes", "min_dynamic_shared_memory", "old_snapshot_threshold", "port",
            "recovery_init_sync_method", "shared_buffers", "shared_memory_type", "shared_preload_libraries",
            "superuser_reserved_connections", "track_activity_query_size", "track_commit_timestamp",
            "unix_socket_directories", "unix_socket_group", "unix_socket_permissions", "wal_buffers",
            "wal_decode_buffer_size", "wal_level", "wal_log_hints");

    private PostgresSettings() {
    }

    public static boolean needsRestart(String parameter) {
        return RESTART.contains(parameter);
    }
}
