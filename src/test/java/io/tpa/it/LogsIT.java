package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Logs as an operator reads them: a slow statement on a two-node group shows up in `tpa logs` as a jsonlog line,
 * every node and service is there, --grep, --since and --json narrow and shape them, and `tpa report logs` turns the
 * PostgreSQL lines into a pgBadger report kept out of the group's history.
 */
class LogsIT {
    @Test
    void aSlowStatementIsInTheLogsAndInThePgbadgerReport() throws Exception {
        String extra = "postgres:\n  logging:\n    slow_statement_ms: 200\n";
        try (TestGroup group = TestGroup.create(TestGroup.config("logs", 2, extra))) {
            group.apply();
            try (Connection connection = group.connect("pg1"); Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_sleep(0.4)");
            }

            Tpa.Result all = group.tpa("logs");
            assertThat(all.exitCode()).as(all.output()).isZero();
            List<String> lines = all.stdout().lines().toList();
            assertThat(lines).anyMatch(line -> line.startsWith("pg1 postgres "))
                    .anyMatch(line -> line.startsWith("pg2 postgres "))
                    .anyMatch(line -> line.startsWith("pg1 patroni "))
                    .anyMatch(line -> line.startsWith("pg2 patroni "));
            List<String> times = lines.stream().map(line -> line.split(" ", 4)[2]).filter(time -> !time.equals("-")).toList();
            assertThat(times).as("sorted by time").isSorted();

            Tpa.Result slow = group.tpa("logs", "pg1", "--service", "postgres", "--grep", "duration: .*pg_sleep", "--json");
            assertThat(slow.exitCode()).as(slow.output()).isZero();
            List<JsonNode> objects = new ArrayList<>();
            for (String line : slow.stdout().lines().toList()) {
                objects.add(Json.JSON.readTree(line));
            }
            assertThat(objects).isNotEmpty().allSatisfy(object -> {
                assertThat(object.path("node").asText()).isEqualTo("pg1");
                assertThat(object.path("service").asText()).isEqualTo("postgres");
                assertThat(object.path("record").path("message").asText()).contains("pg_sleep(0.4)");
                assertThat(Json.JSON.readTree(object.path("line").asText()).path("error_severity").asText()).isEqualTo("LOG");
            });

            Tpa.Result future = group.tpa("logs", "--since", "2099-01-01");
            assertThat(future.exitCode()).isZero();
            assertThat(future.stdout()).isEmpty();
            Tpa.Result recent = group.tpa("logs", "--since", "10m", "--service", "patroni");
            assertThat(recent.stdout().lines().toList()).isNotEmpty().allMatch(line -> line.contains(" patroni "));

            Tpa.Result etcd = group.tpa("logs", "--service", "etcd");
            assertThat(etcd.exitCode()).as(etcd.output()).isZero();
            assertThat(etcd.stdout().lines().toList()).allMatch(line -> line.startsWith("pg1 etcd "));

            Tpa.Result badService = group.tpa("logs", "--service", "pgbouncr");
            assertThat(badService.exitCode()).isEqualTo(2);
            assertThat(badService.stderr().strip()).isEqualTo("tpa: unknown service 'pgbouncr'; the services tpa reads logs of are postgres, patroni, etcd, pgbouncer, haproxy, pgbackrest");
            Tpa.Result badNode = group.tpa("logs", "pg9");
            assertThat(badNode.exitCode()).isEqualTo(2);
            assertThat(badNode.stderr().strip()).isEqualTo("tpa: unknown node 'pg9'; the group's nodes are pg1, pg2");

            Process follow = Tpa.start("logs", group.path(), "pg1", "--service", "postgres", "--follow");
            try {
                java.util.concurrent.CompletableFuture<String> seen = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try (java.io.BufferedReader reader = follow.inputReader()) {
                        String line;
                        while ((line = reader.readLine()) != null) {
                            if (line.contains("followed-marker")) {
                                return line;
                            }
                        }
                        return null;
                    } catch (java.io.IOException e) {
                        return null;
                    }
                });
                Thread.sleep(3000);
                try (Connection connection = group.connect("pg1"); Statement statement = connection.createStatement()) {
                    statement.execute("SELECT pg_sleep(0.4), 'followed-marker'");
                }
                assertThat(seen.get(20, java.util.concurrent.TimeUnit.SECONDS)).as("--follow prints a new line")
                        .startsWith("pg1 postgres ").contains("duration: ");
            } finally {
                follow.destroy();
                follow.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }

            Tpa.Result report = Tpa.run("report", "logs", group.path());
            assertThat(report.exitCode()).as(report.output()).isZero();
            Path file = Path.of(report.stdout().strip());
            assertThat(file.getParent()).isEqualTo(group.directory.resolve("reports"));
            assertThat(Files.readString(file)).contains("pgBadger").contains("pg_sleep");
            assertThat(Files.readString(group.directory.resolve(".gitignore"))).contains("reports/");
        }
    }
}
