package io.tpa.component;

import io.tpa.host.ServiceDefinition;
import io.tpa.model.BackupSpec;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Json;
import io.tpa.model.Roles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The group's backup scheduler: a service that runs tpa's small scheduler script ({@code backup/scheduler.py} in the jar)
 * as the service user. Once a minute it compares the config's schedule (two cron lines, UTC) with the time and runs
 * pgBackRest when a backup is due, through a configuration that lists every node of the primary cluster, so that
 * pgBackRest itself finds the primary and a standby to copy from, whichever node leads by then.
 */
public final class BackupScheduler {
    public static final String SERVICE = "backup-scheduler";
    private static final String SCRIPT_RESOURCE = "/backup/scheduler.py";

    private BackupScheduler() {
    }

    /** The scheduler's files, beside the group's nodes. */
    public static String directory(Deployment deployment) {
        return deployment.baseDirectory() + "/backup";
    }

    public static String scriptFile(Deployment deployment) {
        return directory(deployment) + "/scheduler.py";
    }

    public static String settingsFile(Deployment deployment) {
        return directory(deployment) + "/scheduler.json";
    }

    /** pgBackRest's configuration for the scheduler (it holds the repository's passphrase: 0600). */
    public static String pgbackrestConfigFile(Deployment deployment) {
        return directory(deployment) + "/pgbackrest.conf";
    }

    /** The superuser's password for pgBackRest's connections, as a libpq password file (0600). */
    public static String passwordFile(Deployment deployment) {
        return directory(deployment) + "/pgpass";
    }

    public static String logFile(Deployment deployment) {
        return directory(deployment) + "/scheduler.log";
    }

    /** True when the config schedules any backup. */
    public static boolean scheduled(BackupSpec backup) {
        return backup != null && (BackupSpec.cron(backup.schedule().full()) != null || BackupSpec.cron(backup.schedule().diff()) != null);
    }

    public static String script() {
        try (InputStream in = BackupScheduler.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT_RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The scheduler's settings: the pgBackRest command line and the two schedules as cron lines ("-" for off). */
    public static String settings(Deployment deployment) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("command", List.of(PgBackRest.BINARY, "--config=" + pgbackrestConfigFile(deployment), "--stanza=" + PgBackRest.stanza(deployment),
                "--log-level-console=info"));
        settings.put("info", List.of(PgBackRest.BINARY, "--config=" + pgbackrestConfigFile(deployment), "--stanza=" + PgBackRest.stanza(deployment),
                "--output=json", "info"));
        BackupSpec.Schedule schedule = deployment.backup().schedule();
        settings.put("full", cronOrNever(schedule.full()));
        settings.put("diff", cronOrNever(schedule.diff()));
        // With monitoring, node_exporter's text file directory on the scheduler's node gets the newest backup's end time.
        settings.put("metrics_file", Exporters.textFileDirectory(deployment, schedulerNode(deployment)) + "/tpa_backup.prom");
        settings.put("max_age_seconds", schedule.maximumAge().toSeconds());
        return Json.write(settings);
    }

    /** The node whose server runs the scheduler: the primary cluster's first node. */
    public static DeployedNode schedulerNode(Deployment deployment) {
        return deployment.primaryCluster()
                .nodes().get(0);
    }

    /** A cron line that is never due (February 31st) stands for off. */
    private static String cronOrNever(String schedule) {
        String cron = BackupSpec.cron(schedule);
        return cron == null ? "0 0 31 2 *" : cron;
    }

    /**
     * pgBackRest's configuration where backups run (scheduled and {@code tpa backup}): the repository, and every node of the
     * primary cluster as pg1, pg2..., so that pgBackRest itself finds the primary and a standby. On a backup server also its
     * TLS server, and each node reached through the node's own ({@link BackupServer}).
     */
    public static String pgbackrestConfig(Deployment deployment, Map<String, String> secrets) {
        boolean server = BackupServer.used(deployment);
        Map<String, Object> global = new LinkedHashMap<>(PgBackRest.repository(deployment.backup(), secrets));
        global.put("log-path", directory(deployment));
        global.put("log-level-file", "info");
        global.put("lock-path", PgBackRest.lockDirectory(deployment));
        global.put("start-fast", "y");
        global.put("archive-timeout", "120");
        if (server) {
            global.putAll(BackupServer.serverOptions(deployment));
        }
        Map<String, String> stanza = new LinkedHashMap<>();
        DeployedCluster cluster = deployment.primaryCluster();
        List<DeployedNode> nodes = new ArrayList<>(cluster.nodes());
        for (int index = 0; index < nodes.size(); index++) {
            NodeLayout layout = NodeLayout.of(deployment.baseDirectory(), nodes.get(index).name());
            String prefix = "pg" + (index + 1) + "-";
            if (server) {
                stanza.putAll(BackupServer.nodeHostOptions(deployment, nodes.get(index), prefix));
            }
            stanza.put(prefix + "path", layout.dataDirectory());
            stanza.put(prefix + "port", Integer.toString(Deployment.POSTGRES_PORT));
            stanza.put(prefix + "socket-path", layout.runDirectory());
            stanza.put(prefix + "user", Roles.SUPERUSER);
        }
        return "# Written by tpa for the group's " + (server ? "backup server" : "backup scheduler") + "; changes made here are overwritten.\n"
                + PgBackRest.section("global", global) + "\n" + PgBackRest.section(PgBackRest.stanza(deployment), stanza);
    }

    /** A libpq password file with the superuser's password, for every node's socket. */
    public static String passwordFileContent(String superuserPassword) {
        return "*:*:*:" + Roles.SUPERUSER + ":" + superuserPassword.replace("\\", "\\\\").replace(":", "\\:") + "\n";
    }

    public static ServiceDefinition service(Deployment deployment, String user) {
        return new ServiceDefinition(SERVICE, List.of("/usr/bin/python3", scriptFile(deployment), settingsFile(deployment)), user,
                Map.of("PGPASSFILE", passwordFile(deployment)), directory(deployment), logFile(deployment), 60);
    }
}
