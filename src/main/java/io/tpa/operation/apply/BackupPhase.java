package io.tpa.operation.apply;

import io.tpa.component.BackupScheduler;
import io.tpa.component.PgBackRest;
import io.tpa.host.ServiceDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import io.tpa.host.FileOwner;
import io.tpa.host.Host;
import io.tpa.model.BackupSpec;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Roles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Backups with pgBackRest ({@code backup:} in the config): before Patroni's configuration names the archive command, every
 * node has its pgBackRest configuration and every server the repository's directory ({@link Configuration}); once the
 * primary runs, the group's stanza exists in the repository and archiving works ({@link Stanza}). Nothing without backups.
 */
final class BackupPhase {
    static final String TITLE = "backup";

    private BackupPhase() {
    }

    /** A backup phase that has nothing to do in a group without backups. */
    private abstract static class WithBackups implements Phase {
        @Override
        public String title() {
            return TITLE;
        }

        @Override
        public List<Action> plan(ApplyState state) {
            Deployment deployment = state.context().deployment();
            return deployment.backup() == null ? List.of() : plan(state, deployment, deployment.backup());
        }

        abstract List<Action> plan(ApplyState state, Deployment deployment, BackupSpec backup);
    }

    /**
     * An S3 repository's bucket can be reached (with the keys in the group's secrets) before apply changes anything: a store
     * that is down, a missing bucket or refused keys fail in one line that names the bucket. Nothing for a local repository.
     */
    static final class Store extends WithBackups {
        @Override
        List<Action> plan(ApplyState state, Deployment deployment, BackupSpec backup) {
            if (backup.repository().s3()) {
                DeployedNode node = deployment.primaryCluster().nodes().get(0);
                PgBackRest.checkS3(state.context().host(node), backup, state.context().secrets());
            }
            return List.of();
        }
    }

    /** Every node's pgBackRest configuration is current, and a local repository's directory exists on each server. */
    static final class Configuration extends WithBackups {
        @Override
        List<Action> plan(ApplyState state, Deployment deployment, BackupSpec backup) {
            List<Action> actions = new ArrayList<>();
            String repository = backup.repository().path();
            if (!backup.repository().s3()) {
                actions.addAll(ApplyState.each(List.copyOf(state.hosts().keySet()), host -> host.exists(repository) ? null
                        : new Action(title(), host.name(), "create the backup repository " + repository + " (mode 0700)", false,
                        () -> host.createDirectory(repository, FileOwner.directory(host.serviceUser())))));
            }
            String locks = PgBackRest.lockDirectory(deployment);
            actions.addAll(ApplyState.each(List.copyOf(state.hosts().keySet()), host -> host.exists(locks) ? null
                    : new Action(title(), host.name(), "create pgBackRest's lock directory " + locks, false,
                    () -> host.createDirectory(locks, FileOwner.directory(host.serviceUser())))));
            actions.addAll(ApplyState.each(deployment.nodes(), node -> {
                Host host = state.context().host(node);
                String path = PgBackRest.configFile(deployment, node);
                String wanted = PgBackRest.config(deployment, node, state.context().secrets());
                Optional<String> current = host.readFile(path);
                if (current.isPresent() && current.get().equals(wanted)) {
                    return null;
                }
                return new Action(title(), node.name(), (current.isEmpty() ? "write" : "update") + " pgBackRest configuration", false,
                        () -> host.writeFile(path, wanted, FileOwner.privateTo(host.serviceUser())));
            }));
            return actions;
        }
    }

    /**
     * The group's stanza exists in the repository the primary archives to, and a WAL segment it switches to reaches it
     * ({@code pgbackrest check}). On the ssh platform each server has a repository of its own: the one of the server that
     * runs the primary now.
     */
    static final class Stanza extends WithBackups {
        static final Duration TIMEOUT = Duration.ofMinutes(3);

        @Override
        List<Action> plan(ApplyState state, Deployment deployment, BackupSpec backup) {
            DeployedCluster cluster = deployment.primaryCluster();
            Optional<DeployedNode> leader = state.dryRun() ? Optional.of(cluster.primaryNode()) : state.health().leader(cluster);
            DeployedNode primary = leader.orElse(cluster.primaryNode());
            Host host = state.context().host(primary);
            String stanza = PgBackRest.stanza(deployment);
            if (PgBackRest.stanzaExists(host, backup, state.context().secrets(), stanza)) {
                return List.of();
            }
            String password = state.context().secrets().get(Roles.SUPERUSER);
            return List.of(new Action(title(), primary.name(), "create stanza " + stanza + " in " + backup.repository().location()
                    + " and check that WAL reaches it", false, () -> {
                PgBackRest.run(host, PgBackRest.command(host, deployment, primary, password, TIMEOUT, "stanza-create"));
                PgBackRest.run(host, PgBackRest.command(host, deployment, primary, password, TIMEOUT, "check"));
            }));
        }
    }

    /**
     * The group's backup scheduler runs with the config's schedule ({@link BackupScheduler}) on the server of the primary
     * cluster's first node; without backups, or with both schedules off, it is stopped and its files are gone.
     */
    static final class Schedule implements Phase {
        @Override
        public String title() {
            return TITLE;
        }

        @Override
        public List<Action> plan(ApplyState state) {
            Deployment deployment = state.context().deployment();
            DeployedCluster cluster = deployment.primaryCluster();
            DeployedNode node = cluster.nodes().get(0);
            Host host = state.context().host(node);
            String directory = BackupScheduler.directory(deployment);
            if (!BackupScheduler.scheduled(deployment.backup())) {
                if (state.serviceState(node, BackupScheduler.SERVICE) == null && !host.exists(directory)) {
                    return List.of();
                }
                return List.of(new Action(title(), node.name(), "stop and remove the backup scheduler (no backup schedule in the config)", false,
                        () -> {
                            state.services(node).remove(BackupScheduler.SERVICE);
                            host.remove(directory);
                        }));
            }
            String user = host.serviceUser();
            Map<String, String> secrets = state.context().secrets();
            Map<String, String> files = new LinkedHashMap<>();
            files.put(BackupScheduler.scriptFile(deployment), BackupScheduler.script());
            files.put(BackupScheduler.settingsFile(deployment), BackupScheduler.settings(deployment));
            files.put(BackupScheduler.pgbackrestConfigFile(deployment), BackupScheduler.pgbackrestConfig(deployment, secrets));
            files.put(BackupScheduler.passwordFile(deployment), BackupScheduler.passwordFileContent(secrets.get(Roles.SUPERUSER)));
            List<String> changed = files.keySet().stream().filter(path -> !host.readFile(path).map(files.get(path)::equals).orElse(false)).toList();
            ServiceDefinition definition = BackupScheduler.service(deployment, user);
            boolean running = state.isRunning(node, BackupScheduler.SERVICE);
            if (changed.isEmpty() && running && state.services(node).isDefinedAs(definition)) {
                return List.of();
            }
            BackupSpec.Schedule schedule = deployment.backup().schedule();
            return List.of(new Action(title(), node.name(), (running ? "restart" : "start") + " the backup scheduler (full: " + schedule.full()
                    + ", diff: " + schedule.diff() + ")", false, () -> {
                host.createDirectory(directory, FileOwner.directory(user));
                for (String path : changed) {
                    host.writeFile(path, files.get(path), FileOwner.privateTo(user));
                }
                if (running) {
                    state.services(node).stop(BackupScheduler.SERVICE);
                }
                state.services(node).apply(List.of(definition));
            }));
        }
    }
}
