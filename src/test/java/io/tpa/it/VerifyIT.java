package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * `tpa test` as an operator lives it on one two-node group with endpoints: the healthy group passes every check (and
 * its own SQL check); someone sets work_mem by hand with ALTER SYSTEM on the replica and a SQL check of the group finds
 * a row, and the test names the parameter, the node and the file and exits 1; the replica's Patroni is stopped, and
 * the services, write and lag checks name it and exit 1.
 */
class VerifyIT {
    @Test
    void aHealthyGroupPassesAndDriftAStoppedReplicaAndAFailingSqlCheckAreNamed() throws Exception {
        try (TestGroup group = TestGroup.create(TestGroup.config("verify", 2, "endpoints: {}\n"))) {
            group.apply();
            Path tests = Files.createDirectory(group.directory.resolve("tests"));
            Files.writeString(tests.resolve("no_superuser_apps.sql"), "SELECT rolname FROM pg_roles WHERE rolsuper AND rolname = 'app';\n");

            long started = System.nanoTime();
            Tpa.Result healthy = group.tpa("test");
            System.out.printf("tpa test of a healthy two-node group took %.1f s:%n%s", (System.nanoTime() - started) / 1e9, healthy.stdout());
            assertThat(healthy.exitCode()).as(healthy.output()).isZero();
            assertThat(healthy.stdout()).startsWith("Test of group verify: pg1 (primary), pg2 (replica)\n")
                    .containsPattern("pass +services +every service runs on 2 nodes \\(etcd, Patroni, PostgreSQL, pgbouncer, HAProxy\\)")
                    .containsPattern("pass +write-visible +a write on pg1 was visible on pg2 after \\d+\\.\\d\\d s \\(bound 10 s\\)")
                    .containsPattern("pass +replication-lag +pg2 \\d+ B behind")
                    .containsPattern("pass +tls +every running node refuses connections without TLS")
                    .containsPattern("pass +certificates ")
                    .containsPattern("pass +parameters +every running node runs the \\d+ parameters tpa computed")
                    .containsPattern("skip +backups +skipped: the group keeps no backups")
                    .containsPattern("pass +endpoints +on 2 nodes, rw and rw_pooled reach pg1, ro and ro_pooled a replica")
                    .containsPattern("pass +tests/no_superuser_apps.sql +no row on pg1")
                    .endsWith("\n8 passed, 0 failed, 1 skipped\n");
            try (Connection connection = group.connect("pg1"); Statement statement = connection.createStatement();
                 ResultSet left = statement.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'tpa_test_write_%'")) {
                left.next();
                assertThat(left.getInt(1)).as("the write check drops its table").isZero();
            }

            // By hand, behind tpa's back: work_mem on the replica, and a check of the group's own that finds a row.
            Tpa.Result alter = group.tpa("psql", "--node", "pg2", "--", "-c", "ALTER SYSTEM SET work_mem = '64MB'", "-c", "SELECT pg_reload_conf()");
            assertThat(alter.exitCode()).as(alter.output()).isZero();
            Files.writeString(tests.resolve("orders_with_negative_totals.sql"), "SELECT 42 AS id, -3 AS total;\n");
            Files.writeString(tests.resolve("typo.sql"), "SELEC 1;\n");

            Tpa.Result drift = group.tpa("test");
            assertThat(drift.exitCode()).as(drift.output()).isEqualTo(1);
            assertThat(drift.stdout()).containsPattern("FAIL +parameters +differs from what tpa computed: work_mem on pg2\n")
                    .contains("      pg2: work_mem = 64MB set with ALTER SYSTEM (postgresql.auto.conf); tpa computed 5MB; runs 64MB\n")
                    .containsPattern("FAIL +tests/orders_with_negative_totals.sql +1 row on pg1: 42\\|-3\n")
                    .containsPattern("FAIL +tests/typo.sql +ERROR: syntax error at or near \"SELEC\"")
                    .containsPattern("pass +services ").containsPattern("pass +write-visible ").containsPattern("pass +tls ")
                    .endsWith("\n7 passed, 3 failed, 1 skipped\n");

            JsonNode report = Json.JSON.readTree(group.tpa("test", "--json").stdout());
            assertThat(report.path("summary").path("failed").asInt()).isEqualTo(3);
            JsonNode parameters = check(report, "parameters");
            assertThat(parameters.path("result").asText()).isEqualTo("fail");
            assertThat(failures(parameters)).containsExactly("pg2: work_mem = 64MB set with ALTER SYSTEM (postgresql.auto.conf); "
                    + "tpa computed 5MB; runs 64MB");

            Tpa.Result reset = group.tpa("psql", "--node", "pg2", "--", "-c", "ALTER SYSTEM RESET work_mem", "-c", "SELECT pg_reload_conf()");
            assertThat(reset.exitCode()).as(reset.output()).isZero();
            Files.delete(tests.resolve("orders_with_negative_totals.sql"));
            Files.delete(tests.resolve("typo.sql"));

            // The replica's Patroni stops (and with it its PostgreSQL).
            Tpa.Result stop = Tpa.exec(List.of("supervisorctl", "-c", group.deployment().baseDirectory() + "/supervisor/supervisord.conf",
                    "stop", "patroni-pg2"), 150);
            assertThat(stop.stdout()).as(stop.output()).contains("stopped");

            started = System.nanoTime();
            Tpa.Result stopped = group.tpa("test");
            System.out.printf("tpa test with a stopped replica took %.1f s:%n%s", (System.nanoTime() - started) / 1e9, stopped.stdout());
            assertThat(stopped.exitCode()).as(stopped.output()).isEqualTo(1);
            assertThat(stopped.stdout()).contains("pg2 (NOT RUNNING: Patroni does not answer")
                    .containsPattern("FAIL +services +1 of 2 nodes have a service down: pg2\n")
                    .contains("      pg2: patroni-pg2 is stopped; Patroni does not answer\n")
                    .containsPattern("FAIL +write-visible +a write on pg1 was visible on no other node; not on pg2")
                    .containsPattern("FAIL +replication-lag +pg2 down")
                    .containsPattern("pass +parameters ")
                    .containsPattern("pass +tests/no_superuser_apps.sql ");
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

    private static List<String> failures(JsonNode check) {
        List<String> lines = new ArrayList<>();
        check.path("nodes").forEach(node -> {
            if (node.path("result").asText().equals("fail")) {
                lines.add(node.path("node").asText() + ": " + node.path("evidence").asText());
            }
        });
        return lines;
    }
}
