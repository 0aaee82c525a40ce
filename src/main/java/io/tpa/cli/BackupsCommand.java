package io.tpa.cli;

import io.tpa.component.BackupRepository;
import io.tpa.component.BackupRepository.BackupSet;
import io.tpa.model.Json;
import io.tpa.operation.backup.Backups;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "backups", mixinStandardHelpOptions = true, description = {
        "List the backups in the group's pgBackRest repository: label, type, database and repository size, start and end "
                + "(UTC), and the WAL each needs; then the range of archived WAL."})
final class BackupsCommand implements Runnable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Mixin
    GroupArgument group;

    @Mixin
    JsonOption output;

    @Override
    public void run() {
        Backups.Listing listing = Backups.list(group.directory);
        if (output.json) {
            System.out.print(Json.write(listing));
            return;
        }
        BackupRepository contents = listing.contents();
        System.out.printf("Backups of group %s in %s (stanza %s: %s)%n", listing.group(), listing.repository(), contents.stanza(),
                contents.status() + (contents.backupRunning() ? ", a backup is running" : ""));
        if (contents.backups().isEmpty()) {
            System.out.println("  No backup yet: take one with `tpa backup " + group.directory + "`.");
        } else {
            System.out.printf("  %-18s %-5s %-19s  %-19s  %10s %10s  %s%n", "LABEL", "TYPE", "STARTED (UTC)", "ENDED (UTC)", "DATABASE",
                    "IN REPO", "WAL");
            for (BackupSet backup : contents.backups()) {
                System.out.printf("  %-18s %-5s %-19s  %-19s  %10s %10s  %s..%s%n", backup.label(), backup.type(), time(backup.start()),
                        time(backup.stop()), bytes(backup.databaseBytes()), bytes(backup.repositoryBytes()), backup.walStart(), backup.walStop());
            }
        }
        if (contents.walMin() != null) {
            System.out.printf("Archived WAL: %s to %s%n", contents.walMin(), contents.walMax());
        }
    }

    static String time(Instant instant) {
        return TIME.format(instant);
    }

    /** A size for people: B, kB, MB, GB (powers of 1024, as PostgreSQL's pg_size_pretty). */
    static String bytes(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
