package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The audit as a security officer lives it: the example group, applied as a new user would, audits with no failure
 * and warns of pgAudit; a group applied with `compliance: cis` audits clean; then someone adds a trust line to a
 * node's pg_hba.conf and turns connection logging off, and the audit names the check, the node and the line, fails,
 * and shows the PCI DSS controls at stake.
 */
class AuditIT {
    @Test
    void theExampleGroupAuditsWithNoFailureAndWarnsOfWhatOnlyCisSetsUp() throws Exception {
        String example = Files.readString(Path.of("examples/ha/tpa.yml"));
        assertThat(example).contains("name: demo\n").doesNotContain("compliance");
        try (TestGroup group = TestGroup.create(example.replace("name: demo\n", "name: plain\n"))) {
            Tpa.Result apply = group.apply();
            assertThat(apply.stdout()).doesNotContain("pgaudit");

            Tpa.Result audit = group.tpa("audit");
            System.out.println("audit of the example group:\n" + audit.stdout());
            assertThat(audit.exitCode()).as(audit.output()).isZero();
            assertThat(audit.stdout().strip().lines().reduce((first, second) -> second).orElseThrow())
                    .as(audit.stdout()).matches("\\d+ passed, 0 failed, [12] warned, \\d+ manual, \\d+ not applicable");
            assertThat(audit.stdout()).contains("Audit of group plain (compliance: none) against CIS PostgreSQL 15 Benchmark: pg1 (primary), ")
                    .contains("pass    cis-3.1.20 ", "pass    cis-3.1.21 ", "pass    cis-3.1.22 ", "pass    cis-3.1.24 ",
                            "pass    cis-3.1.25 ", "pass    cis-7.2 ", "pass    cis-7.5 ")
                    .containsPattern("warn +cis-3\\.2 ")
                    .contains("pg2: pgaudit is not in shared_preload_libraries")
                    .contains("warn, not fail: only `compliance: cis` sets this up, and the group has compliance: none")
                    .contains("fix: Set `compliance: cis`");

            Tpa.Result json = group.tpa("audit", "--json");
            assertThat(json.exitCode()).isZero();
            JsonNode report = Json.JSON.readTree(json.stdout());
            assertThat(report.path("compliance").asText()).isEqualTo("none");
            assertThat(report.path("summary").path("failed").asInt()).isZero();
            assertThat(check(report, "cis-3.2").path("result").asText()).isEqualTo("warn");
            assertThat(check(report, "cis-3.2").path("compliance").asText()).isEqualTo("cis");
            assertThat(check(report, "cis-3.2").path("nodes")).hasSize(3)
                    .allSatisfy(node -> assertThat(node.path("result").asText()).isEqualTo("warn"));

            String password = group.superuserPassword();
            assertThat(String.join("\n", logsOf(group))).as("every group logs connections, and never a password")
                    .contains("connection authorized: user=postgres").contains("\"file_name\":").doesNotContain(password);
        }
    }


    @Test
    void aCompliantGroupAuditsCleanAndAHandMadeWeaknessIsCaught() throws Exception {
        try (TestGroup group = TestGroup.create(TestGroup.config("audit", 1, "compliance: cis\n"))) {
            Tpa.Result apply = group.apply();
            assertThat(apply.stdout()).contains("pgaudit");

            Tpa.Result clean = group.tpa("audit");
            assertThat(clean.exitCode()).as(clean.output()).isZero();
            assertThat(clean.stdout().strip().lines().reduce((first, second) -> second).orElseThrow())
                    .matches("\\d+ passed, 0 failed, 0 warned, \\d+ manual, \\d+ not applicable");
            assertThat(clean.stdout()).contains("(compliance: cis)", "pass    cis-3.2 ", "pass    cis-5.2 ", "pass    cis-3.1.20 ",
                    "pass    cis-3.1.26 ");

            String password = group.superuserPassword();
            assertThat(logsOf(group)).as("pgAudit and log_statement never log a password").isNotEmpty()
                    .allSatisfy(log -> assertThat(log).doesNotContain(password));

            // By hand, behind tpa's back: a trust line, connection logging off, and a reload.
            Path hba = Path.of(group.deployment().baseDirectory(), "nodes/pg1/pgdata/pg_hba.conf");
            Files.writeString(hba, "host all all 127.0.0.1/32 trust\n", StandardOpenOption.APPEND);
            Tpa.Result psql = group.tpa("psql", "--", "-c", "ALTER SYSTEM SET log_connections = off", "-c", "SELECT pg_reload_conf()");
            assertThat(psql.exitCode()).as(psql.output()).isZero();

            Tpa.Result caught = group.tpa("audit");
            assertThat(caught.exitCode()).as(caught.output()).isEqualTo(1);
            assertThat(caught.stdout()).containsPattern("FAIL +cis-5\\.2 ")
                    .containsPattern("pg1: " + hba + ":\\d+: host all all 127\\.0\\.0\\.1/32 trust")
                    .containsPattern("FAIL +tpa-hba-hostssl ")
                    .containsPattern("FAIL +cis-3\\.1\\.20 ").contains("pg1: log_connections = off; expected on")
                    .contains("fix: ");
            assertThat(caught.stdout().strip().lines().reduce((first, second) -> second).orElseThrow())
                    .matches("\\d+ passed, 3 failed, 0 warned, \\d+ manual, \\d+ not applicable");

            Tpa.Result json = group.tpa("audit", "--standard", "pci-dss", "--json");
            assertThat(json.exitCode()).isEqualTo(1);
            JsonNode report = Json.JSON.readTree(json.stdout());
            assertThat(report.path("standard").asText()).isEqualTo("pci-dss");
            assertThat(report.path("summary").path("failed").asInt()).isEqualTo(3);
            JsonNode hosts = check(report, "cis-5.2");
            assertThat(hosts.path("result").asText()).isEqualTo("fail");
            assertThat(strings(hosts.path("controls"))).contains("8.3.1", "8.3.2");
            assertThat(hosts.path("nodes").get(0).path("node").asText()).isEqualTo("pg1");
            assertThat(hosts.path("nodes").get(0).path("evidence").asText()).contains(hba + ":").contains("trust");
            assertThat(strings(check(report, "cis-3.1.20").path("controls"))).contains("10.2.1");
            assertThat(report.path("checks")).allSatisfy(c -> assertThat(c.path("id").asText()).isNotEqualTo("tpa-data-checksums"));
        }
    }

    private static JsonNode check(JsonNode report, String id) {
        for (JsonNode check : report.path("checks")) {
            if (check.path("id").asText().equals(id)) {
                return check;
            }
        }
        throw new AssertionError("no check " + id + " in " + report);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static List<String> logsOf(TestGroup group) throws Exception {
        List<String> logs = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(group.deployment().baseDirectory(), "nodes/pg1/log"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("postgresql-")).toList()) {
                logs.add(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return logs;
    }
}
