package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.wait.Wait;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A standby cluster, as a user lives it: a group of two clusters (main: pg1, pg2; dr: pg3, pg4) where dr
 * replicates from main; dr is promoted (main becomes its standby and follows), main is promoted back,
 * dr is removed. Real PostgreSQL, Patroni and etcd, one group.
 */
class StandbyClusterIT {
    private static final String CONFIG = """
            name: standby
            clusters:
              - name: main
                location: dc1
                nodes:
                  - name: pg1
                  - name: pg2
              - name: dr
                location: dc2
                nodes:
                  - name: pg3
                  - name: pg4
            """;

    @Test
    void aStandbyClusterFollowsIsPromotedAndIsRemoved() throws SQLException {
        try (TestGroup group = TestGroup.create(CONFIG)) {
            long start = System.nanoTime();
            Tpa.Result apply = group.apply();
            double applied = seconds(start);
            assertThat(apply.stdout()).contains("start Patroni (standby leader: clone from the primary cluster)");
            assertThat(roles(group)).containsExactly("main:pg1:primary", "main:pg2:replica", "dr:pg3:standby_leader", "dr:pg4:replica");

            // Written on the primary cluster, read on both nodes of the standby cluster, which refuses writes.
            execute(group, "pg1", "CREATE TABLE notes (id int PRIMARY KEY, text text)", "INSERT INTO notes VALUES (1, 'from main')");
            waitForRow(group, List.of("pg3", "pg4"), 1);
            assertThatThrownBy(() -> execute(group, "pg3", "INSERT INTO notes VALUES (9, 'refused')"))
                    .hasMessageContaining("read-only transaction");
            assertThat(query(group, "pg1", "SELECT slot_name FROM pg_replication_slots WHERE slot_name = 'standby_dr'")).containsExactly("standby_dr");

            // The primary cluster cannot go while a standby cluster replicates from it.
            Tpa.Result refused = cluster(group, "remove", "main", "--yes");
            assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
            assertThat(refused.stderr()).contains("cluster main is the primary cluster").contains("promote another cluster first");

            // Promote dr: it takes writes on a new timeline; main becomes its standby and receives them.
            long timelineBefore = group.status().path("clusters").get(1).path("nodes").get(0).path("timeline").asLong();
            start = System.nanoTime();
            Tpa.Result promote = cluster(group, "promote", "dr");
            double promoted = seconds(start);
            assertThat(promote.exitCode()).as(promote.output()).isZero();
            assertThat(promote.stdout()).contains("promote cluster dr").contains("demote: make it a standby cluster of dr");
            execute(group, "pg3", "INSERT INTO notes VALUES (2, 'from dr')");
            assertThat(timeline(group, "pg3")).isGreaterThan(timelineBefore);
            waitForRow(group, List.of("pg1", "pg2", "pg4"), 2);
            assertThat(roles(group)).containsExactly("dr:pg3:primary", "dr:pg4:replica", "main:pg1:standby_leader", "main:pg2:replica");
            assertThat(group.history().get(0)).startsWith("tpa cluster promote:");
            assertThat(group.deployment().clusters().get(0).name()).isEqualTo("dr");

            // Fail back to main, then remove dr: nothing of it runs, and main keeps no slot for it.
            start = System.nanoTime();
            Tpa.Result back = cluster(group, "promote", "main");
            double failedBack = seconds(start);
            assertThat(back.exitCode()).as(back.output()).isZero();
            execute(group, "pg1", "INSERT INTO notes VALUES (3, 'from main again')");
            waitForRow(group, List.of("pg3", "pg4"), 3);
            String base = group.deployment().baseDirectory();
            start = System.nanoTime();
            Tpa.Result remove = cluster(group, "remove", "dr", "--yes");
            double removed = seconds(start);
            assertThat(remove.exitCode()).as(remove.output()).isZero();
            assertThat(Tpa.exec(List.of("pgrep", "-f", "--", base + "/nodes/pg[34]/"), 10).exitCode()).as("processes of dr").isNotZero();
            assertThat(query(group, "pg1", "SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE 'standby_%'")).isEmpty();
            assertThat(roles(group)).containsExactly("main:pg1:primary", "main:pg2:replica");
            assertThat(group.history().get(0)).startsWith("tpa cluster remove:");
            Tpa.Result plan = group.tpa("plan");
            assertThat(plan.exitCode()).as(plan.output()).isZero();
            System.out.printf("StandbyClusterIT: apply %.1f s, promote dr %.1f s, promote main %.1f s, remove dr %.1f s%n",
                    applied, promoted, failedBack, removed);
        }
    }

    private static Tpa.Result cluster(TestGroup group, String subcommand, String... more) {
        List<String> arguments = new ArrayList<>(List.of("cluster", subcommand, group.path()));
        arguments.addAll(List.of(more));
        return Tpa.run(arguments.toArray(String[]::new));
    }

    private static List<String> roles(TestGroup group) {
        List<String> roles = new ArrayList<>();
        JsonNode status = group.status();
        status.path("clusters").forEach(cluster -> cluster.path("nodes").forEach(node ->
                roles.add(cluster.path("name").asText() + ":" + node.path("name").asText() + ":" + node.path("role").asText())));
        return roles;
    }

    private static void execute(TestGroup group, String node, String... statements) throws SQLException {
        try (Connection connection = group.connect(node); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static List<String> query(TestGroup group, String node, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = group.connect(node); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }

    /** The timeline a primary writes on: the first 8 hex digits of its current WAL file's name. */
    private static long timeline(TestGroup group, String node) throws SQLException {
        return Long.parseLong(query(group, node, "SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)").get(0), 16);
    }

    private static void waitForRow(TestGroup group, List<String> nodes, int id) {
        for (String node : nodes) {
            Wait.until("for row " + id + " to reach " + node, Duration.ofSeconds(30), () -> {
                try {
                    return query(group, node, "SELECT text FROM notes WHERE id = " + id).isEmpty() ? "no row yet" : null;
                } catch (SQLException e) {
                    return e.getMessage();
                }
            });
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
