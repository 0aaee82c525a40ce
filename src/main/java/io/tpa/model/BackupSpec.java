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
    public static final java.util.List<String> REPOSITORY_TYPES = java.util.List.of("local", "server", "s3");
    /** A directory on the server of every node: only the local platform's nodes share one. */
    public static final String LOCAL = "local";
    /** A dedicated backup server that pgBackRest's own TLS server serves the repository from. */
    public static final String SERVER = "server";
    /** A bucket of an S3-compatible object store. */
    public static final String S3 = "s3";
    /** pgBackRest's default for S3: the bucket in the host name ({@code path} puts it in the URI, as most self-hosted stores want). */
    public static final String URI_STYLE = "host";
    public static final int S3_PORT = 443;
    public static final int RETENTION_FULL = 2;
    public static final String SCHEDULE_FULL = "weekly";
    public static final String SCHEDULE_DIFF = "daily";

    /**
     * Where the repository is. The S3 keys only count with {@code type: s3}; its credentials are secrets
     * ({@link SecretNames#BACKUP_S3_KEY_ID}, {@link SecretNames#BACKUP_S3_KEY_SECRET}), never part of the config.
     *
     * @param type     {@code local}: a directory on each node's server (on the local platform, one on this machine for every
     *                 node); {@code server}: a directory on a dedicated backup server, which the nodes reach through
     *                 pgBackRest's TLS server; {@code s3}: a bucket of an S3-compatible object store
     * @param path     local and server: the directory, by default {@code /var/lib/tpa/backup/<group key>} (beside the group's
     *                 base directory); s3: the path inside the bucket, by default {@code /<group key>}
     * @param host     server: the backup server's address or DNS name (the ssh platform)
     * @param ssh      server: how to log in to the backup server (overrides the group's {@code ssh})
     * @param bucket   s3: the bucket, which must exist
     * @param endpoint s3: the store's host name (pgBackRest checks the store's certificate against it)
     * @param port     s3: the store's HTTPS port, 443 by default
     * @param region   s3: the bucket's region (signature v4)
     * @param uriStyle s3: {@code host} (the bucket in the host name, the default) or {@code path} (in the URI)
     * @param caFile   s3: a CA certificate file (PEM) on every node's server to verify the store's certificate with, for a
     *                 store whose certificate the system's CAs do not sign
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Repository(String type, String path, String host, SshSpec ssh, String bucket, String endpoint, Integer port,
                             String region, @com.fasterxml.jackson.annotation.JsonProperty("uri_style") String uriStyle,
                             @com.fasterxml.jackson.annotation.JsonProperty("ca_file") String caFile) {
        public Repository(String type, String path) {
            this(type, path, null, null, null, null, null, null, null, null);
        }

        /** A repository on a backup server. */
        public static Repository server(String path, String host, SshSpec ssh) {
            return new Repository(SERVER, path, host, ssh, null, null, null, null, null, null);
        }

        /** True for a repository on a dedicated backup server. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean onServer() {
            return SERVER.equals(type);
        }

        /** True for an S3 bucket. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean s3() {
            return S3.equals(type);
        }

        /**
         * The repository as messages name it: the directory, on a backup server {@code host:directory}, or
         * {@code s3://bucket/path (endpoint)}.
         */
        public String describe() {
            if (onServer()) {
                return host + ":" + path;
            }
            if (!s3()) {
                return path;
            }
            String inside = path == null ? "" : path;
            return "s3://" + bucket + (inside.startsWith("/") ? "" : "/") + inside + " (" + endpoint + (port == null || port == S3_PORT ? "" : ":" + port) + ")";
        }

        /** The same repository with its path decided. */
        public Repository withPath(String newPath) {
            return new Repository(type, newPath, host, ssh, bucket, endpoint, port, region, uriStyle, caFile);
        }

        /** The same repository with its backup server at this address (a DNS name looked up once). */
        public Repository withHost(String address) {
            return new Repository(type, path, address, ssh, bucket, endpoint, port, region, uriStyle, caFile);
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
        Repository resolvedRepository = repository == null ? new Repository(LOCAL, null)
                : repository.type() == null || LOCAL.equals(repository.type()) ? new Repository(LOCAL, repository.path())
                : SERVER.equals(repository.type()) ? Repository.server(repository.path(), repository.host(),
                        groupSsh != null ? SshSpec.resolve(repository.ssh(), groupSsh) : repository.ssh())
                : new Repository(repository.type(), repository.path(), null, null, repository.bucket(), repository.endpoint(),
                repository.port() == null ? S3_PORT : repository.port(), repository.region(),
                repository.uriStyle() == null ? URI_STYLE : repository.uriStyle(), repository.caFile());
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
        return new BackupSpec(repository.withPath(path), retention, schedule, encryption);
    }

    /** The same backup settings with the backup server at this address (a DNS name looked up once). */
    public BackupSpec withServerAddress(String address) {
        return new BackupSpec(repository.withHost(address), retention, schedule, encryption);
    }

    public boolean encrypted() {
        return !Boolean.FALSE.equals(encryption);
    }
}
