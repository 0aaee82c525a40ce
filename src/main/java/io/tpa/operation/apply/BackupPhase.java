package io.tpa.operation.apply;

import io.tpa.component.BackupScheduler;
import io.tpa.component.BackupServer;
import io.tpa.component.PgBackRest;
import io.tpa.host.ServiceDefinition;
import io.tpa.host.ServiceManager;
import io.tpa.host.ServiceState;
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

    /**
     * Every node's pgBackRest configuration is current, and the repository's directory exists on each server (a {@code local}
     * repository); with a backup server, every node runs pgBackRest's TLS server instead, for the backup server to reach it.
     */
    static final class Configuration extends WithBackups {
        @Override
        public List<Action> plan(ApplyState state) {
            Deployment deployment = state.context().deployment();
            if (deployment.backup() != null) {
                return super.plan(state);
            }
            // Backups gone from the config: a node's TLS server for the former backup server goes too.
            return ApplyState.each(deployment.nodes(), node -> state.serviceState(node, BackupServer.nodeServiceName(node)) == null ? null
                    : new Action(TITLE, node.name(), "stop its pgBackRest TLS server (no backup server any more)", false,
                    () -> removeTlsServer(state, deployment, node)));
        }

        /** Stops and forgets a node's pgBackRest TLS server, and removes the password file its workers log in with. */
        private static void removeTlsServer(ApplyState state, Deployment deployment, DeployedNode node) {
            state.services(node).remove(BackupServer.nodeServiceName(node));
            state.context().host(node).remove(BackupServer.nodePasswordFile(deployment, node));
        }

        @Override
        List<Action> plan(ApplyState state, Deployment deployment, BackupSpec backup) {
            List<Action> actions = new ArrayList<>();
            String repository = backup.repository().path();
            if (!backup.repository().onServer() && !backup.repository().s3()) {
                actions.addAll(ApplyState.each(List.copyOf(state.hosts().keySet()), host -> host.exists(repository) ? null
                        : new Action(title(), host.name(), "create the backup repository " + repository + " (mode 0700)", false,
                        () -> host.createDirectory(repository, FileOwner.directory(host.serviceUser())))));
            }
            String locks = PgBackRest.lockDirectory(deployment);
            actions.addAll(ApplyState.each(List.copyOf(state.hosts().keySet()), host -> host.exists(locks) ? null
                    : new Action(title(), host.name(), "create pgBackRest's lock directory " + locks, false,
                    () -> host.createDirectory(locks, FileOwner.directory(host.serviceUser())))));
            actions.addAll(ApplyState.each(deployment.nodes(), node -> nodeConfiguration(state, deployment, node)));
            return actions;
        }

        /** A node's configuration, and with a backup server its TLS server (started again when the configuration changed). */
        private static Action nodeConfiguration(ApplyState state, Deployment deployment, DeployedNode node) {
            Host host = state.context().host(node);
            String user = host.serviceUser();
            Map<String, String> files = new LinkedHashMap<>();
            files.put(PgBackRest.configFile(deployment, node), PgBackRest.config(deployment, node, state.context().secrets()));
            boolean server = deployment.backup().repository().onServer();
            if (server) {
                files.put(BackupServer.nodePasswordFile(deployment, node),
                        BackupScheduler.passwordFileContent(state.context().secrets().get(Roles.SUPERUSER)));
            }
            List<String> changed = files.keySet().stream().filter(path -> !host.readFile(path).map(files.get(path)::equals).orElse(false)).toList();
            ServiceDefinition definition = BackupServer.nodeService(deployment, node, user);
            boolean running = state.isRunning(node, definition.name());
            boolean serviceCurrent = !server || running && state.services(node).isDefinedAs(definition);
            boolean serviceLeft = !server && state.serviceState(node, definition.name()) != null;
            if (changed.isEmpty() && serviceCurrent && !serviceLeft) {
                return null;
            }
            List<String> steps = new ArrayList<>();
            if (!changed.isEmpty()) {
                steps.add((host.exists(PgBackRest.configFile(deployment, node)) ? "update" : "write") + " pgBackRest configuration");
            }
            if (server) {
                steps.add((running ? "restart" : "start") + " its pgBackRest TLS server (port " + BackupServer.PORT + ", for the backup server)");
            } else if (serviceLeft) {
                steps.add("stop its pgBackRest TLS server (no backup server any more)");
            }
            return new Action(TITLE, node.name(), String.join(" and ", steps), false, () -> {
                for (String path : changed) {
                    host.writeFile(path, files.get(path), FileOwner.privateTo(user));
                }
                if (serviceLeft) {
                    removeTlsServer(state, deployment, node);
                }
                if (server) {
                    if (running) {
                        state.services(node).stop(definition.name());
                    }
                    state.services(node).apply(List.of(definition));
                }
            });
        }
    }

    /**
     * The group's stanza exists in the repository the primary archives to, and a WAL segment it switches to reaches it
     * ({@code pgbackrest check}): run on the backup server when the group has one, else on the primary's server.
     */
    static final class Stanza extends WithBackups {
        static final Duration TIMEOUT = Duration.ofMinutes(3);

        @Override
        List<Action> plan(ApplyState state, Deployment deployment, BackupSpec backup) {
            String stanza = PgBackRest.stanza(deployment);
            if (backup.repository().onServer()) {
                // The backup server creates the stanza and checks it: it reaches the primary through the primary's TLS server.
                Host server = BackupServerPhase.host(state).orElseThrow();
                if (server.exists(PgBackRest.stanzaMarker(backup, stanza)) && server.exists(checkedMarker(deployment))) {
                    return List.of();
                }
                return List.of(new Action(title(), server.name(), "create stanza " + stanza + " in " + backup.repository().describe()
                        + " and check that WAL reaches it", false, () -> {
                    for (String command : List.of("stanza-create", "check")) {
                        PgBackRest.run(server, new io.tpa.host.Command(List.of(PgBackRest.BINARY, "--config=" + BackupServer.configFile(deployment),
                                "--stanza=" + stanza, command), server.serviceUser(), Map.of(), null, TIMEOUT));
                    }
                    server.writeFile(checkedMarker(deployment), "", FileOwner.privateTo(server.serviceUser()));
                }));
            }
            DeployedCluster cluster = deployment.primaryCluster();
            Optional<DeployedNode> leader = state.dryRun() ? Optional.of(cluster.primaryNode()) : state.health().leader(cluster);
            DeployedNode primary = leader.orElse(cluster.primaryNode());
            Host host = state.context().host(primary);
            if (PgBackRest.stanzaExists(host, backup, state.context().secrets(), stanza) && host.exists(checkedMarker(deployment))) {
                return List.of();
            }
            String password = state.context().secrets().get(Roles.SUPERUSER);
            return List.of(new Action(title(), primary.name(), "create stanza " + stanza + " in " + backup.repository().describe()
                    + " and check that WAL reaches it", false, () -> {
                PgBackRest.run(host, PgBackRest.command(host, deployment, primary, password, TIMEOUT, "stanza-create"));
                PgBackRest.run(host, PgBackRest.command(host, deployment, primary, password, TIMEOUT, "check"));
                host.writeFile(checkedMarker(deployment), "", FileOwner.privateTo(host.serviceUser()));
            }));
        }

        /**
         * Written once {@code pgbackrest check} passed after the stanza was created, so that an apply whose check failed
         * (WAL did not reach the repository) checks again next time rather than trusting the stanza alone.
         */
        static String checkedMarker(Deployment deployment) {
            return PgBackRest.lockDirectory(deployment) + "/stanza-checked";
        }
    }

    /**
     * The group's backup scheduler runs with the config's schedule ({@link BackupScheduler}) where backups are taken: on the
     * backup server, else on the server of the primary cluster's first node; without backups, or with both schedules off, it
     * is stopped and its files are gone.
     */
    static final class Schedule implements Phase {
        @Override
        public String title() {
            return TITLE;
        }

        @Override
        public List<Action> plan(ApplyState state) {
            Deployment deployment = state.context().deployment();
            Optional<Host> server = BackupServerPhase.host(state);
            Host host = server.orElseGet(() -> state.context().host(BackupScheduler.schedulerNode(deployment)));
            String target = server.isPresent() ? host.name() : BackupScheduler.schedulerNode(deployment).name();
            ServiceManager services = state.context().platform().serviceManager(host, deployment.key());
            ServiceState current = server.isEmpty() ? state.serviceState(BackupScheduler.schedulerNode(deployment), BackupScheduler.SERVICE)
                    : services.isRunning() ? services.states().get(BackupScheduler.SERVICE) : null;
            String directory = BackupScheduler.directory(deployment);
            if (!BackupScheduler.scheduled(deployment.backup())) {
                if (current == null && (server.isPresent() || !host.exists(directory))) {
                    return List.of();
                }
                return List.of(new Action(title(), target, "stop and remove the backup scheduler (no backup schedule in the config)", false,
                        () -> {
                            services.remove(BackupScheduler.SERVICE);
                            if (server.isEmpty()) {
                                host.remove(directory);
                            }
                        }));
            }
            String user = host.serviceUser();
            Map<String, String> secrets = state.context().secrets();
            Map<String, String> files = new LinkedHashMap<>();
            files.put(BackupScheduler.scriptFile(deployment), BackupScheduler.script());
            files.put(BackupScheduler.settingsFile(deployment), BackupScheduler.settings(deployment));
            if (server.isEmpty()) {
                // On a backup server the configuration is the server's own, and the nodes' TLS servers log in to PostgreSQL.
                files.put(BackupScheduler.pgbackrestConfigFile(deployment), BackupScheduler.pgbackrestConfig(deployment, secrets));
                files.put(BackupScheduler.passwordFile(deployment), BackupScheduler.passwordFileContent(secrets.get(Roles.SUPERUSER)));
            }
            List<String> changed = files.keySet().stream().filter(path -> !host.readFile(path).map(files.get(path)::equals).orElse(false)).toList();
            ServiceDefinition definition = BackupScheduler.service(deployment, user);
            boolean running = current != null && current.running();
            if (changed.isEmpty() && running && services.isDefinedAs(definition)) {
                return List.of();
            }
            BackupSpec.Schedule schedule = deployment.backup().schedule();
            return List.of(new Action(title(), target, (running ? "restart" : "start") + " the backup scheduler (full: " + schedule.full()
                    + ", diff: " + schedule.diff() + ")", false, () -> {
                host.createDirectory(directory, FileOwner.directory(user));
                for (String path : changed) {
                    host.writeFile(path, files.get(path), FileOwner.privateTo(user));
                }
                if (running) {
                    services.stop(BackupScheduler.SERVICE);
                }
                services.apply(List.of(definition));
            }));
        }
    }
}
