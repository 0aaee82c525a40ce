package io.tpa.operation;

import io.tpa.component.Http;
import io.tpa.error.UserError;
import io.tpa.host.Host;
import io.tpa.host.Platform;
import io.tpa.host.ServiceManager;
import io.tpa.model.Catalog;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.DesiredState;
import io.tpa.model.GroupSpec;
import io.tpa.model.LoadedSpec;
import io.tpa.model.SecretNames;
import io.tpa.security.CertificateAuthority;
import io.tpa.security.Passwords;
import io.tpa.workspace.GroupDirectory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The session of an operation that changes a group: its desired state (config, catalog, previous record, read
 * without I/O, see {@link DesiredState}) and what reaches the running group: the platform and its hosts, the
 * deployment resolved against them (addresses, each server's release, the live primaries), the secrets, the
 * group's certificate authority and the HTTPS client for Patroni.
 *
 * @param secrets      every secret of the group, including ones created by this run and not saved yet
 * @param savedSecrets the secrets as they are stored (empty when none are)
 */
public record GroupContext(
        GroupDirectory directory,
        DesiredState desired,
        Platform platform,
        Deployment deployment,
        Map<String, String> secrets,
        Map<String, String> savedSecrets,
        CertificateAuthority authority,
        Http http) {

    /**
     * Loads and resolves a group.
     *
     * @param reserve true to record newly chosen addresses with the platform (apply); false for a dry run
     */
    public static GroupContext open(Path path, boolean reserve) {
        return open(path, reserve, false);
    }

    /**
     * Opens a session on a group: its desired state, then its platform (on the ssh platform connecting to its servers
     * first), secrets and certificate authority, then the deployment resolved against the running group.
     *
     * @param reserve       true to record newly chosen addresses with the platform (apply); false for a dry run
     * @param trustNewHosts on the ssh platform, record the host keys of servers not in known_hosts yet
     */
    public static GroupContext open(Path path, boolean reserve, boolean trustNewHosts) {
        GroupDirectory directory = new GroupDirectory(path);
        DesiredState desired = directory.desired();
        GroupSpec spec = desired.spec();
        Optional<Deployment> previous = desired.previous();
        Platform platform = Platforms.forGroup(directory, spec, previous, trustNewHosts);
        Platforms.requireReachable(platform);
        if (previous.isPresent() && !directory.hasSecrets() && !directory.hasClearSecrets()) {
            // New secrets and a new CA would take over (and lock out) the group that runs: refuse.
            throw new UserError(directory.path() + ": the group was applied (" + GroupDirectory.RECORD + ") but its secrets are missing "
                    + "(secrets.enc); restore them from your backup of the group directory, see docs/security.md");
        }
        Map<String, String> saved = directory.hasSecrets() ? directory.secrets() : Map.of();
        Map<String, String> secrets = new LinkedHashMap<>(directory.secrets());
        secrets.computeIfAbsent(SecretNames.PATRONI_API, name -> Passwords.generate());
        if (spec.endpoints() != null) {
            secrets.computeIfAbsent(io.tpa.component.Pgbouncer.LOOKUP_ROLE, name -> Passwords.generate()); // pgbouncer's lookup role
        }
        if (spec.monitoring() != null) {
            secrets.computeIfAbsent(SecretNames.SCRAPE_PASSWORD, name -> Passwords.generate()); // Prometheus to the exporters
        }
        CertificateAuthority authority = directory.certificateAuthority(secrets, spec.name());
        Http http = GroupAccess.http(authority, secrets);
        Catalog catalog = desired.catalog();
        Deployment deployment = Resolver.resolve(directory, spec, catalog, platform, previous, livePrimaries(previous, http), reserve,
                new HostReleases(platform, catalog));
        requireReachableRepository(desired.loaded(), deployment);
        if (deployment.backup() != null && deployment.backup().repository().s3()) {
            requireS3Credentials(directory, desired.loaded(), secrets);
        }
        if (deployment.backup() != null && deployment.backup().encrypted()) {
            secrets.computeIfAbsent(SecretNames.BACKUP_CIPHER, name -> Passwords.generate() + Passwords.generate());
        }
        HostReleases.requireOffered(desired.loaded(), deployment, catalog);
        HostReleases.requireSynchronousSupport(desired.loaded(), deployment, catalog);
        return new GroupContext(directory, desired, platform, deployment, secrets, Map.copyOf(saved), authority, http);
    }

    /**
     * Every node must reach the one repository, whichever is primary: a {@code local} repository is one directory only where
     * the nodes share a machine (the local platform); a backup {@code server} is a server of its own on the ssh platform.
     */
    static void requireReachableRepository(LoadedSpec loaded, Deployment deployment) {
        if (deployment.backup() == null) {
            return;
        }
        io.tpa.model.BackupSpec.Repository repository = deployment.backup().repository();
        if (repository.s3() && !deployment.platform().equals("local")) {
            // The bucket is shared, but a backup copies from a standby or runs where the scheduler runs: pgBackRest on one
            // server would have to reach PostgreSQL on the others, which tpa sets up only for a backup server.
            throw new UserError(loaded.where("backup.repository.type") + ": backup.repository.type: s3 works on the local platform "
                    + "only for now: on the " + deployment.platform() + " platform use a backup server: repository: {type: server, "
                    + "host: ADDRESS} (see docs/backup.md)");
        }
        if (!repository.onServer() && !deployment.platform().equals("local")) {
            // A repository on each server's own disk would split the archive whenever the primary moves to another server.
            throw new UserError(loaded.where("backup") + ": backups need a repository every node reaches, and a local repository is "
                    + "one directory only where the nodes share a machine (the local platform); on the " + deployment.platform()
                    + " platform give the group a backup server: repository: {type: server, host: ADDRESS} (see docs/backup.md)");
        }
        if (repository.onServer() && deployment.platform().equals("local")) {
            throw new UserError(loaded.where("backup.repository.type") + ": a backup server is for the ssh platform; the local platform's "
                    + "nodes share this machine, so use type: local (the default)");
        }
        if (repository.onServer() && repository.host() == null) {
            throw new UserError(loaded.where("backup.repository") + ": a backup server repository needs its server: add host: ADDRESS "
                    + "(a server of its own, reached over SSH like the nodes)");
        }
        if (repository.onServer()) {
            deployment.nodes().stream().filter(node -> node.address().equals(repository.host())).findFirst().ifPresent(node -> {
                throw new UserError(loaded.where("backup.repository.host") + ": " + repository.host() + " is node " + node.name()
                        + "'s server; the backup server must be another one, so that losing a node's server keeps the backups");
            });
        }
    }

    /** An S3 repository's keys are among the group's secrets: the user sets them, tpa cannot generate them. */
    static void requireS3Credentials(GroupDirectory directory, LoadedSpec loaded, Map<String, String> secrets) {
        for (String name : SecretNames.SETTABLE) {
            if (secrets.get(name) == null || secrets.get(name).isEmpty()) {
                throw new UserError(loaded.where("backup.repository.type") + ": backup.repository.type: s3 needs the secret " + name
                        + ", which the group's secrets lack; set it with `tpa secrets set " + directory.path() + " " + name
                        + "` (it reads the value from standard input)");
            }
        }
    }

    /** The config as written, with the position of each key. */
    public LoadedSpec loaded() {
        return desired.loaded();
    }

    /** The config with every default filled in. */
    public GroupSpec spec() {
        return desired.spec();
    }

    public Catalog catalog() {
        return desired.catalog();
    }

    /** The deployment record of the last successful apply; empty before the first. */
    public Optional<Deployment> previous() {
        return desired.previous();
    }

    /** Which node leads each cluster now (Patroni may have failed over since the last apply), by cluster name. */
    private static Map<String, String> livePrimaries(Optional<Deployment> previous, Http http) {
        Map<String, String> primaries = new LinkedHashMap<>();
        previous.ifPresent(deployment -> {
            GroupHealth health = GroupHealth.read(deployment, http);
            deployment.clusters().forEach(cluster -> health.leader(cluster).ifPresent(leader -> primaries.put(cluster.name(), leader.name())));
        });
        return primaries;
    }

    /** True when this run created secrets (passwords, the CA key) that must be saved before they are used. */
    public boolean secretsNeedSaving() {
        return !secrets.equals(savedSecrets);
    }

    public Host host(DeployedNode node) {
        return platform.host(node.address());
    }

    public ServiceManager services(DeployedNode node) {
        return platform.serviceManager(host(node), deployment.key());
    }

    /** Access to the group as it is now applied, for the operations that need the running group too. */
    public GroupAccess access() {
        return new GroupAccess(directory, deployment, secrets, http);
    }
}
