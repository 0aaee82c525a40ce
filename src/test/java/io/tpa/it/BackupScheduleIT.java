package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.Json;
import io.tpa.wait.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The group's scheduler takes the backups the config schedules, and goes when the schedule is turned off. */
class BackupScheduleIT {
    @Test
    void theSchedulerTakesScheduledBackupsUntilTheScheduleIsOff() {
        String every = "backup:\n  schedule:\n    full: \"* * * * *\"\n    diff: \"off\"\n";
        try (TestGroup group = TestGroup.create(TestGroup.config("bksched", 1, every))) {
            Tpa.Result applied = group.apply();
            assertThat(applied.stdout()).contains("start the backup scheduler (full: * * * * *, diff: off)");

            Wait.until("for the scheduler to take a full backup", Duration.ofSeconds(150), () -> backups(group) >= 1);
            String log = read(Path.of(group.deployment().baseDirectory(), "backup/scheduler.log"));
            assertThat(log).contains("full backup due").contains("full backup done");
            JsonNode status = group.status().path("backups");
            assertThat(status.path("newest_type").asText()).isEqualTo("full");
            assertThat(status.has("archiving")).as("archiving works: no error").isFalse();
            Tpa.Result tested = group.tpa("test", "--json");
            assertThat(tested.exitCode()).as(tested.output()).isZero();
            JsonNode backupsCheck = null;
            try {
                for (JsonNode check : Json.JSON.readTree(tested.stdout()).path("checks")) {
                    if (check.path("id").asText().equals("backups")) {
                        backupsCheck = check;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(tested.output(), e);
            }
            assertThat(backupsCheck).as(tested.stdout()).isNotNull();
            assertThat(backupsCheck.path("result").asText()).isEqualTo("pass");
            assertThat(backupsCheck.path("detail").asText()).startsWith("archiving works; newest backup ");

            group.writeConfig(TestGroup.config("bksched", 1, "backup:\n  schedule:\n    full: \"off\"\n    diff: \"off\"\n"));
            Tpa.Result off = group.apply();
            assertThat(off.stdout()).contains("stop and remove the backup scheduler (no backup schedule in the config)");
            assertThat(Path.of(group.deployment().baseDirectory(), "backup")).doesNotExist();
            assertThat(group.tpa("apply").stdout()).startsWith("No changes");
        }
    }

    private static int backups(TestGroup group) {
        Tpa.Result listing = group.tpa("backups", "--json");
        try {
            return Json.JSON.readTree(listing.stdout()).path("contents").path("backups").size();
        } catch (IOException e) {
            throw new UncheckedIOException(listing.output(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
