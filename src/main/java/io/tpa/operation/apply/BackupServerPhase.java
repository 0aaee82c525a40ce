package io.tpa.operation.apply;

import io.tpa.component.BackupScheduler;
import io.tpa.component.BackupServer;
import io.tpa.component.HostPreparation;
import io.tpa.component.PgBackRest;
import io.tpa.error.UserError;
import io.tpa.host.FileOwner;
import io.tpa.host.Host;
import io.tpa.host.OsRelease;
import io.tpa.host.Packages;
import io.tpa.host.ServiceManager;
import io.tpa.host.ServiceState;
import io.tpa.model.BackupSpec;
import io.tpa.model.Deployment;
import io.tpa.operation.Platforms;
import io.tpa.security.CertificateAuthority;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The group's backup server ({@code backup.repository.type: server}, see {@link BackupServer}): its packages and firewall
 * ({@link Prepared}, with the nodes' hosts), then its certificate, configuration, repository and TLS server ({@link Serving},
 * once the nodes have their pgBackRest configuration). A backup server the config no longer names (a new one, or none) has
 * its services stopped and its files removed, its repository kept.
 */
final class BackupServerPhase {
    static final String TITLE = "backup server";

    private BackupServerPhase() {
    }

    /** The backup server's host, or empty when the group has none. */
    static Optional<Host> host(ApplyState state) {
        return Platforms.backupServer(state.context().deployment()).map(server -> state.context().platform().host(server.host()));
    }

    /** pgBackRest and the group's supervisor are installed there, and only the nodes reach its TLS server. */
    static final class Prepared implements Phase {
        @Override
        public String title() {
            return TITLE;
        }

        @Override
        public List<Action> plan(ApplyState state) {
            Optional<Host> server = host(state);
            if (server.isEmpty()) {
                return List.of();
            }
            Host host = server.get();
            Deployment deployment = state.context().deployment();
            List<Action> actions = new ArrayList<>();
            String release = OsRelease.read(host).name();
            if (!state.context().catalog().releases().contains(release)) {
                throw new UserError(host.name() + ": the backup server runs " + release + ", which tpa has no version catalog for; use a "
                        + "server with " + String.join(" or ", state.context().catalog().releases()));
            }
            List<String> wanted = new ArrayList<>(state.context().catalog().featurePackages(release, "backup"));
            wanted.addAll(state.context().catalog().componentPackages(release, "supervisor"));
            wanted.add("nftables");
            List<String> missing = Packages.missing(host, wanted);
            if (!missing.isEmpty()) {
                if (!host.isRoot()) {
                    throw new UserError(UserError.FAILED, host.name() + ": packages missing on the backup server: " + String.join(", ", missing)
                            + "; install them with `" + Packages.installCommand(missing) + "` and run again");
                }
                actions.add(new Action(title(), host.name(), "install " + String.join(" ", missing), false,
                        () -> Packages.install(host, missing, state::note)));
            }
            String rules = BackupServer.firewallRules(deployment);
            boolean current = host.readFile(HostPreparation.firewallFile(deployment.key())).map(rules::equals).orElse(false);
            if (!current) {
                actions.add(new Action(title(), host.name(), "firewall: only the group's nodes reach pgBackRest's TLS server (port "
                        + BackupServer.PORT + ")", false, () -> HostPreparation.applyFirewall(host, deployment.key(), rules)));
            }
            return actions.isEmpty() ? List.of() : List.of(sequence(host, actions));
        }
    }

    /**
     * The backup server holds a current certificate from the group's CA, its configuration, the repository's directory, and
     * runs pgBackRest's TLS server on them (started again when any of them changed).
     */
    static final class Serving implements Phase {
        @Override
        public String title() {
            return TITLE;
        }

