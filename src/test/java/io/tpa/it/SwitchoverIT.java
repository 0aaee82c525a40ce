package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.wait.Wait;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
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

/** Switchover under a concurrent writer: no acknowledged commit lost, the new primary sticks, bad targets refused. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwitchoverIT {
    private static final String CONFIG = """
            name: switch
            clusters:
              - name: main
                nodes:
                  - name: pg1
                  - name: pg2
                  - name: pg3
                    promotable: false
            """;
    private TestGroup group;

    @BeforeAll
    void applyGroup() {
        group = TestGroup.create(CONFIG);
        group.apply();
    }

    @AfterAll
    void destroyGroup() {
        if (group != null) {
            group.close();
        }
    }

    @Test
    @Order(1)
    void refusesTargetsThatCannotTakeOver() {
        Tpa.Result unknown = group.tpa("switchover", "--to", "pg9");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr().strip()).isEqualTo("tpa: --to pg9: not a node of cluster main; its nodes: pg1, pg2, pg3");
        Tpa.Result primary = group.tpa("switchover", "--to", "pg1");
        assertThat(primary.stderr().strip()).isEqualTo("tpa: --to pg1: pg1 is already the primary of cluster main");
        Tpa.Result notPromotable = group.tpa("switchover", "--to", "pg3");
        assertThat(notPromotable.exitCode()).isEqualTo(1);
        assertThat(notPromotable.stderr().strip()).isEqualTo("tpa: --to pg3: pg3 is marked promotable: false in the config");

        String supervisor = group.deployment().baseDirectory() + "/supervisor/supervisord.conf";
        Tpa.exec(List.of("supervisorctl", "-c", supervisor, "stop", "patroni-pg2"), 120);
        try {
            Tpa.Result down = group.tpa("switchover", "--to", "pg2");
            assertThat(down.exitCode()).isEqualTo(1);
            assertThat(down.stderr().strip()).isEqualTo("tpa: --to pg2: pg2 is down (its Patroni does not answer)");
            Tpa.Result nobody = group.tpa("switchover");
            assertThat(nobody.stderr()).contains("no replica of cluster main can take over")
                    .contains("pg2 is down").contains("pg3 is marked promotable: false");
        } finally {
            Tpa.exec(List.of("supervisorctl", "-c", supervisor, "start", "patroni-pg2"), 120);
            Wait.until("for pg2 to stream again", Duration.ofSeconds(60), group::whyNotHealthy);
        }
        assertThat(group.tpa("switchover", "--dry-run").stdout()).contains("Would switch cluster main over from pg1 to pg2");
    }

    @Test
    @Order(2)
    void noAcknowledgedCommitIsLostAndTheNewPrimarySticks() throws Exception {
        int commitsBefore = group.history().size();
        Writer writer = new Writer(group, 60);
        Wait.until("for the writer to commit", Duration.ofSeconds(20), () -> writer.count() >= 50);
        Tpa.Result switchover = group.tpa("switchover");
        int atSwitchover = writer.count();
        Wait.until("for the writer to commit on the new primary", Duration.ofSeconds(30), () -> writer.count() >= atSwitchover + 50);
        writer.close();
        assertThat(switchover.exitCode()).as(switchover.output()).isZero();
        assertThat(switchover.stdout()).contains("switched over from pg1 to pg2");

        Set<Long> stored = new HashSet<>();
        try (Connection connection = group.connect("pg2"); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM writes")) {
            while (rows.next()) {
                stored.add(rows.getLong(1));
            }
        }
        assertThat(stored).containsAll(writer.acknowledgedIds());
        System.out.printf("switchover: %d acknowledged commits, longest write gap %.2f s%n", writer.count(), writer.longestGapSeconds());

        JsonNode nodes = group.status().path("clusters").get(0).path("nodes");
        assertThat(nodes.get(1).path("role").asText()).isEqualTo("primary");
        assertThat(nodes.get(0).path("role").asText()).isEqualTo("replica");
        assertThat(group.whyNotHealthy()).isNull();
        assertThat(group.deployment().clusters().get(0).primary()).isEqualTo("pg2");
        assertThat(group.history()).hasSize(commitsBefore + 1).first().asString().isEqualTo("tpa switchover: cluster main from pg1 to pg2");

        Tpa.Result plan = group.tpa("plan");
        assertThat(plan.exitCode()).as("apply keeps the new primary:\n%s", plan.output()).isZero();
    }
}
