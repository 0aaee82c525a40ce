package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.model.DeployedNode;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The endpoints an application team uses (`endpoints:` in tpa.yml): the read-write endpoint reaches the primary, the
 * read-only one the replicas and never the primary while a replica is healthy, the pooled ones go through pgbouncer
 * with a normal user's password, a pgbouncer reload keeps the open connections, the read-write endpoint follows a
 * switchover, and removing the section removes HAProxy and pgbouncer.
 */
class EndpointsIT {
    private static final String CONFIG = """
            name: endpoints
            endpoints:
              pool_size: %d
              max_clients: %d
              max_replica_lag: 16MB
            clusters:
              - name: main
                nodes:
                  - name: pg1
                  - name: pg2
                  - name: pg3
            """;

    @Test
    void applicationsReachThePrimaryAndTheReplicasThroughTheEndpoints() throws Exception {
        long started = System.nanoTime();
        try (TestGroup group = TestGroup.create(CONFIG.formatted(5, 100))) {
            Tpa.Result apply = group.apply();
            assertThat(apply.stdout()).contains("create role tpa_pgbouncer", "start pgbouncer", "start HAProxy");
            String primary = primaryAddress(group);
            List<String> replicas = group.deployment().nodes().stream().map(DeployedNode::address).filter(a -> !a.equals(primary)).toList();
            com.fasterxml.jackson.databind.JsonNode status = group.status().path("endpoints");
            assertThat(status.path("ports").path("rw").asInt()).isEqualTo(5000);
            assertThat(status.path("nodes")).hasSize(3).allSatisfy(node -> assertThat(node.path("down")).isEmpty());
            assertThat(group.tpa("status").stdout()).contains("Endpoints on every node: rw 5000, ro 5001, rw pooled 5002");
            String superuser = group.superuserPassword();
            String app = Tpa.run("secrets", "show", group.path(), "app").stdout().strip();

            // The URI `tpa connect-string` prints, as psql uses it: every node's HAProxy, the group's CA.
            Tpa.Result uri = group.tpa("connect-string", "--endpoint", "rw", "--show-password");
            assertThat(uri.exitCode()).as(uri.output()).isZero();
            assertThat(uri.stdout()).contains(":5000,", "sslmode=verify-ca", "tls%2Fca.crt");
            Tpa.Result psql = Tpa.exec(List.of("psql", uri.stdout().strip(), "-XAtc", "SELECT pg_is_in_recovery(), inet_server_addr()"), 30);
            assertThat(psql.stdout().strip()).as(psql.output()).isEqualTo("f|" + primary);
            assertThat(group.tpa("connect-string", "--endpoint", "ro", "--pooled").stdout()).contains(":5003,", "/app?");

            // Read-write: the primary, whichever node's HAProxy the client reaches.
            for (DeployedNode node : group.deployment().nodes()) {
                assertThat(serverOf(group, node.address(), 5000, "postgres", "postgres", superuser)).isEqualTo("f|" + primary);
            }
            // Read-only: the replicas, each in turn, never the primary.
            Set<String> readers = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                String answer = serverOf(group, group.deployment().nodes().get(i % 3).address(), 5001, "postgres", "postgres", superuser);
                assertThat(answer).startsWith("t|");
                readers.add(answer.substring(2));
            }
            assertThat(readers).containsExactlyInAnyOrderElementsOf(replicas);

            // Pooled: through pgbouncer, as the application role with its own password (looked up with auth_query).
            assertThat(serverOf(group, primary, 5002, "app", "app", app)).isEqualTo("f|" + primary);
            assertThat(serverOf(group, primary, 5003, "app", "app", app)).startsWith("t|");
            assertThatThrownBy(() -> serverOf(group, primary, 5002, "app", "app", app + "x"))
                    .as("a wrong password is refused by pgbouncer").isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> serverOf(group, primary, 5002, "postgres", "postgres", superuser))
                    .as("pgbouncer lets no superuser in").isInstanceOf(SQLException.class);

