package io.tpa.operation.restore;

import io.tpa.component.BackupRepository.BackupSet;
import io.tpa.error.UserError;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The point a restore reaches: a time, a WAL position (LSN), or the end of the archived WAL.
 *
 * @param time a point in time (null unless a time target)
 * @param lsn  a WAL position such as {@code 0/5000138} (null unless an LSN target)
 */
public record RestoreTarget(Instant time, String lsn) {
    public static RestoreTarget latest() {
        return new RestoreTarget(null, null);
    }

    /** Parses {@code --time}: an ISO-8601 instant ({@code 2026-12-07T10:15:00Z}) or one with an offset. */
    public static RestoreTarget time(String text) {
        try {
            return new RestoreTarget(java.time.OffsetDateTime.parse(text.trim().replace(' ', 'T')).toInstant(), null);
        } catch (DateTimeParseException e) {
            try {
                return new RestoreTarget(Instant.parse(text.trim().replace(' ', 'T')), null);
            } catch (DateTimeParseException again) {
                throw new UserError("--time " + text + ": not a time; write it as ISO-8601 with its zone, such as 2026-12-07T10:15:00Z "
                        + "or 2026-12-07T11:15:00+01:00");
            }
        }
    }

    /** Parses {@code --lsn}: PostgreSQL's {@code X/Y} notation, both parts hexadecimal. */
    public static RestoreTarget lsn(String text) {
        if (!text.matches("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}")) {
            throw new UserError("--lsn " + text + ": not a WAL position; write it as PostgreSQL prints one, such as 0/5000138 "
                    + "(SELECT pg_current_wal_lsn())");
        }
        return new RestoreTarget(null, text.toUpperCase());
    }

    public boolean isLatest() {
        return time == null && lsn == null;
    }

    /** The target as a person reads it. */
    public String describe() {
        return time != null ? "time " + time : lsn != null ? "LSN " + lsn : "the end of the archived WAL";
    }

    /** A WAL position as a number (unsigned: compare with {@link #compare}). */
    public static long position(String lsn) {
        String[] parts = lsn.split("/");
        return (Long.parseLong(parts[0], 16) << 32) + Long.parseLong(parts[1], 16);
    }

    /** Compares two WAL positions, as PostgreSQL orders them. */
    public static int compare(String first, String second) {
        return Long.compareUnsigned(position(first), position(second));
    }

    /**
     * The backup to restore from: the newest one that ended before the target (a time target needs it to have ended at least a
     * second before, since pgBackRest records whole seconds). A target before the oldest backup's end is bad input.
     */
    public BackupSet chooseBackup(List<BackupSet> backups, String repository) {
        if (backups.isEmpty()) {
            throw new UserError("the repository " + repository + " holds no backup to restore from; take one with `tpa backup DIR`");
        }
        Optional<BackupSet> chosen = Optional.empty();
        for (BackupSet backup : backups) {
            if (time != null ? !backup.stop().isAfter(time.minusSeconds(1)) : lsn == null || compare(backup.lsnStop(), lsn) <= 0) {
                chosen = Optional.of(backup);
            }
        }
        BackupSet oldest = backups.get(0);
        return chosen.orElseThrow(() -> new UserError(time != null
                ? "--time " + time + ": before the oldest backup (" + oldest.label() + ") ended; the earliest time a restore can reach is "
                + oldest.stop().plusSeconds(1)
                : "--lsn " + lsn + ": before the oldest backup (" + oldest.label() + ") is consistent; the earliest position a restore can "
                + "reach is " + oldest.lsnStop()));
    }

    /** The recovery settings that replay the archive up to this target, then promote. */
    public Map<String, String> recoverySettings(String restoreCommand) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("restore_command", restoreCommand);
        settings.put("recovery_target_timeline", "latest");
        if (time != null) {
            settings.put("recovery_target_time", time.toString());
        } else if (lsn != null) {
            settings.put("recovery_target_lsn", lsn);
        }
        if (!isLatest()) {
            settings.put("recovery_target_action", "promote");
        }
        return settings;
    }
}
