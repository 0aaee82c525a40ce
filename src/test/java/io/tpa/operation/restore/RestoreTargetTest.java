package io.tpa.operation.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.component.BackupRepository;
import io.tpa.component.BackupRepositoryTestData;
import io.tpa.error.UserError;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestoreTargetTest {
    private static final List<BackupRepository.BackupSet> BACKUPS = BackupRepositoryTestData.twoBackups().backups();

    @Test
    void parsesTimesWithTheirZoneAndPositionsAsPostgresPrintsThem() {
        assertThat(RestoreTarget.time("2026-12-07T10:15:00Z").time()).isEqualTo(Instant.parse("2026-12-07T10:15:00Z"));
        assertThat(RestoreTarget.time("2026-12-07 11:15:00+01:00").time()).isEqualTo(Instant.parse("2026-12-07T10:15:00Z"));
        assertThat(RestoreTarget.lsn("0/5000138").lsn()).isEqualTo("0/5000138");
        assertThat(RestoreTarget.compare("1/0", "0/FFFFFFFF")).isPositive();
        assertThat(RestoreTarget.compare("FFFFFFFF/0", "0/5000138")).isPositive();
        assertThatThrownBy(() -> RestoreTarget.time("yesterday")).isInstanceOf(UserError.class)
                .hasMessage("--time yesterday: not a time; write it as ISO-8601 with its zone, such as 2026-12-07T10:15:00Z or "
                        + "2026-12-07T11:15:00+01:00");
        assertThatThrownBy(() -> RestoreTarget.lsn("5000138")).isInstanceOf(UserError.class).hasMessageStartingWith("--lsn 5000138: not a WAL position");
    }

    @Test
    void choosesTheNewestBackupThatEndedBeforeTheTarget() {
        Instant fullEnded = BACKUPS.get(0).stop();
        Instant incrementalEnded = BACKUPS.get(1).stop();

        assertThat(new RestoreTarget(fullEnded.plusSeconds(1), null).chooseBackup(BACKUPS, "/repo").label()).isEqualTo("20261207-024042F");
        assertThat(new RestoreTarget(incrementalEnded.plusSeconds(5), null).chooseBackup(BACKUPS, "/repo").type()).isEqualTo("incr");
        assertThat(RestoreTarget.lsn("0/6000000").chooseBackup(BACKUPS, "/repo").type()).isEqualTo("full");
        assertThat(RestoreTarget.latest().chooseBackup(BACKUPS, "/repo").type()).isEqualTo("incr");
    }

    @Test
    void aTargetBeforeTheOldestBackupOrNoBackupIsBadInput() {
        assertThatThrownBy(() -> new RestoreTarget(BACKUPS.get(0).stop(), null).chooseBackup(BACKUPS, "/repo"))
                .isInstanceOfSatisfying(UserError.class, e -> assertThat(e.exitCode()).isEqualTo(UserError.BAD_INPUT))
                .hasMessage("--time " + BACKUPS.get(0).stop() + ": before the oldest backup (20261207-024042F) ended; the earliest time a "
                        + "restore can reach is " + BACKUPS.get(0).stop().plusSeconds(1));
        assertThatThrownBy(() -> RestoreTarget.lsn("0/4000000").chooseBackup(BACKUPS, "/repo"))
                .hasMessage("--lsn 0/4000000: before the oldest backup (20261207-024042F) is consistent; the earliest position a restore "
                        + "can reach is 0/5000138");
        assertThatThrownBy(() -> RestoreTarget.latest().chooseBackup(List.of(), "/repo"))
                .hasMessage("the repository /repo holds no backup to restore from; take one with `tpa backup DIR`");
    }

    @Test
    void recoveryReplaysTheWholeArchiveToTheLatestAndPromotesAtATarget() {
        assertThat(RestoreTarget.latest().recoverySettings("get %f")).containsExactly(
                java.util.Map.entry("restore_command", "get %f"), java.util.Map.entry("recovery_target_timeline", "latest"));
        assertThat(RestoreTarget.time("2026-12-07T10:15:00Z").recoverySettings("get %f"))
                .containsEntry("recovery_target_time", "2026-12-07T10:15:00Z").containsEntry("recovery_target_action", "promote");
        assertThat(RestoreTarget.lsn("0/5000138").recoverySettings("get %f"))
                .containsEntry("recovery_target_lsn", "0/5000138").containsEntry("recovery_target_action", "promote");
    }
}
