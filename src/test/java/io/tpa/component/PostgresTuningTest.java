package io.tpa.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.model.Catalog;
import io.tpa.model.LoggingSpec;
import io.tpa.model.SizeSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresTuningTest {
    private final Catalog catalog = Catalog.load();

    @Test
    void memoryParametersFollowTheNodesMemory() {
        Map<String, String> small = PostgresTuning.nodeParameters(catalog.sizes().get("small"), 100, List.of(), Map.of());
        assertThat(small).containsEntry("shared_buffers", "512MB")
                .containsEntry("effective_cache_size", "1536MB")
                .containsEntry("work_mem", "5MB")
                .containsEntry("maintenance_work_mem", "128MB")
                .containsEntry("max_wal_size", "1024MB")
                .containsEntry("min_wal_size", "256MB");

        Map<String, String> large = PostgresTuning.nodeParameters(catalog.sizes().get("large"), 100, List.of(), Map.of());
        assertThat(large).containsEntry("shared_buffers", "4096MB")
                .containsEntry("effective_cache_size", "12288MB")
                .containsEntry("work_mem", "40MB")
                .containsEntry("maintenance_work_mem", "1024MB")
                .containsEntry("max_wal_size", "12800MB")
                .containsEntry("max_parallel_workers", "4")
                .containsEntry("max_parallel_workers_per_gather", "2");
    }

    @Test
    void tinyNodesKeepWorkableMinimums() {
        Map<String, String> tiny = PostgresTuning.nodeParameters(new SizeSpec(null, 1, 0.5, 1), 100, List.of(), Map.of());
        assertThat(tiny).containsEntry("shared_buffers", "128MB").containsEntry("work_mem", "4MB")
                .containsEntry("maintenance_work_mem", "64MB").containsEntry("max_wal_size", "1024MB");
    }

    @Test
    void clusterWideParametersComeFromTheLargestNode() {
        Map<String, String> cluster = PostgresTuning.clusterParameters(
                List.of(catalog.sizes().get("small"), catalog.sizes().get("xlarge")), 3, Map.of());
        assertThat(cluster).containsEntry("max_worker_processes", "12").containsEntry("max_connections", "100")
                .containsEntry("max_wal_senders", "20").containsEntry("wal_level", "replica").containsEntry("wal_log_hints", "on");
    }

    @Test
    void userParametersOverrideAtTheRightLevel() {
        Map<String, Object> overrides = Map.of("work_mem", "64MB", "max_connections", 300);
        assertThat(PostgresTuning.nodeParameters(catalog.sizes().get("small"), 300, List.of("pg_stat_statements"), overrides))
                .containsEntry("work_mem", "64MB")
                .containsEntry("shared_preload_libraries", "pg_stat_statements")
                .doesNotContainKey("max_connections");
        assertThat(PostgresTuning.clusterParameters(List.of(catalog.sizes().get("small")), 3, overrides))
                .containsEntry("max_connections", "300").doesNotContainKey("work_mem");
    }

    @Test
    void everyNodeLogsJsonLinesInUtcWithWhatASlowServerNeedsExplained() {
        Map<String, String> node = PostgresTuning.nodeParameters(catalog.sizes().get("small"), 100, List.of(), Map.of());
        assertThat(node).containsEntry("log_destination", "jsonlog").containsEntry("logging_collector", "on")
                .containsEntry("log_timezone", "UTC").containsEntry("log_lock_waits", "on").containsEntry("log_checkpoints", "on")
                .containsEntry("log_temp_files", "0").containsEntry("log_autovacuum_min_duration", "1s")
                .as("the defaults of postgres.logging").containsEntry("log_min_duration_statement", "1000")
                .containsEntry("log_filename", "postgresql-%a.log").containsEntry("log_rotation_age", "1d")
                .containsEntry("log_truncate_on_rotation", "on");
    }

    @Test
    void keptDaysChooseFileNamesThatRepeatAfterThem() {
        assertThat(PostgresTuning.logging(new LoggingSpec(0, 1))).containsEntry("log_filename", "postgresql-%H.log")
                .containsEntry("log_rotation_age", "1h").containsEntry("log_min_duration_statement", "0");
        assertThat(PostgresTuning.logging(new LoggingSpec(-1, 31))).containsEntry("log_filename", "postgresql-%d.log")
                .containsEntry("log_rotation_age", "1d").containsEntry("log_min_duration_statement", "-1");
        assertThat(PostgresTuning.logging(new LoggingSpec(null, null))).isEqualTo(PostgresTuning.logging(LoggingSpec.DEFAULT));
    }

    @Test
    void theConfigsOwnParametersWinOverTheLoggingSettings() {
        Map<String, String> node = PostgresTuning.nodeParameters(catalog.sizes().get("small"), 100, List.of(), new LoggingSpec(250, 7),
                Map.of("log_min_duration_statement", "5s"));
        assertThat(node).containsEntry("log_min_duration_statement", "5s");
    }
}
