package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.DeployedNode;
import io.tpa.wait.Wait;
import io.tpa.workspace.GroupDirectory;
import io.tpa.workspace.GroupLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The life of a 3-node HA group on the local platform, as a user lives it: apply, write and
 * read, re-apply, change a parameter, lose a process, destroy. Real PostgreSQL, Patroni and etcd.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaGroupIT {
    private static final String EXTRA = "postgres:\n  extensions: [pg_stat_statements, pgcrypto]\n";
    private TestGroup group;
    private Tpa.Result firstApply;

    @BeforeAll
    void applyGroup() {
        group = TestGroup.create(TestGroup.config("ha", 3, EXTRA));
        firstApply = group.apply();
    }

    @AfterAll
    void destroyGroup() {
        if (group != null) {
            group.close();
        }
    }

    @Test
    @Order(1)
    void applyBringsUpOnePrimaryAndTwoStreamingReplicas() {
        assertThat(firstApply.stdout()).contains("start Patroni (bootstrap a new cluster)").contains("the group is healthy");
        JsonNode status = group.status();
        assertThat(status.path("name").asText()).isEqualTo("ha");
        List<String> roles = new ArrayList<>();
        status.path("clusters").get(0).path("nodes").forEach(node -> {
            roles.add(node.path("role").asText());
            assertThat(node.path("state").asText()).isEqualTo("running");
            assertThat(node.path("port").asInt()).isEqualTo(5432);
            assertThat(node.path("host").asText()).startsWith("127.");
            assertThat(node.path("timeline").asLong()).isEqualTo(1);
        });
        assertThat(roles).containsExactly("primary", "replica", "replica");
        assertThat(group.history()).first().asString().startsWith("tpa apply:");
    }

    @Test
    @Order(2)
    void servicesRunAsPostgresNeverRoot() {
        String base = group.deployment().baseDirectory();
        Tpa.Result processes = Tpa.exec(List.of("ps", "-eo", "user:20,args", "--no-headers"), 30);
        List<String> ours = processes.stdout().lines().filter(line -> line.contains(base)).toList();
        assertThat(ours).isNotEmpty();
        for (String line : ours) {
            if (line.contains("supervisord")) {
                continue; // the supervisor itself; everything it runs drops privileges
            }
            assertThat(line).as("process of the group").doesNotStartWith("root ");
        }
        assertThat(ours).anyMatch(line -> line.startsWith("postgres ") && line.contains("/usr/bin/patroni"));
        assertThat(ours).anyMatch(line -> line.startsWith("postgres ") && line.contains("postgres -D"));
    }

    @Test
    @Order(3)
    void aWriteOnThePrimaryIsReadOnBothReplicas() throws SQLException {
        try (Connection primary = group.connect("pg1"); Statement statement = primary.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS greetings (id int PRIMARY KEY, text text)");
            statement.execute("INSERT INTO greetings VALUES (1, 'hello from pg1') ON CONFLICT DO NOTHING");
        }
        for (String replica : List.of("pg2", "pg3")) {
            Wait.until("for the row to reach " + replica, Duration.ofSeconds(30), () -> {
                try (Connection connection = group.connect(replica); Statement statement = connection.createStatement()) {
                    ResultSet inRecovery = statement.executeQuery("SELECT pg_is_in_recovery()");
                    inRecovery.next();
                    assertThat(inRecovery.getBoolean(1)).as(replica + " is a replica").isTrue();
                    ResultSet rows = statement.executeQuery("SELECT text FROM greetings WHERE id = 1");
                    return rows.next() ? null : "no row yet";
                } catch (SQLException e) {
                    return e.getMessage();
                }
            });
        }
    }

    @Test
    @Order(4)
    void extensionsAreCreatedAndPreloaded() throws SQLException {
        try (Connection primary = group.connect("pg1"); Statement statement = primary.createStatement()) {
            ResultSet extensions = statement.executeQuery("SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension");
            extensions.next();
            assertThat(extensions.getString(1)).contains("pg_stat_statements").contains("pgcrypto");
            ResultSet preload = statement.executeQuery("SHOW shared_preload_libraries");
            preload.next();
            assertThat(preload.getString(1)).isEqualTo("pg_stat_statements");
            ResultSet checksums = statement.executeQuery("SHOW data_checksums");
            checksums.next();
            assertThat(checksums.getString(1)).isEqualTo("on");
        }
    }

    @Test
    @Order(5)
    void reApplyingAnUnchangedConfigDoesNothing() {
        int commits = group.history().size();
        Tpa.Result plan = group.tpa("plan");
        assertThat(plan.exitCode()).as(plan.output()).isZero();
        assertThat(plan.stdout()).contains("No changes");
        Tpa.Result apply = group.apply();
        assertThat(apply.stdout()).startsWith("No changes: group ha matches its config and is healthy");
        assertThat(group.history()).hasSize(commits);
    }

    @Test
    @Order(6)
    void aReloadableParameterChangeIsAppliedWithoutRestart() throws SQLException {
        List<String> startTimes = postmasterStartTimes();
        group.writeConfig(TestGroup.config("ha", 3, EXTRA + "  parameters: {work_mem: 12MB}\n"));
        Tpa.Result plan = group.tpa("plan", "--json");
        assertThat(plan.exitCode()).as(plan.output()).isEqualTo(2);
        assertThat(plan.stdout()).contains("work_mem").doesNotContain("restart");
        group.apply();
        for (String node : List.of("pg1", "pg2", "pg3")) {
            Wait.until("for work_mem to be 12MB on " + node, Duration.ofSeconds(30), () -> {
                try (Connection connection = group.connect(node); Statement statement = connection.createStatement()) {
                    ResultSet value = statement.executeQuery("SHOW work_mem");
                    value.next();
                    return value.getString(1).equals("12MB") ? null : "work_mem is " + value.getString(1);
                } catch (SQLException e) {
                    return e.getMessage();
                }
            });
        }
        assertThat(postmasterStartTimes()).isEqualTo(startTimes);
        assertThat(group.history()).first().asString().contains("patroni configuration");
    }

    @Test
    @Order(7)
    void aKilledPostgresIsBroughtBack() throws Exception {
        DeployedNode replica = group.node("pg2");
        long before = postmasterPid(replica);
        Tpa.exec(List.of("kill", "-KILL", Long.toString(before)), 10);
        Wait.until("for pg2's PostgreSQL to run again under a new postmaster", Duration.ofSeconds(60), () -> {
            try {
                long now = postmasterPid(replica);
                return now != before && streamingEverywhere() ? null : "postmaster " + now;
            } catch (Exception e) {
                return e.getMessage();
            }
        });
    }

    @Test
    @Order(8)
    void aKilledPatroniIsRestartedByTheSupervisor() {
        String base = group.deployment().baseDirectory();
        Tpa.Result pgrep = Tpa.exec(List.of("pgrep", "-f", "/usr/bin/patroni " + base + "/nodes/pg3/"), 10);
        assertThat(pgrep.exitCode()).isZero();
        String pid = pgrep.stdout().strip().lines().findFirst().orElseThrow();
        Tpa.exec(List.of("kill", "-KILL", pid), 10);
        Wait.until("for pg3's Patroni to be back", Duration.ofSeconds(60), () -> {
            Tpa.Result again = Tpa.exec(List.of("pgrep", "-f", "/usr/bin/patroni " + base + "/nodes/pg3/"), 10);
            return again.exitCode() == 0 && !again.stdout().strip().equals(pid) && streamingEverywhere() ? null : "not yet";
        });
    }

    @Test
    @Order(9)
    void psqlAndConnectStringReachThePrimary() throws SQLException {
        Tpa.Result psql = group.tpa("psql", "--", "-Atc", "SELECT pg_is_in_recovery()");
        assertThat(psql.exitCode()).as(psql.output()).isZero();
        assertThat(psql.stdout().strip()).isEqualTo("f");
        Tpa.Result replica = group.tpa("psql", "--role", "replica", "--", "-Atc", "SELECT pg_is_in_recovery()");
        assertThat(replica.stdout().strip()).isEqualTo("t");

        Tpa.Result uri = group.tpa("connect-string");
        assertThat(uri.stdout()).startsWith("postgresql://postgres@").contains("target_session_attrs=read-write")
                .doesNotContain(group.superuserPassword());
        Tpa.Result withPassword = group.tpa("connect-string", "--show-password");
        Tpa.Result viaUri = Tpa.exec(List.of("psql", withPassword.stdout().strip(), "-Atc", "SELECT pg_is_in_recovery()"), 30);
        assertThat(viaUri.stdout().strip()).as(viaUri.output()).isEqualTo("f");
        Tpa.Result application = group.tpa("connect-string", "--user", "app", "--show-password");
        Tpa.Result asApp = Tpa.exec(List.of("psql", application.stdout().strip(), "-Atc", "SELECT current_user || '@' || current_database()"), 30);
        assertThat(asApp.stdout().strip()).as(asApp.output()).isEqualTo("app@app");
    }

    @Test
    @Order(10)
    void aSecondConcurrentApplyIsRefused() {
        try (GroupLock ignored = new GroupDirectory(group.directory).lock("apply (test)")) {
            Tpa.Result second = group.tpa("apply");
            assertThat(second.exitCode()).isEqualTo(1);
            assertThat(second.stderr()).contains("another tpa command is working on this group").contains("apply (test)");
        }
    }

    @Test
    @Order(11)
    void secretsStayOutOfTheHistoryAndOutput() throws Exception {
        Path secrets = group.directory.resolve("secrets.enc");
        assertThat(Files.getPosixFilePermissions(secrets)).extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        String password = group.superuserPassword();
        assertThat(firstApply.output()).doesNotContain(password);
        assertThat(group.everythingEverCommitted()).contains("\"group\" : \"ha\"").doesNotContain(password);
        assertThat(group.tpa("show").stdout()).doesNotContain(password);
    }

    @Test
    @Order(12)
    void aParameterThatNeedsARestartIsRolledOutReplicasFirstWithoutFailover() throws SQLException {
        List<String> startTimes = postmasterStartTimes();
        group.writeConfig(TestGroup.config("ha", 3, EXTRA + "  parameters: {work_mem: 12MB, shared_buffers: 160MB}\n"));
        Tpa.Result plan = group.tpa("plan");
        assertThat(plan.exitCode()).as(plan.output()).isEqualTo(2);
        assertThat(plan.stdout()).contains("shared_buffers").contains("rolling restart, replicas first");
        Tpa.Result apply = group.apply();
        List<String> restarted = apply.stdout().lines().filter(line -> line.contains("rolling restart")).toList();
        assertThat(restarted).singleElement().asString().contains("pg2,pg3,pg1");
        for (String node : List.of("pg1", "pg2", "pg3")) {
            try (Connection connection = group.connect(node); Statement statement = connection.createStatement()) {
                ResultSet value = statement.executeQuery("SHOW shared_buffers");
                value.next();
                assertThat(value.getString(1)).as("shared_buffers on " + node).isEqualTo("160MB");
            }
        }
        List<String> after = postmasterStartTimes();
        for (int i = 0; i < 3; i++) {
            assertThat(after.get(i)).as("postmaster start time of pg" + (i + 1)).isNotEqualTo(startTimes.get(i));
        }
        JsonNode nodes = group.status().path("clusters").get(0).path("nodes");
        assertThat(nodes.get(0).path("role").asText()).as("pg1 is still the primary").isEqualTo("primary");
        assertThat(nodes.get(0).path("timeline").asLong()).as("no failover happened").isEqualTo(1);
        assertThat(group.tpa("plan").exitCode()).isZero();
    }

    @Test
    @Order(13)
    void statusShowsAStoppedNodeAsDownAndApplyBringsItBack() {
        String supervisor = group.deployment().baseDirectory() + "/supervisor/supervisord.conf";
        Tpa.Result stop = Tpa.exec(List.of("supervisorctl", "-c", supervisor, "stop", "patroni-pg3"), 120);
        assertThat(stop.exitCode()).as(stop.output()).isZero();

        Tpa.Result status = group.tpa("status");
        assertThat(status.exitCode()).as("a cluster with its primary up is not an error:\n%s", status.output()).isZero();
        assertThat(status.stdout().lines().filter(line -> line.contains("pg3"))).singleElement().asString().contains("down");
        JsonNode pg3 = group.status().path("clusters").get(0).path("nodes").get(2);
        assertThat(pg3.path("state").asText()).isEqualTo("down");

        Tpa.Result plan = group.tpa("plan");
        assertThat(plan.exitCode()).isEqualTo(2);
        assertThat(plan.stdout()).contains("pg3").contains("start Patroni");
        group.apply();
        assertThat(streamingEverywhere()).isTrue();
    }

    @Test
    @Order(20)
    void destroyRefusesWithoutYesThenLeavesNothingRunning() {
        String base = group.deployment().baseDirectory();
        Tpa.Result refused = group.tpa("destroy");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr()).contains("would remove group ha").contains(base).contains("--yes");
        assertThat(Files.exists(Path.of(base))).isTrue();

        Tpa.Result destroyed = group.tpa("destroy", "--yes");
        assertThat(destroyed.exitCode()).as(destroyed.output()).isZero();
        assertThat(Tpa.exec(List.of("pgrep", "-f", base + "/"), 10).exitCode()).as("no process of the group is left").isEqualTo(1);
        assertThat(Files.exists(Path.of(base))).isFalse();
        assertThat(Files.exists(group.directory.resolve("deployment.json"))).isFalse();
        assertThat(group.history()).first().asString().startsWith("tpa destroy");
    }

    private boolean streamingEverywhere() {
        return group.whyNotHealthy() == null;
    }

    private long postmasterPid(DeployedNode node) throws Exception {
        Path pidFile = Path.of(group.deployment().baseDirectory(), "nodes", node.name(), "pgdata", "postmaster.pid");
        return Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
    }

    private List<String> postmasterStartTimes() throws SQLException {
        List<String> times = new ArrayList<>();
        for (String node : List.of("pg1", "pg2", "pg3")) {
            try (Connection connection = group.connect(node); Statement statement = connection.createStatement()) {
                ResultSet time = statement.executeQuery("SELECT pg_postmaster_start_time()::text");
                time.next();
                times.add(time.getString(1));
            }
        }
        return times;
    }
}
