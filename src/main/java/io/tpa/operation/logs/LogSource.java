package io.tpa.operation.logs;

import io.tpa.component.Etcd;
import io.tpa.component.Haproxy;
import io.tpa.component.Patroni;
import io.tpa.component.Pgbouncer;
import io.tpa.error.UserError;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where a service on a node logs: file name patterns in the node's log directory ({@code NodeLayout.logDirectory()};
 * both service managers send a service's output there, systemd with {@code StandardOutput=append:}), and the format of
 * its lines. A node that does not run the service (etcd on a fourth node, pgbouncer and HAProxy in a group without
 * endpoints) simply has no such file.
 *
 * @param service the name {@code tpa logs --service} takes
 * @param files   shell patterns of its files (rotated ones too), e.g. {@code patroni.log*}
 */
public record LogSource(String service, List<String> files, LineFormat format) {
    /**
     * Every service tpa reads logs of; a new service is one more entry. PostgreSQL's files are named after
     * log_filename ({@code postgresql-Mon.log} becomes {@code postgresql-Mon.json} for jsonlog).
     */
    public static final List<LogSource> ALL = List.of(
            new LogSource("postgres", List.of("postgresql-*.json"), LineFormat.POSTGRES_JSONLOG),
            new LogSource("patroni", List.of(Patroni.LOG_FILE, Patroni.LOG_FILE + ".[0-9]*"), LineFormat.PATRONI),
            new LogSource("etcd", List.of(Etcd.LOG_FILE, Etcd.LOG_FILE + ".[0-9]*"), LineFormat.ETCD_JSON),
            new LogSource("pgbouncer", List.of(Pgbouncer.LOG_FILE, Pgbouncer.LOG_FILE + ".[0-9]*"), LineFormat.PGBOUNCER),
            new LogSource("haproxy", List.of(Haproxy.LOG_FILE, Haproxy.LOG_FILE + ".[0-9]*"), LineFormat.HAPROXY),
            // One file per command and stanza, for the commands pgBackRest logs to a file (stanza-create when apply creates the
            // stanza, a replica's restore from a backup); WAL archiving's failures are in PostgreSQL's own log.
            new LogSource("pgbackrest", List.of("*-stanza-create.log", "*-check.log", "*-archive-push.log", "*-archive-get.log",
                    "*-restore.log", "*-backup.log", "*-expire.log"), LineFormat.PGBACKREST));

    public LogSource {
        files = List.copyOf(files);
    }

    /** The sources to read: every one, or the one named (a name tpa does not know is bad input). */
    public static List<LogSource> selected(String service) {
        if (service == null) {
            return ALL;
        }
        return List.of(ALL.stream().filter(source -> source.service().equals(service)).findFirst()
                .orElseThrow(() -> new UserError("unknown service '" + service + "'; the services tpa reads logs of are "
                        + ALL.stream().map(LogSource::service).collect(Collectors.joining(", ")))));
    }
}
