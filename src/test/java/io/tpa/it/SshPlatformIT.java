package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.wait.Wait;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
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
 * The ssh platform on four test hosts (network namespaces with their own sshd, addresses and files, see
 * docs/test-hosts.md): host keys refused until trusted, an unreachable server named before anything changes,
 * a 3-node group deployed over SSH with its services as postgres and etcd and its ports firewalled, then a
 * switchover, a replica added on the fourth server and removed again, and a destroy that leaves the servers as
 * they were.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SshPlatformIT {
    private TestHosts hosts;
    private TestGroup group;

    @BeforeAll
    void createHosts() {
        hosts = TestHosts.create(4, 13);
        group = TestGroup.create(config("sshit", hosts.host(1).address(), hosts.host(2).address(), hosts.host(3).address()));
    }

    @AfterAll
    void destroyEverything() {
        try {
            if (group != null) {
                group.close();
            }
        } finally {
            hosts.close();
        }
    }

    private String config(String name, String... addresses) {
        StringBuilder yaml = new StringBuilder("name: " + name + "\nplatform: ssh\nssh:\n  identity_file: " + hosts.identityFile()
                + "\nclusters:\n  - name: main\n    nodes:\n");
        for (int i = 0; i < addresses.length; i++) {
            yaml.append("      - name: pg").append(i + 1).append("\n        host: ").append(addresses[i]).append('\n');
        }
        return yaml.toString();
    }

    @Test
    @Order(1)
    void refusesUnknownHostKeysAndUnreachableServersBeforeChangingAnything() {
        Tpa.Result refused = group.tpa("plan");
        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
        assertThat(refused.stderr().strip()).startsWith("tpa: " + hosts.host(1).address() + ": unknown host key ssh-ed25519 SHA256:")
                .contains("--trust-new-hosts").doesNotContain("\n").doesNotContain("Exception");
        assertThat(group.directory.resolve("known_hosts")).doesNotExist();

        TestGroup unreachable = TestGroup.create(config("sshdown", hosts.host(1).address(), "172.31.77.99"));
        long started = System.nanoTime();
        Tpa.Result down = unreachable.tpa("plan", "--trust-new-hosts");
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(down.exitCode()).as(down.output()).isEqualTo(1);
        assertThat(down.stderr()).startsWith("tpa: 172.31.77.99: cannot connect: ").doesNotContain("Exception");
        assertThat(seconds).as("time to report the unreachable server").isLessThan(20);
        assertThat(unreachable.directory.resolve("deployment.json")).doesNotExist();
    }

    @Test
    @Order(2)
    void deploysThreeNodesOverSsh() throws Exception {
        Tpa.Result applied = group.tpa("apply", "--trust-new-hosts");
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        // The test hosts share this machine's kernel and see /proc/sys read-only: tpa says so and goes on.
        assertThat(applied.stdout()).contains("kernel settings left as they are, since /proc/sys is read-only")
                .contains("host preparation").contains("firewall");

        // The recorded keys are the servers' own.
        List<String> recorded = Files.readAllLines(group.directory.resolve("known_hosts"));
        String keys = Files.readString(hosts.knownHosts());
        assertThat(recorded).hasSize(3);
        for (String line : recorded) {
            String[] fields = line.split(" ");
            assertThat(keys).contains(fields[1] + " " + fields[2]);
        }

        JsonNode status = group.status();
        List<String> roles = new ArrayList<>();
        status.path("clusters").get(0).path("nodes").forEach(node -> {
            roles.add(node.path("role").asText());
            assertThat(node.path("state").asText()).isEqualTo("running");
        });
        assertThat(roles).containsExactlyInAnyOrder("primary", "replica", "replica");

        // Debian 13 servers: tpa read their release and chose its own PostgreSQL and Patroni, with Patroni 4's settings.
        assertThat(group.deployment().nodes()).extracting(io.tpa.model.DeployedNode::release).containsOnly("debian-13");
        assertThat(group.deployment().postgresVersion()).isEqualTo(17);
        TestHosts.Result versions = hosts.ssh(hosts.host(1), "/usr/lib/postgresql/17/bin/postgres --version; patroni --version");
        assertThat(versions.output()).contains("(PostgreSQL) 17.").contains("patroni 4.");
        JsonNode record = io.tpa.model.Json.JSON.readTree(Files.readString(group.directory.resolve("deployment.json")));
        assertThat(record.path("clusters").get(0).path("nodes").get(0).path("server").path("release").asText()).isEqualTo("debian-13");

        for (int i = 1; i <= 3; i++) {
            TestHosts.Host host = hosts.host(i);
            TestHosts.Result users = hosts.ssh(host, "ps -eo user:12,comm --no-headers | sort -u");
            assertThat(users.output()).contains("postgres     patroni").contains("postgres     postgres").contains("etcd         etcd");
            assertThat(users.output().lines().filter(line -> line.startsWith("root ")).map(line -> line.substring(12).strip()))
                    .as("processes run by root on %s", host.name())
                    .allMatch(command -> List.of("bash", "sshd", "sshd-session", "supervisord", "sort", "ps").contains(command));
        }

        // A row written on the primary reaches every replica over SSH-deployed streaming replication.
        String primary = primaryName();
        try (Connection connection = group.connect(primary); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE over_ssh (id int PRIMARY KEY)");
            statement.execute("INSERT INTO over_ssh VALUES (42)");
        }
        for (String node : List.of("pg1", "pg2", "pg3")) {
            Wait.until("for " + node + " to have the row", Duration.ofSeconds(30), () -> {
                try (Connection connection = group.connect(node); Statement statement = connection.createStatement();
                     ResultSet row = statement.executeQuery("SELECT count(*) FROM over_ssh WHERE id = 42")) {
                    row.next();
                    return row.getInt(1) == 1 ? null : "not yet";
                } catch (java.sql.SQLException e) {
                    return e.getMessage();
                }
            });
        }

        // The firewall: PostgreSQL answers the group's nodes, not a server outside the group; SSH stays open to all.
        assertThat(reaches(hosts.host(2), hosts.host(1).address(), 5432)).isTrue();
        assertThat(reaches(hosts.host(4), hosts.host(1).address(), 5432)).isFalse();
        assertThat(reaches(hosts.host(4), hosts.host(1).address(), 8008)).isFalse();
        assertThat(reaches(hosts.host(4), hosts.host(1).address(), 22)).isTrue();

        Tpa.Result again = group.tpa("apply");
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.stdout()).contains("No changes");
    }

    @Test
    @Order(3)
    void switchesOverOverSsh() {
        String before = primaryName();
        String target = before.equals("pg2") ? "pg3" : "pg2";
        Tpa.Result switched = group.tpa("switchover", "--to", target);
        assertThat(switched.exitCode()).as(switched.output()).isZero();
        assertThat(primaryName()).isEqualTo(target);
        Wait.until("for every replica to stream from " + target, Duration.ofSeconds(60), group::whyNotHealthy);
    }

    @Test
    @Order(4)
    void addsAndRemovesAReplicaOnAServerOfItsOwn() {
        TestHosts.Host fourth = hosts.host(4);
        Tpa.Result added = group.tpa2("replica", "add", "--host", fourth.address(), "--trust-new-hosts");
        assertThat(added.exitCode()).as(added.output()).isZero();
        assertThat(group.node("pg4").address()).isEqualTo(fourth.address());
        Wait.until("for pg4 to stream", Duration.ofSeconds(60), group::whyNotHealthy);
        assertThat(group.status().path("clusters").get(0).path("nodes")).hasSize(4);
        // The other servers' firewalls now admit the new node.
        assertThat(reaches(fourth, hosts.host(1).address(), 5432)).isTrue();

        String key = group.deployment().key();
        Tpa.Result removed = group.tpa2("replica", "remove", "pg4", "--yes");
        assertThat(removed.exitCode()).as(removed.output()).isZero();
        assertThat(group.deployment().node("pg4")).isEmpty();
        // The fourth server runs nothing of the group any more, keeps none of its files, and has no rules of it.
        TestHosts.Result left = hosts.ssh(fourth, "pgrep -a -f '[/]var/lib/tpa/groups/'; ls /var/lib/tpa/groups; nft list tables");
        assertThat(left.output()).doesNotContain(key);
        assertThat(reaches(fourth, hosts.host(1).address(), 5432)).isFalse();
    }

    @Test
    @Order(5)
    void destroyLeavesTheServersAsTheyWere() {
        String key = group.deployment().key();
        Tpa.Result destroyed = group.tpa("destroy", "--yes");
        assertThat(destroyed.exitCode()).as(destroyed.output()).isZero();
        for (int i = 1; i <= 3; i++) {
            TestHosts.Result left = hosts.ssh(hosts.host(i), "pgrep -a -u postgres,etcd; ls /var/lib/tpa/groups; nft list tables");
            assertThat(left.output()).as("what is left on %s", hosts.host(i).name()).doesNotContain(key).doesNotContain("patroni")
                    .doesNotContain("etcd ");
        }
        assertThat(reaches(hosts.host(4), hosts.host(1).address(), 22)).isTrue();
    }

    private String primaryName() {
        JsonNode nodes = group.status().path("clusters").get(0).path("nodes");
        for (JsonNode node : nodes) {
            if (node.path("role").asText().equals("primary")) {
                return node.path("name").asText();
            }
        }
        throw new AssertionError("no primary: " + nodes);
    }

    /** Whether a TCP connection from {@code from}'s network to address:port is accepted within 3 s. */
    private boolean reaches(TestHosts.Host from, String address, int port) {
        return hosts.inNetwork(from, "timeout", "3", "bash", "-c", "exec 3<>/dev/tcp/" + address + "/" + port).succeeded();
    }
}
