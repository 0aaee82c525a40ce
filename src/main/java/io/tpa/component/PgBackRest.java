package io.tpa.component;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tpa.error.UserError;
import io.tpa.host.Command;
import io.tpa.host.CommandResult;
import io.tpa.host.Host;
import io.tpa.model.BackupSpec;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Json;
import io.tpa.model.Roles;
import io.tpa.model.SecretNames;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * pgBackRest backs a group up: whichever node is primary pushes every WAL segment to the group's repository, replicas
 * fetch from it when streaming falls behind, and backups and restores go through it. Every node has a configuration file
 * of its own ({@link #configFile}); the group has one stanza, named after the group: its clusters share one system
 * identifier (standby clusters replicate from the primary cluster), so one line of WAL and backups covers them all.
 */
public final class PgBackRest {
    public static final String BINARY = "/usr/bin/pgbackrest";
    public static final String CIPHER = "aes-256-cbc";
    /** At most this long between archived segments of a quiet primary, so that a restore can reach recent times. */
    public static final String ARCHIVE_TIMEOUT = "60s";

    private PgBackRest() {
    }

    /** The group's stanza. */
    public static String stanza(Deployment deployment) {
        return deployment.group();
    }

    /** A node's pgBackRest configuration (it holds the repository's passphrase: mode 0600, the service user's). */
    public static String configFile(Deployment deployment, DeployedNode node) {
        return NodeLayout.of(deployment.baseDirectory(), node.name()).directory() + "/pgbackrest.conf";
    }

    /**
     * Where pgBackRest keeps its locks: one directory for the group on each server, so that two backups of the group never
     * run at once on the local platform, whichever node's configuration each one reads.
     */
    public static String lockDirectory(Deployment deployment) {
        return deployment.baseDirectory() + "/pgbackrest-lock";
    }

    /** The configuration file of a node: the repository, its retention and encryption, and the node's PostgreSQL. */
    public static String config(Deployment deployment, DeployedNode node, Map<String, String> secrets) {
        BackupSpec backup = deployment.backup();
        NodeLayout layout = NodeLayout.of(deployment.baseDirectory(), node.name());
        // On a backup server, the node reaches the repository through the server's TLS server.
        Map<String, String> global = new LinkedHashMap<>(backup.repository().onServer() ? BackupServer.nodeOptions(deployment, node, secrets)
                : repository(backup, secrets));
        global.put("log-path", layout.logDirectory());
        global.put("log-level-file", "info");
        global.put("lock-path", lockDirectory(deployment));
        global.put("start-fast", "y");
        global.put("archive-timeout", "120");
        Map<String, String> stanza = new LinkedHashMap<>();
        stanza.put("pg1-path", layout.dataDirectory());
        stanza.put("pg1-port", Integer.toString(Deployment.POSTGRES_PORT));
        stanza.put("pg1-socket-path", layout.runDirectory());
        stanza.put("pg1-user", Roles.SUPERUSER);
        return "# Written by tpa from the group's tpa.yml; changes made here are overwritten.\n"
                + section("global", global) + "\n" + section(stanza(deployment), stanza);
    }

    /** The repository options of a group: where, how many full backups, and its encryption. */
    public static Map<String, String> repository(BackupSpec backup, Map<String, String> secrets) {
        Map<String, String> options = new LinkedHashMap<>();
        switch (backup.repository().type()) {
            case BackupSpec.S3 -> options.putAll(s3(backup.repository(), secrets));
            default -> options.put("repo1-path", backup.repository().path());
        }
        options.put("repo1-retention-full", Integer.toString(backup.retention().full()));
        if (backup.encrypted()) {
            options.put("repo1-cipher-type", CIPHER);
            options.put("repo1-cipher-pass", secrets.get(SecretNames.BACKUP_CIPHER));
        }
        return options;
    }

    /**
     * The options of a repository in an S3 bucket, its credentials from the group's secrets: they only ever go into files of
     * mode 0600 (the nodes' configuration) or a command's environment.
     */
    static Map<String, String> s3(BackupSpec.Repository repository, Map<String, String> secrets) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("repo1-type", "s3");
        options.put("repo1-path", repository.path());
        options.put("repo1-s3-bucket", repository.bucket());
        options.put("repo1-s3-endpoint", repository.endpoint());
        options.put("repo1-storage-port", Integer.toString(repository.port()));
        options.put("repo1-s3-region", repository.region());
        options.put("repo1-s3-uri-style", repository.uriStyle());
        if (repository.caFile() != null) {
            options.put("repo1-storage-ca-file", repository.caFile());
        }
        options.put("repo1-s3-key", secrets.get(SecretNames.BACKUP_S3_KEY_ID));
        options.put("repo1-s3-key-secret", secrets.get(SecretNames.BACKUP_S3_KEY_SECRET));
        return options;
    }

    /** How long a check of an S3 repository waits for the store (pgBackRest tries a few times before it gives up). */
    static final String S3_CHECK_IO_TIMEOUT = "2";

    /**
     * A command that lists a directory of the S3 repository (relative to its path; empty for the path itself), its options
     * (credentials included) in the environment rather than in a file: it needs no configuration file and changes nothing, so
     * it can run before apply writes anything. It fails when the bucket cannot be reached (the store is down, the bucket is
     * missing, the keys are refused).
     */
    public static Command s3List(Host host, BackupSpec backup, Map<String, String> secrets, String directory) {
        Map<String, String> environment = new LinkedHashMap<>();
        s3(backup.repository(), secrets).forEach((key, value) -> environment.put("PGBACKREST_" + key.toUpperCase(java.util.Locale.ROOT)
                .replace('-', '_'), value));
        environment.put("PGBACKREST_LOG_LEVEL_FILE", "off");
        List<String> argv = new ArrayList<>(List.of(BINARY, "--no-config", "--log-level-console=warn", "--io-timeout=" + S3_CHECK_IO_TIMEOUT,
                "repo-ls"));
        if (!directory.isEmpty()) {
            argv.add(directory);
        }
        return new Command(argv, host.serviceUser(), environment, null, Duration.ofSeconds(60));
    }

    /** Lists the S3 repository's path; a bucket that cannot be reached fails in one line that names it. */
    public static void checkS3(Host host, BackupSpec backup, Map<String, String> secrets) {
        listS3(host, backup, secrets, "");
    }

    private static String listS3(Host host, BackupSpec backup, Map<String, String> secrets, String directory) {
        CommandResult result = host.run(s3List(host, backup, secrets, directory));
        if (!result.ok()) {
            // A failure of the store, not of tpa: one line (exit 1), not an unexpected error.
            throw new UserError(UserError.FAILED, "the backup repository " + backup.repository().describe() + " cannot be reached from "
                    + host.name() + ": " + errorLine(result).replaceFirst(":$", "") + "; check the bucket, endpoint, port, region and "
                    + "ca_file, and the keys in the group's secrets");
        }
        return result.stdout();
    }

    /** True once the stanza exists in the repository (its archive.info file). */
    public static boolean stanzaExists(Host host, BackupSpec backup, Map<String, String> secrets, String stanza) {
        if (backup.repository().s3()) {
            return listS3(host, backup, secrets, "archive/" + stanza).lines().anyMatch(line -> line.strip().equals("archive.info"));
        }
        return host.exists(stanzaMarker(backup, stanza));
    }

    /** pgBackRest's own error line of a failed command. */
    public static String errorLine(CommandResult result) {
        return (result.stdout() + "\n" + result.stderr()).lines().filter(line -> line.contains("ERROR:")).findFirst()
                .orElse(result.lastErrorLine()).strip();
    }

    /** An ini file's section; a list is one line per value, for the options pgBackRest takes several times. */
    public static String section(String name, Map<String, ?> options) {
        StringBuilder text = new StringBuilder("[" + name + "]\n");
        options.forEach((key, value) -> {
            for (Object each : value instanceof List<?> values ? values : List.of(value)) {
                text.append(key).append('=').append(each).append('\n');
            }
        });
        return text.toString();
    }

    /** PostgreSQL parameters that archive every WAL segment of the primary to the repository. */
    public static Map<String, String> archiveParameters(Deployment deployment, DeployedNode node) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("archive_mode", "on");
        parameters.put("archive_command", BINARY + " --config=" + configFile(deployment, node) + " --stanza=" + stanza(deployment)
                + " archive-push %p");
        return parameters;
    }

    /** The name of Patroni's replica creation method that restores the newest backup. */
    public static final String REPLICA_METHOD = "pgbackrest";

    /**
     * The command Patroni runs to create a replica from the newest backup: into the node's (empty) data directory, with no
     * recovery settings of pgBackRest's own, since Patroni writes the replica's. It fails while the repository holds no
     * backup, and Patroni then copies the primary instead.
     */
    public static String replicaCommand(Deployment deployment, DeployedNode node) {
        String data = NodeLayout.of(deployment.baseDirectory(), node.name()).dataDirectory();
        return "/bin/sh -c '/bin/mkdir -p -m 0700 " + data + " && exec " + BINARY + " --config=" + configFile(deployment, node) + " --stanza="
                + stanza(deployment) + " --type=preserve --log-level-console=warn restore'";
    }

    /** The restore_command a replica uses to catch up from the archive when streaming cannot serve it. */
    public static String restoreCommand(Deployment deployment, DeployedNode node) {
        return archiveGetCommand(configFile(deployment, node), stanza(deployment));
    }

    /** The repository's file that exists once the stanza does (on the server that holds the repository). */
    public static String stanzaMarker(BackupSpec backup, String stanza) {
        return backup.repository().path() + "/archive/" + stanza + "/archive.info";
    }

    /** A pgBackRest command for a node, run as the service user, the superuser's password in its environment. */
    public static Command command(Host host, Deployment deployment, DeployedNode node, String superuserPassword, Duration timeout,
                                  String... arguments) {
        List<String> argv = new ArrayList<>(List.of(BINARY, "--config=" + configFile(deployment, node), "--stanza=" + stanza(deployment)));
        argv.addAll(List.of(arguments));
        return new Command(argv, host.serviceUser(), Map.of("PGPASSWORD", superuserPassword), null, timeout);
    }

    /** Runs a pgBackRest command and throws, with pgBackRest's own error line, when it fails. */
    public static CommandResult run(Host host, Command command) {
        CommandResult result = host.run(command);
        if (!result.ok()) {
            String error = errorLine(result);
            throw new ComponentException(host.name() + ": pgbackrest " + command.argv().get(command.argv().size() - 1) + " failed (exit "
                    + result.exitCode() + "): " + error);
        }
        return result;
    }

    // What a restored node's first start needs (tpa restore stages them beside the restored data).

    /** The pgBackRest configuration a restore reads the source's repository with (0600, removed once the group runs). */
    public static String restoreConfigFile(NodeLayout layout) {
        return layout.directory() + "/restore-pgbackrest.conf";
    }

    /**
     * The configuration a restored node reads another group's repository with: that group's repository and passphrase, and
     * the node's own data directory (where {@code archive-get} puts the WAL it fetches).
     */
    public static String restoreConfig(BackupSpec sourceBackup, Map<String, String> sourceSecrets, String sourceStanza, NodeLayout target) {
        // A backup server accepts the group's own nodes: an in-place restore's node, with its certificate.
        Map<String, String> global = new LinkedHashMap<>(sourceBackup.repository().onServer()
                ? BackupServer.repositoryOptions(sourceBackup, sourceSecrets, target.tlsDirectory()) : repository(sourceBackup, sourceSecrets));
        global.put("log-level-file", "off");
        global.put("lock-path", target.directory() + "/restore-lock");
        return "# Written by tpa restore: the source group's repository, until the restored group runs.\n" + section("global", global)
                + "\n" + section(sourceStanza, Map.of("pg1-path", target.dataDirectory()));
    }

    /** The restore_command that fetches WAL from the repository a configuration file names. */
    public static String archiveGetCommand(String configFile, String stanza) {
        return BINARY + " --config=" + configFile + " --stanza=" + stanza + " archive-get %f \"%p\"";
    }

    /** Once a restored node runs: the files that named the source's repository go (configuration, recovery settings, locks). */
    public static void removeRestoreFiles(Host host, NodeLayout layout) {
        host.remove(restoreSettingsFile(layout));
        host.remove(restoreConfigFile(layout));
        host.remove(layout.directory() + "/restore-lock");
    }

    /** The recovery settings (restore_command, target) of a node restored from a backup, read by its first start. */
    public static String restoreSettingsFile(NodeLayout layout) {
        return layout.directory() + "/restore-recovery.json";
    }

    /** The recovery settings a restored node's bootstrap replays the source's archive with; empty when it was not restored. */
    public static Optional<Map<String, String>> restoreSettings(Host host, NodeLayout layout) {
        Optional<String> text = host.readFile(restoreSettingsFile(layout));
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.JSON.readValue(text.get(), new TypeReference<Map<String, String>>() { }));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
