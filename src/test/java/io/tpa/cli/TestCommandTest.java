package io.tpa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.model.Json;
import io.tpa.operation.audit.AuditReport.NodeResult;
import io.tpa.operation.audit.Result;
import io.tpa.operation.verify.TestReport;
import io.tpa.operation.verify.TestReport.CheckReport;
import io.tpa.operation.verify.TestReport.NodeState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How `tpa test` prints a report: one line per check, what failed on which node and the fix, a summary. */
class TestCommandTest {
    private static final TestReport REPORT = TestReport.of("sales", List.of(new NodeState("pg1", "primary", "running"),
            new NodeState("pg2", "replica", "running")), List.of(
            new CheckReport("services", "Every service runs", Result.PASS, "every service runs on 2 nodes", List.of(
                    new NodeResult("pg1", Result.PASS, "patroni-pg1"), new NodeResult("pg2", Result.PASS, "patroni-pg2")), null),
            new CheckReport("parameters", "No drift", Result.FAIL, "differs from what tpa computed: work_mem on pg2", List.of(
                    new NodeResult("pg1", Result.PASS, "48 parameters as computed"),
                    new NodeResult("pg2", Result.FAIL, "work_mem = 64MB set with ALTER SYSTEM (postgresql.auto.conf); tpa computed 5MB")),
                    "ALTER SYSTEM RESET it"),
            new CheckReport("backups", "Backups", Result.NOT_APPLICABLE, "skipped: the group keeps no backups", List.of(), null),
            new CheckReport("tests/orders.sql", "No row", Result.FAIL, "1 row on pg1: 42|-3", List.of(), "see the file")));

    @Test
    void oneLinePerCheckWithTheFailuresDetailsAndASummary() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TestCommand.print(REPORT, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("""
                Test of group sales: pg1 (primary), pg2 (replica)

                pass  services          every service runs on 2 nodes
                FAIL  parameters        differs from what tpa computed: work_mem on pg2
                      pg2: work_mem = 64MB set with ALTER SYSTEM (postgresql.auto.conf); tpa computed 5MB
                      fix: ALTER SYSTEM RESET it
                skip  backups           skipped: the group keeps no backups
                FAIL  tests/orders.sql  1 row on pg1: 42|-3
                      fix: see the file

                1 passed, 2 failed, 1 skipped
                """);
        assertThat(REPORT.passed()).isFalse();
    }

    @Test
    void theJsonIsTheSameReport() throws Exception {
        var json = Json.JSON.readTree(Json.write(REPORT));

        assertThat(json.path("summary").path("failed").asInt()).isEqualTo(2);
        assertThat(json.path("summary").path("skipped").asInt()).isEqualTo(1);
        assertThat(json.path("checks").get(1).path("id").asText()).isEqualTo("parameters");
        assertThat(json.path("checks").get(1).path("result").asText()).isEqualTo("fail");
        assertThat(json.path("checks").get(1).path("nodes").get(1).path("evidence").asText()).contains("work_mem");
        assertThat(json.path("checks").get(2).path("result").asText()).isEqualTo("not_applicable");
        assertThat(json.has("passed")).isFalse();
    }
}
