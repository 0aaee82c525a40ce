package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;


import io.tpa.component.Etcd;
import io.tpa.operation.GroupAccess;
import io.tpa.wait.Wait;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** A group's life: a replica joins with the data, another leaves without a trace, the cluster is resized under writes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifecycleIT {
    private TestGroup group;

    @BeforeAll
    void applyGroup() throws SQLException {
        group = TestGroup.create(TestGroup.config("life", 3, ""));
        group.apply();
        try (Connection primary = group.connect("pg1"); Statement statement = primary.createStatement()) {
            statement.execute("CREATE TABLE history AS SELECT g AS id FROM generate_series(1, 1000) g");
        }
    }

    @AfterAll
    void destroyGroup() {
        if (group != null) {
            group.close();
        }
    }

    @Test
    @Order(1)
    void anAddedReplicaHasTheDataAndNoOtherNodeRestarts() throws Exception {
        List<String> before = startTimes(List.of("pg1", "pg2", "pg3"));
        Tpa.Result dryRun = group.tpa2("replica", "add", "--name", "pg4", "--dry-run");
        assertThat(dryRun.stdout()).contains("Would change the config: add node pg4 to cluster main").contains("start Patroni (clone from the primary)");
        assertThat(Files.readString(group.directory.resolve("tpa.yml"))).doesNotContain("pg4");

        Tpa.Result add = group.tpa2("replica", "add", "--name", "pg4");
        assertThat(add.exitCode()).as(add.output()).isZero();
        assertThat(Files.readString(group.directory.resolve("tpa.yml"))).contains("- name: pg4");
        assertThat(group.whyNotHealthy()).isNull();
        try (Connection replica = group.connect("pg4"); Statement statement = replica.createStatement();
             ResultSet count = statement.executeQuery("SELECT count(*) FROM history")) {
            count.next();
            assertThat(count.getLong(1)).isEqualTo(1000);
        }
        assertThat(startTimes(List.of("pg1", "pg2", "pg3"))).as("no existing node restarted").isEqualTo(before);
        assertThat(group.history()).first().asString().startsWith("tpa replica add pg4");
    }

    @Test
    @Order(2)
    void removingThePrimaryIsRefused() {
        Tpa.Result refused = group.tpa2("replica", "remove", "pg1", "--yes");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr().strip()).startsWith("tpa: pg1 is the primary of cluster main; switch over first");
    }

    @Test
    @Order(3)
    void aRemovedReplicaLeavesNothingBehindAndEtcdKeepsItsQuorum() throws Exception {
        String base = group.deployment().baseDirectory();
        Tpa.Result unconfirmed = group.tpa("apply");
        assertThat(unconfirmed.exitCode()).as("nothing to confirm yet").isZero();

        String config = Files.readString(group.directory.resolve("tpa.yml"));
        Tpa.Result remove = group.tpa2("replica", "remove", "pg2");
        assertThat(remove.exitCode()).as("without --yes and without a terminal the removal is refused").isEqualTo(2);
        assertThat(remove.stderr().strip()).isEqualTo("tpa: tpa replica remove pg2 would remove pg2 and its data; nothing changed: confirm with --yes");
        assertThat(Files.readString(group.directory.resolve("tpa.yml"))).as("the refused edit is undone").isEqualTo(config);
        assertThat(group.tpa2("replica", "remove", "pg2", "--dry-run").stdout()).contains("- remove nodes           pg2");

        Tpa.Result confirmed = group.tpa2("replica", "remove", "pg2", "--yes");
        assertThat(confirmed.exitCode()).as(confirmed.output()).isZero();
        assertThat(Files.readString(group.directory.resolve("tpa.yml"))).doesNotContain("pg2");
        assertThat(Tpa.exec(List.of("pgrep", "-f", base + "/nodes/pg2/"), 10).exitCode()).as("no process of pg2").isEqualTo(1);
        assertThat(Files.exists(java.nio.file.Path.of(base, "nodes", "pg2"))).isFalse();
        try (Connection primary = group.connect("pg1"); Statement statement = primary.createStatement();
             ResultSet slots = statement.executeQuery("SELECT string_agg(slot_name, ',' ORDER BY slot_name) FROM pg_replication_slots")) {
            slots.next();
            assertThat(slots.getString(1)).isEqualTo("pg3,pg4");
        }
        GroupAccess access = GroupAccess.open(group.directory);
        List<String> members = Etcd.members(access.deployment().etcdMembers().get(0), access.http()).stream().map(Etcd.Member::name).toList();
        assertThat(members).containsExactlyInAnyOrder("pg1", "pg3", "pg4");
        for (var member : access.deployment().etcdMembers()) {
            assertThat(Etcd.whyUnhealthy(member, access.http())).isNull();
        }
        assertThat(group.whyNotHealthy()).isNull();
        assertThat(group.tpa("plan").exitCode()).isZero();
    }

    @Test
    @Order(4)
    void aResizeRollsOutWithOneSwitchoverAndWritesContinue() throws Exception {
        long timelineBefore = group.status().path("clusters").get(0).path("nodes").get(0).path("timeline").asLong();
        Writer writer = new Writer(group, 120);
        Wait.until("for the writer to commit", Duration.ofSeconds(20), () -> writer.count() >= 20);
        Tpa.Result resize = group.tpa("resize", "--cluster", "main", "--size", "micro");
        int atResize = writer.count();
        Wait.until("for the writer to commit after the resize", Duration.ofSeconds(30), () -> writer.count() >= atResize + 20);
        writer.close();
        assertThat(resize.exitCode()).as(resize.output()).isZero();
        assertThat(resize.stdout()).contains("rolling restart, replicas first, then a switchover from pg1");

        for (String node : List.of("pg1", "pg3", "pg4")) {
            try (Connection connection = group.connect(node); Statement statement = connection.createStatement();
                 ResultSet value = statement.executeQuery("SHOW shared_buffers")) {
                value.next();
                assertThat(value.getString(1)).as("shared_buffers on " + node).isEqualTo("256MB");
            }
        }
        long timelineAfter = group.status().path("clusters").get(0).path("nodes").get(1).path("timeline").asLong();
        assertThat(timelineAfter).as("the primary role changed exactly once").isEqualTo(timelineBefore + 1);
        String primary = group.deployment().clusters().get(0).primary();
        assertThat(primary).isNotEqualTo("pg1");
        Set<Long> stored = new HashSet<>();
        try (Connection connection = group.connect(primary); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM writes")) {
            while (rows.next()) {
                stored.add(rows.getLong(1));
            }
        }
        assertThat(stored).containsAll(writer.acknowledgedIds());
        System.out.printf("resize: %d acknowledged commits, longest write gap %.2f s%n", writer.count(), writer.longestGapSeconds());
        assertThat(group.tpa("plan").exitCode()).isZero();
    }

    @Test
    @Order(5)
    void onThisMachineAResizeBeyondTheFreeDiskIsCheckedAgainstTheDataAndNoted() throws Exception {
        long freeGb = Files.getFileStore(Path.of(group.deployment().baseDirectory())).getUsableSpace() / (1024L * 1024 * 1024);
        assumeThat(freeGb).as("the nominal disk of three 4xlarge nodes exceeds what is free here").isLessThan(3 * 2000);
        String config = Files.readString(group.directory.resolve("tpa.yml"));

        Tpa.Result resize = group.tpa("resize", "--cluster", "main", "--size", "4xlarge", "--dry-run");

        assertThat(resize.exitCode()).as(resize.output()).isZero();
        assertThat(resize.stdout()).contains("Note: on the local platform every node shares this machine's disk, so 4xlarge's 2000 GB "
                        + "of disk per node (6000 GB for the 3 nodes resized) is nominal; checked instead that the group's data uses ")
                .containsPattern("GB needed, \\d+(\\.\\d)? GB free\\.");
        assertThat(Files.readString(group.directory.resolve("tpa.yml"))).isEqualTo(config);
    }

    private List<String> startTimes(List<String> nodes) throws SQLException {
        List<String> times = new ArrayList<>();
        for (String node : nodes) {
            try (Connection connection = group.connect(node); Statement statement = connection.createStatement();
                 ResultSet time = statement.executeQuery("SELECT pg_postmaster_start_time()::text")) {
                time.next();
                times.add(time.getString(1));
            }
        }
        return times;
    }
}
