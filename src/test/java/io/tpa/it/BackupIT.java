package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A group that keeps backups: a full backup, writes, a switchover, more writes, an incremental backup; then a
 * point-in-time restore into a new group, to a time after the switchover and before the second backup, holds exactly the
 * rows committed before that time (so the archive has no gap across the switchover), while the source keeps running.
 */
class BackupIT {
    @Test
    void pointInTimeRestoreAcrossASwitchover() throws Exception {
        try (TestGroup source = TestGroup.create(TestGroup.config("bksrc", 2, "backup: {}\n"));
             TestGroup restored = TestGroup.create("")) {
            Files.delete(restored.directory.resolve("tpa.yml"));
            Path into = restored.directory;
            source.apply();

            Tpa.Result empty = source.tpa("backups");
            assertThat(empty.exitCode()).as(empty.output()).isZero();
            assertThat(empty.stdout()).contains("No backup yet");
            assertRefused(source.tpa("restore", "--latest", "--into", into.toString()), 2, "holds no backup to restore from");
            assertRefused(source.tpa("backup", "--type", "weekly"), 2, "tpa: --type weekly: unknown backup type; use full, diff or incr");

            Tpa.Result full = source.tpa("backup");
            assertThat(full.exitCode()).as(full.output()).isZero();
            assertThat(full.stdout()).contains("(full) of group bksrc done").contains("copied from pg2");
            source.execute("pg1", "CREATE TABLE events (id int, at timestamptz DEFAULT clock_timestamp()); INSERT INTO events (id) VALUES (1)");
            Instant afterFirst = pause();
            source.execute("pg1", "INSERT INTO events (id) VALUES (2)");

            Tpa.Result switchover = source.tpa("switchover", "--to", "pg2");
            assertThat(switchover.exitCode()).as(switchover.output()).isZero();
            source.execute("pg2", "INSERT INTO events (id) VALUES (3)");
            Instant target = pause();
            source.execute("pg2", "INSERT INTO events (id) VALUES (4)");
            Tpa.Result incremental = source.tpa("backup", "--type", "incr");
            assertThat(incremental.exitCode()).as(incremental.output()).isZero();
            assertThat(incremental.stdout()).contains("(incr) of group bksrc done").contains("copied from pg1");

            JsonNode listing = Json.JSON.readTree(source.tpa("backups", "--json").stdout());
            JsonNode backups = listing.path("contents").path("backups");
            assertThat(backups).hasSize(2);
            assertThat(backups.get(0).path("type").asText()).isEqualTo("full");
            assertThat(backups.get(1).path("type").asText()).isEqualTo("incr");
            assertThat(backups.get(1).path("prior").asText()).isEqualTo(backups.get(0).path("label").asText());
            Instant firstEnded = Instant.parse(backups.get(0).path("stop").asText());

            // Bad targets are refused in one line, and nothing is created.
            assertRefused(source.tpa("restore", "--time", firstEnded.minusSeconds(3600).toString(), "--into", into.toString()), 2,
                    "before the oldest backup (" + backups.get(0).path("label").asText() + ") ended; the earliest time a restore can reach is ");
            assertRefused(source.tpa("restore", "--time", Instant.now().plusSeconds(3600).toString(), "--into", into.toString()), 2,
                    "in the future");
            assertRefused(source.tpa("restore", "--time", "yesterday", "--into", into.toString()), 2, "not a time");
            assertRefused(source.tpa("restore", "--lsn", "FFFFFFFF/0", "--into", into.toString()), 2, "after the newest WAL of group bksrc");
            assertThat(into.resolve("tpa.yml")).doesNotExist();

            // Restored to a time between the switchover and the second backup: rows 1 to 3, not 4.
            Tpa.Result restore = source.tpa("restore", "--time", target.toString(), "--into", into.toString(), "--name", "bkcopy");
            assertThat(restore.exitCode()).as(restore.output()).isZero();
            assertThat(restore.stdout()).contains("Group bkcopy in " + into + " holds group bksrc's data as of time " + target);
            assertThat(restored.integers("pg1", "SELECT id FROM events ORDER BY id")).containsExactly(1, 2, 3);
            JsonNode status = restored.status();
            assertThat(status.path("clusters").get(0).path("nodes")).hasSize(2);
            assertThat(restored.whyNotHealthy()).isNull();
            assertThat(restored.integers("pg2", "SELECT id FROM events ORDER BY id")).containsExactly(1, 2, 3);
            assertThat(restored.superuserPassword()).isNotEqualTo(source.superuserPassword());
            assertThat(restored.history().get(0)).isNotBlank();
            assertThat(String.join("\n", restored.history())).contains("tpa restore: group bksrc from " + source.directory);
            assertThat(restored.tpa("apply").stdout()).startsWith("No changes: group bkcopy matches its config and is healthy");
            assertThat(afterFirst).isBefore(target);

            // The source is untouched and keeps taking writes; the restored group is independent of it.
            assertThat(source.whyNotHealthy()).isNull();
            source.execute("pg2", "INSERT INTO events (id) VALUES (5)");
            restored.execute("pg1", "INSERT INTO events (id) VALUES (-1)");
            assertThat(source.integers("pg2", "SELECT id FROM events ORDER BY id")).containsExactly(1, 2, 3, 4, 5);
            assertThat(restored.integers("pg1", "SELECT id FROM events ORDER BY id")).containsExactly(-1, 1, 2, 3);

            // A replica added now is restored from the newest backup, then catches up from the archive and streams.
            Tpa.Result added = source.tpa2("replica", "add");
            assertThat(added.exitCode()).as(added.output()).isZero();
            String patroniLog = Files.readString(Path.of(source.deployment().baseDirectory(), "nodes/pg3/log/patroni.log"));
            assertThat(patroniLog).contains("replica has been created using pgbackrest");
            assertThat(source.integers("pg3", "SELECT id FROM events ORDER BY id")).containsExactly(1, 2, 3, 4, 5);
            assertThat(source.whyNotHealthy()).isNull();
            // ...while the restored group's first replica, with no backup in its new repository yet, copied its primary.
            String restoredLog = Files.readString(Path.of(restored.deployment().baseDirectory(), "nodes/pg2/log/patroni.log"));
            assertThat(restoredLog).contains("replica has been created using basebackup");

            // pgBackRest's own lines, through tpa logs: the stanza apply created on pg1, the restore that built pg3.
            Tpa.Result logs = source.tpa("logs", "--service", "pgbackrest", "--grep", "command end: completed successfully");
            assertThat(logs.exitCode()).as(logs.output()).isZero();
            assertThat(logs.stdout()).contains("pg1 pgbackrest ").contains("stanza-create command end").doesNotContain("PROCESS START");
        }
    }

    /** A second between two writes, so that a time between them exists: the time half-way. */
    private static Instant pause() throws InterruptedException {
        Instant before = Instant.now();
        Thread.sleep(1500); // a gap in time between two commits is what this test restores into, not a wait for a condition
        return before.plusMillis(750).truncatedTo(ChronoUnit.MILLIS);
    }

    private static void assertRefused(Tpa.Result result, int exitCode, String message) {
        assertThat(result.stderr()).as(result.output()).contains(message).startsWith("tpa: ");
        assertThat(result.stderr().strip().lines()).as(result.output()).hasSize(1);
        assertThat(result.exitCode()).as(result.output()).isEqualTo(exitCode);
    }


}
