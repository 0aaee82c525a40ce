package io.tpa.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Backups of a group with pgBackRest: where the repository is, how many full backups it keeps, when backups are due, and
 * whether the repository is encrypted. Present in a config only when the group opts in ({@code backup:}).
 *
 * @param repository where pgBackRest keeps backups and archived WAL
 * @param retention  how many backups the repository keeps
 * @param schedule   when backups are due
 * @param encryption true to encrypt the repository (aes-256-cbc, with a passphrase kept in the group's secrets)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupSpec(Repository repository, Retention retention, Schedule schedule, Boolean encryption) {
    /** The repository types tpa supports, as the schema lists them. */
    public static final java.util.List<String> REPOSITORY_TYPES = java.util.List.of("local", "server");
    /** A directory on the server of every node: only the local platform's nodes share one. */
    public static final String LOCAL = "local";
    /** A dedicated backup server that pgBackRest's own TLS server serves the repository from. */
    public static final String SERVER = "server";
    public static final int RETENTION_FULL = 2;
    public static final String SCHEDULE_FULL = "weekly";
    public static final String SCHEDULE_DIFF = "daily";

    /**
     * @param type {@code local}: a directory on each node's server (on the local platform, one on this machine for every node);
     *             {@code server}: a directory on a dedicated backup server, which the nodes reach through pgBackRest's TLS server
     * @param path the directory; without it, {@code /var/lib/tpa/backup/<group key>} (beside the group's base directory)
     * @param host for {@code server}: the backup server's address or DNS name (the ssh platform)
     * @param ssh  for {@code server}: how to log in to the backup server (overrides the group's {@code ssh})
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Repository(String type, String path, String host, SshSpec ssh) {
        /** True for a repository on a dedicated backup server. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean onServer() {
            return SERVER.equals(type);
        }

        /** Where the repository is, for messages: its directory, on a backup server {@code host:directory}. */
        public String describe() {
            return onServer() ? host + ":" + path : path;
        }
    }

    /** @param full how many full backups to keep (with the differential backups and WAL that depend on them) */
    public record Retention(Integer full) {
    }

    /** @param full when a full backup is due; @param diff when a differential backup is due (hourly, daily, weekly or a cron line) */
    public record Schedule(String full, String diff) {
        /**
         * How old the newest backup may be before it counts as too old ({@code tpa test}, the TpaBackupTooOld alert): twice
         * the most frequent of the two schedules; 8 days for weekly, a cron line, or both off.
         */
        public java.time.Duration maximumAge() {
            java.time.Duration shortest = java.time.Duration.ofDays(4);
            for (String each : java.util.List.of(full, diff)) {
                java.time.Duration interval = switch (each) {
                    case "hourly" -> java.time.Duration.ofHours(1);
                    case "daily" -> java.time.Duration.ofDays(1);
                    default -> java.time.Duration.ofDays(4);
                };
                shortest = interval.compareTo(shortest) < 0 ? interval : shortest;
            }
            return shortest.multipliedBy(2);
        }
    }

    /** Every default filled in, a backup server's login as the config writes it. */
    public BackupSpec resolved() {
        return resolved(null);
    }

    /**
     * Every default filled in; the repository path stays open when the config names none (the platform decides it).
     *
     * @param groupSsh the group's login (resolved) on the ssh platform, which a backup server's own {@code ssh} overrides; null elsewhere
     */
    public BackupSpec resolved(SshSpec groupSsh) {
        String type = repository == null || repository.type() == null ? LOCAL : repository.type();
        SshSpec login = repository == null ? null : SERVER.equals(type) && groupSsh != null ? SshSpec.resolve(repository.ssh(), groupSsh)
                : repository.ssh();
        Repository resolvedRepository = new Repository(type, repository == null ? null : repository.path(),
                repository == null ? null : repository.host(), login);
        Retention resolvedRetention = new Retention(retention == null || retention.full() == null ? RETENTION_FULL : retention.full());
        Schedule resolvedSchedule = new Schedule(schedule == null || schedule.full() == null ? SCHEDULE_FULL : schedule.full(),
                schedule == null || schedule.diff() == null ? SCHEDULE_DIFF : schedule.diff());
        return new BackupSpec(resolvedRepository, resolvedRetention, resolvedSchedule, encryption == null || encryption);
    }

    /** A schedule as a five-field cron line in UTC; null for {@code off}. */
    public static String cron(String schedule) {
        return switch (schedule) {
            case "off" -> null;
            case "hourly" -> "0 * * * *";
            case "daily" -> "0 1 * * *";
            case "weekly" -> "0 1 * * 0";
            default -> schedule;
        };
    }

    /** The same backup settings with the repository in this directory. */
    public BackupSpec withRepositoryPath(String path) {
        return new BackupSpec(new Repository(repository.type(), path, repository.host(), repository.ssh()), retention, schedule, encryption);
    }

    /** The same backup settings with the backup server at this address (a DNS name looked up once). */
    public BackupSpec withServerAddress(String address) {
        return new BackupSpec(new Repository(repository.type(), repository.path(), address, repository.ssh()), retention, schedule, encryption);
    }

    public boolean encrypted() {
        return !Boolean.FALSE.equals(encryption);
    }
}
