package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.wait.Wait;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A replica leaves its group and becomes the primary of a new, independent group: with the data as of the fork, on a
 * new timeline, with secrets of its own, while the source keeps running (and taking writes) with one replica fewer.
 * The fork is killed once the data has moved and run again: it finishes where it stopped.
 */
class ForkIT {
    @Test
    void aReplicaForksIntoANewIndependentGroup() throws Exception {
        try (TestGroup source = TestGroup.create(TestGroup.config("forksrc", 3, ""));
             TestGroup fork = TestGroup.create("name: taken\n");
             AutoCloseable leftovers = () -> destroyUnrecorded(fork)) {
            source.apply();
            Path into = fork.directory;

            // Refused, each with one line, and nothing changes.
            assertRefused(source.tpa("fork", "pg3", "--into", into.toString()), 2,
                    "tpa: --into " + into + ": " + into.resolve("tpa.yml") + " already exists; fork into a new or empty directory");
            Files.delete(into.resolve("tpa.yml")); // from here on, an empty directory for the new group
            assertRefused(source.tpa("fork", "pg1", "--into", into.toString()), 1,
                    "tpa: pg1 is the primary of cluster main; switch over first (`tpa switchover " + source.path() + "`), then fork it");
            assertRefused(source.tpa("fork", "pg9", "--into", into.toString()), 2, "tpa: pg9: no such node in group forksrc; nodes: pg1, pg2, pg3");
            assertRefused(source.tpa("fork", "pg3", "--into", into.toString(), "--name", "No_Such"), 2, "tpa: --name No_Such: 'No_Such' is "
                    + "not a valid group name; names use lowercase letters, digits and hyphens, start with a letter and are at most 40 characters long");
            String supervisor = source.deployment().baseDirectory() + "/supervisor/supervisord.conf";
            Tpa.exec(List.of("supervisorctl", "-c", supervisor, "stop", "patroni-pg2"), 120);
            try {
                assertRefused(source.tpa("fork", "pg3", "--into", into.toString()), 1, "tpa: group forksrc is not healthy (pg2's Patroni does not "
                        + "answer); fork only from a healthy group: see `tpa status " + source.path() + "`");
            } finally {
                Tpa.exec(List.of("supervisorctl", "-c", supervisor, "start", "patroni-pg2"), 120);
                Wait.until("for pg2 to stream again", Duration.ofSeconds(60), source::whyNotHealthy);
            }
            Tpa.Result dryRun = source.tpa("fork", "pg3", "--into", into.toString(), "--dry-run");
            assertThat(dryRun.exitCode()).as(dryRun.output()).isZero();
            assertThat(dryRun.stdout()).contains("Would fork pg3 out of group forksrc into " + into + " as group forksrc-pg3")
                    .contains("remove nodes           pg3");
            assertThat(into.resolve("tpa.yml")).doesNotExist();
            long sourceTimeline = primaryOf(source.status()).path("timeline").asLong();

            // The fork, under writes to the source; killed once the data has moved, then run again.
            try (Writer writer = new Writer(source, 120)) {
                Wait.until("for the writer to commit", Duration.ofSeconds(20), () -> writer.count() >= 20);
                List<Long> beforeFork = writer.acknowledgedIds();
                long started = System.nanoTime();
                List<String> killed = runUntil(source, into, "move its data directory");
                Tpa.Result resumed = source.tpa("fork", "pg3", "--into", into.toString());
                double seconds = (System.nanoTime() - started) / 1e9;
                int atFork = writer.count();
                Wait.until("for the writer to commit after the fork", Duration.ofSeconds(30), () -> writer.count() >= atFork + 20);
                writer.close();
                List<Long> acknowledged = writer.acknowledgedIds();
                List<Long> afterForkEnded = acknowledged.subList(atFork, acknowledged.size());
                System.out.printf("fork, killed after the move and run again: %.1f s%n", seconds);

                assertThat(String.join("\n", killed)).contains("pg3          fork                   stop Patroni");
                assertThat(resumed.exitCode()).as(resumed.output()).isZero();
                assertThat(resumed.stdout()).doesNotContain("move its data directory")
                        .contains("start Patroni (bootstrap from the forked data: promote on a new timeline)")
                        .contains("pg3 left group forksrc and leads group forksrc-pg3 in " + into + " on timeline ");

                // The data as of the fork: every commit acknowledged before it began, none made after it ended.
                Set<Long> forked = ids(fork, "pg3");
                assertThat(forked).containsAll(beforeFork);
                assertThat(forked).doesNotContainAnyElementsOf(afterForkEnded);
                assertThat(ids(source, source.deployment().clusters().get(0).primary())).containsAll(afterForkEnded).containsAll(forked);
            }

            // Two groups now: the source with two nodes and a config without pg3, the fork writable on a new timeline.
            JsonNode sourceStatus = source.status();
            assertThat(sourceStatus.path("clusters").get(0).path("nodes")).hasSize(2);
            assertThat(Files.readString(source.directory.resolve("tpa.yml"))).doesNotContain("pg3");
            // The config edit's commit, followed by the removal's own commit unless the killed run had recorded the removal.
            assertThat(source.history().subList(0, 2)).contains("tpa fork: pg3 left for " + into);
            JsonNode forkStatus = fork.status();
            assertThat(forkStatus.path("name").asText()).isEqualTo("forksrc-pg3");
            JsonNode forkPrimary = primaryOf(forkStatus);
            assertThat(forkPrimary.path("name").asText()).isEqualTo("pg3");
            assertThat(forkPrimary.path("timeline").asLong()).isGreaterThan(sourceTimeline);
            List<String> forkHistory = fork.history();
            assertThat(forkHistory.get(forkHistory.size() - 1)).startsWith("tpa fork: from " + source.directory + " at ");
            assertThat(fork.superuserPassword()).isNotEqualTo(source.superuserPassword());
            assertThat(Files.readString(Path.of(fork.deployment().baseDirectory(), "nodes/pg3/pgdata/pg_hba.conf"))).doesNotContain("trust");
            assertThat(fork.tpa("apply").stdout()).startsWith("No changes: group forksrc-pg3 matches its config and is healthy");
            assertThat(source.tpa("fork", "pg3", "--into", into.toString()).stdout()).startsWith("Nothing to do: pg3 already left group forksrc");

            // Independent: a write in one never appears in the other.
            execute(fork, "pg3", "CREATE TABLE only_in_fork (id int); INSERT INTO writes (id) VALUES (-1)");
            String sourcePrimary = source.deployment().clusters().get(0).primary();
            execute(source, sourcePrimary, "CREATE TABLE only_in_source (id int); INSERT INTO writes (id) VALUES (-2)");
            Wait.until("for the source's replicas to replay", Duration.ofSeconds(30), source::whyNotHealthy);
            assertThat(ids(fork, "pg3")).contains(-1L).doesNotContain(-2L);
            assertThat(ids(source, sourcePrimary)).contains(-2L).doesNotContain(-1L);
            assertThat(tables(fork, "pg3")).contains("only_in_fork").doesNotContain("only_in_source");
            assertThat(tables(source, sourcePrimary)).contains("only_in_source").doesNotContain("only_in_fork");

            // Destroying the fork leaves the source running; the source is destroyed on the way out.
            Tpa.Result destroyed = fork.tpa("destroy", "--yes");
            assertThat(destroyed.exitCode()).as(destroyed.output()).isZero();
            assertThat(source.whyNotHealthy()).isNull();
            execute(source, sourcePrimary, "INSERT INTO writes (id) VALUES (-3)");
        }
    }

