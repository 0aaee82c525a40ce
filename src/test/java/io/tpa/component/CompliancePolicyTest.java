package io.tpa.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.model.Catalog;
import io.tpa.model.ClusterSpec;
import io.tpa.model.Defaults;
import io.tpa.model.GroupSpec;
import io.tpa.model.NodeSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What `compliance: cis` adds to a group, and that the config's own parameters still win. */
class CompliancePolicyTest {
    private final Catalog catalog = Catalog.load();

    @Test
    void cisAddsPgauditOnceAndNoneAddsNothing() {
        assertThat(CompliancePolicy.extensions("cis", List.of("pg_stat_statements"))).containsExactly("pg_stat_statements", "pgaudit");
        assertThat(CompliancePolicy.extensions("cis", List.of("pgaudit"))).containsExactly("pgaudit");
        assertThat(CompliancePolicy.extensions("none", List.of("pg_stat_statements"))).containsExactly("pg_stat_statements");
        assertThat(catalog.preloaded("pgaudit")).as("the catalog preloads it").isTrue();
        assertThat(catalog.packages("debian-12", 15, CompliancePolicy.extensions("cis", List.of()))).contains("postgresql-15-pgaudit");
    }

    @Test
    void cisSetsTheLoggingTheBenchmarkAsksForAndTheConfigStillWins() {
        Map<String, Object> parameters = CompliancePolicy.parameters("cis", Map.of("log_statement", "mod", "work_mem", "64MB"));
        assertThat(parameters).containsEntry("log_file_mode", "0600").containsEntry("log_timezone", "UTC")
                .containsEntry("pgaudit.log", "ddl,role,write").containsEntry("pgaudit.log_parameter", "off")
                .containsEntry("log_statement", "mod").containsEntry("work_mem", "64MB");
        assertThat(String.valueOf(parameters.get("log_line_prefix"))).contains("%m", "%p", "%u", "%d", "%h");
        assertThat(CompliancePolicy.parameters("none", Map.of("work_mem", "64MB"))).containsExactly(Map.entry("work_mem", "64MB"));

        Map<String, String> node = PostgresTuning.nodeParameters(catalog.sizes().get("small"), 100,
                List.of("pg_stat_statements", "pgaudit"), parameters);
        assertThat(node).containsEntry("log_line_prefix", "%m [%p]: [%l-1] db=%d,user=%u,app=%a,client=%h ")
                .containsEntry("shared_preload_libraries", "pg_stat_statements,pgaudit").containsEntry("log_statement", "mod")
                .as("what every group logs").containsEntry("log_connections", "on").containsEntry("log_disconnections", "on")
                .containsEntry("log_error_verbosity", "verbose").containsEntry("log_replication_commands", "on");
    }

    @Test
    void everyGroupLogsConnectionsDdlAndReplicationCommandsWithoutPgaudit() {
        Map<String, String> node = PostgresTuning.nodeParameters(catalog.sizes().get("small"), 100, List.of("pg_stat_statements"),
                CompliancePolicy.parameters("none", Map.of()));
        assertThat(node).containsEntry("log_connections", "on").containsEntry("log_disconnections", "on")
                .containsEntry("log_error_verbosity", "verbose").containsEntry("log_statement", "ddl")
                .containsEntry("log_replication_commands", "on").containsEntry("log_line_prefix", "%m [%p] %q%u@%d from %h ")
                .containsEntry("log_destination", "jsonlog").containsEntry("log_timezone", "UTC")
                .doesNotContainKeys("pgaudit.log");
        assertThat(node.get("shared_preload_libraries")).doesNotContain("pgaudit");
        assertThat(CompliancePolicy.extensions("none", List.of())).isEmpty();
    }

    @Test
    void noPolicyIsTheDefault() {
        GroupSpec spec = new GroupSpec("demo", null, null, null, List.of(new ClusterSpec("main", null, List.of(new NodeSpec("pg1", null)))));
        assertThat(Defaults.resolve(spec, catalog).compliance()).isEqualTo(CompliancePolicy.NONE);
    }
}
