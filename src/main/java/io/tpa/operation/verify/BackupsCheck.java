package io.tpa.operation.verify;

import io.tpa.model.BackupSpec;
import io.tpa.operation.audit.AuditReport.NodeResult;
import io.tpa.operation.audit.Result;
import io.tpa.operation.status.BackupStatus;
import io.tpa.operation.verify.TestReport.CheckReport;
import java.time.Duration;
import java.util.List;

/**
 * Backups are recent and WAL archiving works: {@code pgbackrest check} on the primary passes (a WAL switch reaches the
 * repository), and the newest backup is younger than twice the most frequent schedule (eight days for a cron line, or
 * with both schedules off). Skipped for a group without {@code backup:}.
 */
final class BackupsCheck implements GroupCheck {
    @Override
    public String id() {
        return "backups";
    }

    @Override
    public String title() {
        return "The last backup is recent and WAL archiving works";
    }

    @Override
    public CheckReport run(TestedGroup group) {
        BackupSpec backup = group.deployment().backup();
        if (backup == null) {
            return CheckReport.skipped(id(), title(), "the group keeps no backups");
        }
        BackupStatus status = BackupStatus.read(group.access(), group.health());
        Duration allowed = backup.schedule().maximumAge();
        String where = "repository " + status.repository();
        if (status.archiving() != null) {
            return report(List.of(new NodeResult(where, Result.FAIL, "archiving fails: " + status.archiving())), "archiving fails",
                    "see the primary's PostgreSQL log (`tpa logs " + group.directory() + " --grep archive`), then `tpa status`");
        }
        if (status.newest() == null) {
            return report(List.of(new NodeResult(where, Result.FAIL, "archiving works; no backup yet")), "no backup yet",
                    "take one with `tpa backup " + group.directory() + "`");
        }
        Duration age = Duration.ofSeconds(status.newestAgeSeconds());
        boolean recent = age.compareTo(allowed) <= 0;
        String evidence = "archiving works; newest backup " + status.newest() + " (" + status.newestType() + ") ended " + hours(age)
                + " ago" + (recent ? "" : ", more than " + hours(allowed));
        return report(List.of(new NodeResult(where, recent ? Result.PASS : Result.FAIL, evidence)), evidence,
                "take one with `tpa backup " + group.directory() + "`, and see the scheduler's log (backup/scheduler.log in the group's base "
                        + "directory)");
    }

    private static String hours(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds < 7200 ? seconds / 60 + " min" : seconds / 3600 + " h";
    }
}