    /** A fork that stopped before the new group's first record leaves data behind that only `tpa destroy` finds. */
    private static void destroyUnrecorded(TestGroup fork) {
        if (Files.exists(fork.directory.resolve("tpa.yml")) && !Files.exists(fork.directory.resolve("deployment.json"))) {
            Tpa.run("destroy", fork.path(), "--yes");
        }
    }

    /** Runs the fork until it prints a line containing {@code line}, then kills it (kill -9); returns what it printed. */
    private static List<String> runUntil(TestGroup source, Path into, String line) throws Exception {
        Process process = Tpa.start("fork", source.path(), "pg3", "--into", into.toString());
        List<String> printed = new ArrayList<>();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String next;
            while ((next = output.readLine()) != null) {
                printed.add(next);
                if (next.contains(line)) {
                    break;
                }
            }
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(printed).as("the fork's output before it was killed").anyMatch(printedLine -> printedLine.contains(line));
        return printed;
    }

    private static void assertRefused(Tpa.Result result, int exitCode, String message) {
        assertThat(result.stderr().strip()).isEqualTo(message);
        assertThat(result.exitCode()).isEqualTo(exitCode);
    }

    private static JsonNode primaryOf(JsonNode status) {
        for (JsonNode node : status.path("clusters").get(0).path("nodes")) {
            if (node.path("role").asText().equals("primary")) {
                return node;
            }
        }
        throw new AssertionError("no primary in " + status);
    }

    private static Set<Long> ids(TestGroup group, String node) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Connection connection = group.connect(node); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM writes")) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        return ids;
    }

    private static Set<String> tables(TestGroup group, String node) throws SQLException {
        Set<String> tables = new HashSet<>();
        try (Connection connection = group.connect(node); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }

    private static void execute(TestGroup group, String node, String sql) throws SQLException {
        try (Connection connection = group.connect(node); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