        @Override
        public List<Action> plan(ApplyState state) {
            List<Action> actions = new ArrayList<>(retired(state));
            Optional<Host> server = host(state);
            if (server.isEmpty()) {
                return actions;
            }
            Host host = server.get();
            Deployment deployment = state.context().deployment();
            BackupSpec backup = deployment.backup();
            ServiceManager services = state.context().platform().serviceManager(host, deployment.key());
            String user = host.serviceUser();
            List<String> steps = new ArrayList<>();
            List<Runnable> work = new ArrayList<>();
            for (String directory : List.of(backup.repository().path(), BackupServer.directory(deployment), PgBackRest.lockDirectory(deployment))) {
                if (!host.exists(directory)) {
                    steps.add("create " + directory);
                    work.add(() -> host.createDirectory(directory, FileOwner.directory(user)));
                }
            }
            CertificateAuthority authority = state.context().authority();
            String tls = BackupServer.tlsDirectory(deployment);
            String why = TlsPhase.whyIssue(host, tls, backup.repository().host(), authority, true);
            if (why != null) {
                steps.add("issue its certificate (" + why + ")");
                work.add(() -> {
                    CertificateAuthority.Issued issued = authority.issue(BackupServer.commonName(deployment),
                            List.of(backup.repository().host()), CertificateAuthority.NODE_VALIDITY);
                    host.createDirectory(tls, FileOwner.directory(user));
                    host.writeFile(tls + "/ca.crt", authority.certificatePem(), FileOwner.readable(user));
                    host.writeFile(tls + "/server.key", issued.privateKeyPem(), FileOwner.privateTo(user));
                    host.writeFile(tls + "/server.crt", issued.certificatePem(), FileOwner.readable(user));
                });
            }
            String config = BackupScheduler.pgbackrestConfig(deployment, state.context().secrets());
            Optional<String> currentConfig = host.readFile(BackupServer.configFile(deployment));
            if (!currentConfig.map(config::equals).orElse(false)) {
                steps.add((currentConfig.isEmpty() ? "write" : "update") + " its pgBackRest configuration");
                work.add(() -> host.writeFile(BackupServer.configFile(deployment), config, FileOwner.privateTo(user)));
            }
            var definition = BackupServer.service(deployment, user);
            boolean running = services.isRunning() && Optional.ofNullable(services.states().get(BackupServer.SERVICE))
                    .map(ServiceState::running).orElse(false);
            if (!steps.isEmpty() || !running || !services.isDefinedAs(definition)) {
                boolean restart = running;
                steps.add((restart ? "restart" : "start") + " pgBackRest's TLS server on " + backup.repository().host() + ":" + BackupServer.PORT);
                work.add(() -> {
                    services.ensureRunning();
                    if (restart) {
                        services.stop(BackupServer.SERVICE);
                    }
                    services.apply(List.of(definition));
                });
            }
            if (!steps.isEmpty()) {
                actions.add(new Action(title(), host.name(), String.join(", ", steps), false, () -> work.forEach(Runnable::run)));
            }
            return actions;
        }

        /** A backup server of the last apply that the config no longer names: its services and files go, its repository stays. */
        private List<Action> retired(ApplyState state) {
            Deployment deployment = state.context().deployment();
            Optional<BackupSpec.Repository> previous = state.context().previous().flatMap(Platforms::backupServer);
            Optional<BackupSpec.Repository> now = Platforms.backupServer(deployment);
            if (previous.isEmpty() || now.map(BackupSpec.Repository::host).equals(previous.map(BackupSpec.Repository::host))) {
                return List.of();
            }
            Host host = state.context().platform().host(previous.get().host());
            if (!host.exists(deployment.baseDirectory())) {
                return List.of();
            }
            return List.of(new Action(title(), host.name(), "stop the former backup server's pgBackRest and remove its files (its repository "
                    + previous.get().path() + " stays)", false, () -> {
                state.context().platform().serviceManager(host, deployment.key()).shutdown();
                host.remove(deployment.baseDirectory());
                HostPreparation.removeFirewall(host, deployment.key());
            }));
        }
    }

    /** Actions on one host that must run in order, as one. */
    private static Action sequence(Host host, List<Action> actions) {
        Map<String, Runnable> steps = new LinkedHashMap<>();
        actions.forEach(action -> steps.put(action.description(), action.work()));
        return new Action(TITLE, host.name(), String.join("; ", steps.keySet()), false, () -> steps.values().forEach(Runnable::run));
    }
}
