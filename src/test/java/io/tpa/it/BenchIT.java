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
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * `tpa bench` on a two-node group: a short run prints a line per step and a table of figures, keeps the figures as
 * JSON in the group directory and commits them, leaves no database, log or fsync file behind, and --history draws them
 * as an SVG file that parses.
 */
class BenchIT {
    @Test
    void aShortRunKeepsItsFiguresAndTheHistoryIsDrawn() throws Exception {
        try (TestGroup group = TestGroup.create(TestGroup.config("bench", 2, ""))) {
            group.apply();

            long started = System.nanoTime();
            Tpa.Result bench = group.tpa("bench", "--duration", "10", "--clients", "2");
            System.out.printf("tpa bench --duration 10 --clients 2 took %.1f s:%n%s%s", (System.nanoTime() - started) / 1e9, bench.stderr(),
                    bench.stdout());
            assertThat(bench.exitCode()).as(bench.output()).isZero();
            assertThat(bench.stderr()).contains("[1/5] machine facts and fsync rate (pg_test_fsync) of pg1, pg2\n")
                    .contains("[4/5] read-write run on pg1: 10 s, 2 clients").contains("[5/5] select-only run on pg2: 10 s, 2 clients");
            assertThat(bench.stdout()).startsWith("Bench of group bench at ")
                    .containsPattern("(ok|LOW) +pg1 +rw_tps +\\d+(\\.\\d+)? tps +>= \\d+")
                    .containsPattern("pg1 +rw_latency_p95_ms ")
                    .containsPattern("pg2 +ro_tps ")
                    .containsPattern("pg2 +replication_lag_max_bytes ")
                    .containsPattern("pg1->pg2 +round_trip_ms ")
                    .containsPattern("pg2 +fsync_ops_per_s ");

            Path results = group.directory.resolve("bench");
            List<Path> files;
            try (Stream<Path> listing = Files.list(results)) {
                files = listing.filter(f -> f.getFileName().toString().endsWith(".json")).toList();
            }
            assertThat(files).hasSize(1);
            assertThat(files.get(0).getFileName().toString()).matches("\\d{8}T\\d{6}Z\\.json");
            JsonNode result = Json.JSON.readTree(files.get(0).toFile());
            assertThat(result.path("group").asText()).isEqualTo("bench");
            assertThat(result.path("duration_seconds").asInt()).isEqualTo(10);
            List<String> figures = new ArrayList<>();
            for (JsonNode figure : result.path("figures")) {
                figures.add(figure.path("node").asText() + " " + figure.path("name").asText());
                assertThat(figure.path("result").asText()).isIn("ok", "low", "info");
            }
            assertThat(figures).containsExactlyInAnyOrder("pg1 fsync_ops_per_s", "pg2 fsync_ops_per_s", "pg1->pg2 round_trip_ms",
                    "pg2->pg1 round_trip_ms", "pg1 rw_tps", "pg1 rw_latency_p50_ms", "pg1 rw_latency_p95_ms", "pg1 rw_latency_p99_ms",
                    "pg2 replication_lag_max_bytes", "pg2 replication_lag_max_s", "pg2 ro_tps", "pg2 ro_latency_avg_ms");
            JsonNode tps = figure(result, "rw_tps");
            assertThat(tps.path("value").asDouble()).isPositive();
            double p50 = figure(result, "rw_latency_p50_ms").path("value").asDouble();
            double p99 = figure(result, "rw_latency_p99_ms").path("value").asDouble();
            assertThat(p50).isPositive().isLessThanOrEqualTo(figure(result, "rw_latency_p95_ms").path("value").asDouble());
            assertThat(figure(result, "rw_latency_p95_ms").path("value").asDouble()).isLessThanOrEqualTo(p99);
            assertThat(result.path("nodes").get(0).path("machine").path("cpus").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());

            try (Git git = Git.open(group.directory.toFile())) {
                RevCommit last = git.log().setMaxCount(1).call().iterator().next();
                assertThat(last.getFullMessage()).startsWith("tpa bench: ");
                assertThat(git.status().call().getUntracked()).as("the result is committed").isEmpty();
            }
            try (Connection connection = group.connect("pg1"); Statement statement = connection.createStatement();
                 ResultSet left = statement.executeQuery("SELECT count(*) FROM pg_database WHERE datname = 'tpa_bench'")) {
                left.next();
                assertThat(left.getInt(1)).as("the bench database is dropped").isZero();
            }
            for (String node : List.of("pg1", "pg2")) {
                Path nodeDirectory = Path.of(group.deployment().baseDirectory(), "nodes", node);
                assertThat(nodeDirectory.resolve("tpa-bench")).as("pgbench's logs are removed").doesNotExist();
                assertThat(nodeDirectory.resolve("tpa-bench-fsync.tmp")).as("the fsync test file is removed").doesNotExist();
            }

            Tpa.Result history = group.tpa("bench", "--history");
            assertThat(history.exitCode()).as(history.output()).isZero();
            Path chart = results.resolve("history.svg");
            assertThat(history.stdout().trim()).isEqualTo(chart.toString());
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document svg = factory.newDocumentBuilder().parse(chart.toFile());
            assertThat(svg.getDocumentElement().getLocalName()).isEqualTo("svg");
            assertThat(svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g").getLength()).isEqualTo(2);
            assertThat(svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "circle").getLength()).as("a point per run and series").isEqualTo(2);
            assertThat(svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline").getLength()).isEqualTo(2);
        }
    }

    private static JsonNode figure(JsonNode result, String name) {
        for (JsonNode figure : result.path("figures")) {
            if (figure.path("name").asText().equals(name)) {
                return figure;
            }
        }
        throw new AssertionError("no figure " + name + " in " + result);
    }
}
