package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A group taken back to a point in time in place: refused without --yes (naming what is lost), then done: the rows
 * committed after the target are gone, the primary is on a new timeline, the former data stays aside until the next
 * backup removes it, and the history says when it happened.
 */
class RestoreInPlaceIT {
    @Test
    void aGroupGoesBackToAPointInTimeInPlace() throws Exception {
        String config = "backup:\n  schedule: {full: \"off\", diff: \"off\"}\n";
        try (TestGroup group = TestGroup.create(TestGroup.config("inplace", 2, config))) {
            group.apply();
            Tpa.Result backup = group.tpa("backup");
            assertThat(backup.exitCode()).as(backup.output()).isZero();
            group.execute(primary(group), "CREATE TABLE events (id int); INSERT INTO events VALUES (1)");
            Instant before = Instant.now();
            Thread.sleep(1500); // a gap in time between two commits is what this test restores into, not a wait for a condition
            Instant target = before.plusMillis(750).truncatedTo(ChronoUnit.MILLIS);
            group.execute(primary(group), "INSERT INTO events VALUES (2)");

            Tpa.Result refused = group.tpa("restore", "--time", target.toString(), "--in-place");
            assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
            assertThat(refused.stderr().strip().lines()).hasSize(1);
            assertThat(refused.stderr()).contains("every transaction committed after time " + target).contains("run again with --yes");
            assertThat(group.integers(primary(group), "SELECT id FROM events ORDER BY id")).containsExactly(1, 2);
            Tpa.Result dryRun = group.tpa("restore", "--time", target.toString(), "--in-place", "--dry-run");
            assertThat(dryRun.exitCode()).as(dryRun.output()).isZero();
            assertThat(dryRun.stdout()).startsWith("Would restore group inplace in place to time " + target);

            Tpa.Result restored = group.tpa("restore", "--time", target.toString(), "--in-place", "--yes");
            assertThat(restored.exitCode()).as(restored.output()).isZero();
            assertThat(restored.stdout()).contains("Group inplace is back at time " + target).contains("primary on timeline 2");
            assertThat(group.integers(primary(group), "SELECT id FROM events ORDER BY id")).containsExactly(1);
            assertThat(group.whyNotHealthy()).isNull();
            assertThat(group.history().get(0)).startsWith("tpa restore --in-place: group inplace back to time " + target);
            Path nodes = Path.of(group.deployment().baseDirectory(), "nodes");
            assertThat(aside(nodes)).hasSize(2);

            Tpa.Result next = group.tpa("backup", "--type", "incr");
            assertThat(next.exitCode()).as(next.output()).isZero();
            assertThat(next.stdout()).contains("removed " + nodes);
            assertThat(aside(nodes)).isEmpty();
            group.execute(primary(group), "INSERT INTO events VALUES (3)");
            assertThat(group.integers(primary(group), "SELECT id FROM events ORDER BY id")).containsExactly(1, 3);
        }
    }

    private static List<Path> aside(Path nodes) throws Exception {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> each = Files.list(nodes)) {
            for (Path node : each.toList()) {
                try (Stream<Path> entries = Files.list(node)) {
                    entries.filter(path -> path.getFileName().toString().startsWith("pgdata.before-restore-")).forEach(found::add);
                }
            }
        }
        return found;
    }

    private static String primary(TestGroup group) {
        for (JsonNode node : group.status().path("clusters").get(0).path("nodes")) {
            if (node.path("role").asText().equals("primary")) {
                return node.path("name").asText();
            }
        }
        throw new AssertionError("no primary");
    }


}
