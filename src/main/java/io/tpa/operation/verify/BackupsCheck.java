package io.tpa.operation.verify;

import io.tpa.operation.verify.TestReport.CheckReport;

/**
 * Backups are recent and WAL archiving works. tpa sets up no backups yet, so every group skips this check; when
 * the config gains a backup section, this is where the check of its last backup and archive goes.
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
        return CheckReport.skipped(id(), title(), "the group keeps no backups");
    }
}
