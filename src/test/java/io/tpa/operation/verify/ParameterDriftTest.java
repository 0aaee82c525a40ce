package io.tpa.operation.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.operation.verify.NodeSettings.AlteredSetting;
import io.tpa.operation.verify.NodeSettings.Setting;
import io.tpa.operation.verify.ParameterDrift.Difference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The drift comparison on settings written by hand as pg_settings reports them on PostgreSQL 15. */
class ParameterDriftTest {
    private static final String CONF = "/var/lib/tpa/groups/g-1/nodes/pg1/pgdata/postgresql.conf";
    private static final String AUTO = "/var/lib/tpa/groups/g-1/nodes/pg1/pgdata/postgresql.auto.conf";

    private static Setting fromFile(String setting, String unit, String type) {
        return new Setting(setting, unit, type, "configuration file", CONF, false);
    }

    @Test
    void valuesCompareAsPostgresqlReadsThem() {
        assertThat(ParameterDrift.same("512MB", fromFile("65536", "8kB", "integer"))).isTrue();
        assertThat(ParameterDrift.same("5MB", fromFile("5120", "kB", "integer"))).isTrue();
        assertThat(ParameterDrift.same("1d", fromFile("1440", "min", "integer"))).isTrue();
        assertThat(ParameterDrift.same("1s", fromFile("1000", "ms", "integer"))).isTrue();
        assertThat(ParameterDrift.same("1000", fromFile("1000", "ms", "integer"))).as("no unit: the base unit").isTrue();
        assertThat(ParameterDrift.same("1024MB", fromFile("1024", "MB", "integer"))).isTrue();
        assertThat(ParameterDrift.same("1GB", fromFile("1024", "MB", "integer"))).isTrue();
        assertThat(ParameterDrift.same("0.9", fromFile("0.9", null, "real"))).isTrue();
        assertThat(ParameterDrift.same("on", fromFile("on", null, "bool"))).isTrue();
        assertThat(ParameterDrift.same("true", fromFile("on", null, "bool"))).isTrue();
        assertThat(ParameterDrift.same("TLSv1.2", fromFile("TLSv1.2", null, "enum"))).isTrue();
        assertThat(ParameterDrift.same("%m [%p] %q%u@%d from %h ", fromFile("%m [%p] %q%u@%d from %h ", null, "string"))).isTrue();
        assertThat(ParameterDrift.same("pg_stat_statements, pgaudit", fromFile("pg_stat_statements,pgaudit", null, "string"))).isTrue();

        assertThat(ParameterDrift.same("5MB", fromFile("65536", "kB", "integer"))).isFalse();
        assertThat(ParameterDrift.same("512MB", fromFile("16384", "8kB", "integer"))).isFalse();
        assertThat(ParameterDrift.same("on", fromFile("off", null, "bool"))).isFalse();
        assertThat(ParameterDrift.same("1.1", fromFile("4", null, "real"))).isFalse();
        assertThat(ParameterDrift.same("5MB", fromFile("5000", "ms", "integer"))).as("a size is no time").isFalse();
    }

    @Test
    void runningValuesShowAsSHOWDoes() {
        assertThat(ParameterDrift.display(fromFile("65536", "kB", "integer"))).isEqualTo("64MB");
        assertThat(ParameterDrift.display(fromFile("65536", "8kB", "integer"))).isEqualTo("512MB");
        assertThat(ParameterDrift.display(fromFile("1440", "min", "integer"))).isEqualTo("1d");
        assertThat(ParameterDrift.display(fromFile("1500", "ms", "integer"))).isEqualTo("1500ms");
        assertThat(ParameterDrift.display(fromFile("-1", "ms", "integer"))).isEqualTo("-1");
        assertThat(ParameterDrift.display(fromFile("%m [%p] ", null, "string"))).isEqualTo("'%m [%p] '");
    }

    @Test
    void aNodeAsComputedHasNoDifference() {
        NodeSettings node = node(Map.of("work_mem", fromFile("5120", "kB", "integer"), "shared_buffers", fromFile("65536", "8kB", "integer")),
                List.of());
        assertThat(ParameterDrift.differences(Map.of("work_mem", "5MB", "shared_buffers", "512MB"), node)).isEmpty();
    }

    @Test
    void alterSystemIsNamedWithTheComputedAndTheRunningValue() {
        Setting altered = new Setting("65536", "kB", "integer", "configuration file", AUTO, false);
        NodeSettings node = node(Map.of("work_mem", altered, "statement_timeout", new Setting("0", "ms", "integer", "default", null, false)),
                List.of(new AlteredSetting("work_mem", "64MB", true, null), new AlteredSetting("statement_timeout", "1min", false, null)));

        List<Difference> differences = ParameterDrift.differences(Map.of("work_mem", "5MB"), node);

        assertThat(differences).extracting(Difference::parameter).containsExactly("work_mem", "statement_timeout");
        assertThat(differences.get(0).description())
                .isEqualTo("work_mem = 64MB set with ALTER SYSTEM (postgresql.auto.conf); tpa computed 5MB; runs 64MB");
        assertThat(differences.get(1).description()).isEqualTo(
                "statement_timeout = 1min set with ALTER SYSTEM (postgresql.auto.conf), not in effect; tpa does not set it; runs 0");
    }

    @Test
    void aRunningValueOtherThanComputedNamesWhereItComesFrom() {
        NodeSettings node = node(Map.of("work_mem", new Setting("4096", "kB", "integer", "default", null, false),
                "random_page_cost", fromFile("4", null, "real")), List.of());

        List<Difference> differences = ParameterDrift.differences(Map.of("work_mem", "5MB", "random_page_cost", "1.1"), node);

        assertThat(differences).extracting(Difference::description).containsExactly(
                "random_page_cost = 4 (from postgresql.conf); tpa computed 1.1",
                "work_mem = 4MB (source: default); tpa computed 5MB");
    }

    @Test
    void aPendingRestartAndAnUnknownParameterAreDifferences() {
        Map<String, Setting> settings = new LinkedHashMap<>();
        settings.put("shared_buffers", new Setting("65536", "8kB", "integer", "configuration file", CONF, true));
        NodeSettings node = node(settings, List.of());

        List<Difference> differences = ParameterDrift.differences(Map.of("shared_buffers", "512MB", "work_mme", "5MB",
                "pg_stat_statements.max", "5000"), node);

        assertThat(differences).extracting(Difference::description).containsExactly(
                "work_mme: the server has no such parameter; tpa computed 5MB",
                "shared_buffers: a changed value waits for a restart; runs 512MB");
    }

    private static NodeSettings node(Map<String, Setting> settings, List<AlteredSetting> altered) {
        return new NodeSettings(settings, altered, List.of(), Map.of());
    }
}