            // A reload of pgbouncer and HAProxy (new pool size and client limit) keeps the connection open through them,
            // and every new connection to the read-write endpoint meanwhile still reaches the primary.
            try (Connection pooled = connect(group, primary, 5002, "app", "app", app); Statement statement = pooled.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS visits (id int)");
                group.writeConfig(CONFIG.formatted(6, 101));
                java.util.concurrent.atomic.AtomicBoolean reloading = new java.util.concurrent.atomic.AtomicBoolean(true);
                java.util.concurrent.CompletableFuture<List<String>> writers = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    List<String> answers = new java.util.ArrayList<>();
                    while (reloading.get() && answers.size() < 2000) {
                        try {
                            answers.add(serverOf(group, primary, 5000, "postgres", "postgres", superuser));
                        } catch (SQLException e) {
                            answers.add(e.getMessage());
                        }
                    }
                    return answers;
                });
                Tpa.Result reload;
                try {
                    reload = group.apply();
                } finally {
                    reloading.set(false);
                }
                assertThat(reload.stdout()).contains("update pgbouncer configuration and reload", "update HAProxy configuration and reload")
                        .doesNotContain("start pgbouncer", "start HAProxy");
                List<String> answers = writers.join();
                assertThat(answers).as("every connection to rw during the reload").isNotEmpty().containsOnly("f|" + primary);
                assertThat(group.history().get(0)).contains("endpoints");
                statement.execute("INSERT INTO visits VALUES (1)");
                assertThat(rows(statement, "SELECT count(*), pg_is_in_recovery() FROM visits")).containsExactly("1|f");
            }
            Tpa.Result second = group.tpa("apply");
            assertThat(second.exitCode()).as(second.output()).isZero();
            assertThat(second.stdout()).contains("No changes");

            // A switchover: the read-write endpoint reaches the new primary within a few seconds of it.
            Tpa.Result switchover = group.tpa("switchover");
            assertThat(switchover.exitCode()).as(switchover.output()).isZero();
            long switched = System.nanoTime();
            String newPrimary = primaryAddress(group);
            assertThat(newPrimary).isNotEqualTo(primary);
            String answer = null;
            while (System.nanoTime() - switched < 15_000_000_000L) {
                try {
                    answer = serverOf(group, primary, 5000, "postgres", "postgres", superuser);
                    if (answer.equals("f|" + newPrimary)) {
                        break;
                    }
                } catch (SQLException e) {
                    answer = e.getMessage();
                }
                Thread.sleep(200);
            }
            double seconds = (System.nanoTime() - switched) / 1e9;
            System.out.printf("endpoints: rw reached the new primary %.2f s after the switchover%n", seconds);
            assertThat(answer).isEqualTo("f|" + newPrimary);
            assertThat(seconds).isLessThan(10);
            assertThat(serverOf(group, newPrimary, 5003, "app", "app", app)).startsWith("t|").doesNotContain(newPrimary);

            // Without the section: HAProxy, pgbouncer and the lookup role are gone.
            group.writeConfig(TestGroup.config("endpoints", 3, ""));
            Tpa.Result removal = group.apply();
            assertThat(removal.stdout()).contains("stop and remove pgbouncer and HAProxy", "drop role tpa_pgbouncer");
            for (DeployedNode node : group.deployment().nodes()) {
                for (int port : new int[] {5000, 5001, 5002, 5003, 6432}) {
                    assertThat(listening(node.address(), port)).as(node.name() + ":" + port).isFalse();
                }
            }
            try (Connection connection = group.connect(group.deployment().nodes().stream().filter(n -> n.address().equals(newPrimary))
                    .findFirst().orElseThrow().name()); Statement statement = connection.createStatement()) {
                assertThat(rows(statement, "SELECT count(*) FROM pg_roles WHERE rolname = 'tpa_pgbouncer'")).containsExactly("0");
            }
            assertThat(group.tpa("connect-string", "--endpoint", "rw").stderr()).contains("endpoints: {}");
            assertThat(group.status().has("endpoints")).isFalse();
            assertThat(group.tpa("plan").stdout()).contains("No changes");
        }
        System.out.printf("EndpointsIT: %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    static String primaryAddress(TestGroup group) {
        for (com.fasterxml.jackson.databind.JsonNode node : group.status().path("clusters").path(0).path("nodes")) {
            if (node.path("role").asText().equals("primary")) {
                return node.path("host").asText();
            }
        }
        throw new AssertionError("no primary in tpa status --json: " + group.status());
    }

    static Connection connect(TestGroup group, String address, int port, String database, String user, String password)
            throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + address + ":" + port + "/" + database
                + "?connectTimeout=5&sslmode=verify-ca&sslrootcert=" + group.directory.resolve("tls/ca.crt"), user, password);
    }

    /** "f|127.20.0.4": whether the server that answered is in recovery, and its address. */
    static String serverOf(TestGroup group, String address, int port, String database, String user, String password)
            throws SQLException {
        try (Connection connection = connect(group, address, port, database, user, password); Statement statement = connection.createStatement()) {
            return rows(statement, "SELECT pg_is_in_recovery(), host(inet_server_addr())").get(0);
        }
    }

    static List<String> rows(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            List<String> rows = new java.util.ArrayList<>();
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int column = 1; column <= columns; column++) {
                    row.append(column == 1 ? "" : "|").append(result.getString(column));
                }
                rows.add(row.toString());
            }
            return rows;
        }
    }

    private static boolean listening(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
