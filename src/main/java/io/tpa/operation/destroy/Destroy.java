package io.tpa.operation.destroy;

import io.tpa.error.UserError;
import io.tpa.component.HostPreparation;
import io.tpa.component.ComponentException;
import io.tpa.component.PgBackRest;
import io.tpa.host.Command;
import io.tpa.host.Host;
import io.tpa.host.Platform;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.operation.GroupAccess;
import io.tpa.operation.GroupContext;
import io.tpa.operation.Platforms;
import io.tpa.wait.Wait;
import io.tpa.workspace.GroupDirectory;
import io.tpa.workspace.GroupHistory;
import io.tpa.workspace.GroupLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes a group: stops every service, removes every data directory and gives back its
 * addresses. The config and the history stay, so the group can be applied again.
 */
public final class Destroy {
    private Destroy() {
    }

    /**
     * What destroy removes.
     *
     * @param backups        the group's backup repository (null when it keeps none)
     * @param backupsDeleted true when the repository goes too ({@code --delete-backups}); otherwise it stays
     */
    public record Removal(String group, String baseDirectory, List<String> services, Map<String, String> addresses, String backups,
                          boolean backupsDeleted) {
    }

    public static Removal describe(Path directory) {
        return describe(directory, false);
    }

    public static Removal describe(Path directory, boolean deleteBackups) {
        Deployment deployment = target(directory);
        Map<String, String> addresses = new LinkedHashMap<>();
        deployment.nodes().forEach(n -> addresses.put(n.name(), n.address()));
        List<String> services = deployment.nodes().stream()
                .flatMap(n -> n.etcdMember() ? List.of("etcd-" + n.name(), "patroni-" + n.name()).stream() : List.of("patroni-" + n.name()).stream())
                .toList();
        String backups = deployment.backup() == null ? null : deployment.backup().repository().describe();
        return new Removal(deployment.group(), deployment.baseDirectory(), services, addresses, backups, deleteBackups && backups != null);
    }

    /**
     * The deployment to remove: the record of the last apply, or, when a first apply failed before
     * writing one, what the config resolves to, provided that apply left something behind.
     */
    static Deployment target(Path directory) {
        GroupDirectory group = new GroupDirectory(directory);
        if (group.deployment().isPresent() || !java.nio.file.Files.isDirectory(group.path())) {
            return GroupAccess.applied(directory);
        }
        GroupContext context = GroupContext.open(directory, false);
        Deployment resolved = context.deployment();
        Platform platform = context.platform();
        boolean leftBehind = resolved.nodes().stream().map(n -> platform.host(n.address())).distinct()
                .anyMatch(host -> host.exists(resolved.baseDirectory()));
        if (!leftBehind) {
            return GroupAccess.applied(directory);
        }
        return resolved;
    }

    /** Removes the group; its backup repository only with {@code deleteBackups}. */
    public static Removal run(Path directory, boolean deleteBackups) {
        GroupDirectory group = new GroupDirectory(directory);
        try (GroupLock ignored = group.lock("destroy")) {
            Removal removal = describe(directory, deleteBackups);
            Deployment deployment = target(directory);
            Platform platform = Platforms.forDeployment(directory, deployment);
            Map<String, Host> hosts = new LinkedHashMap<>();
            for (DeployedNode node : deployment.nodes()) {
                Host host = platform.host(node.address());
                hosts.putIfAbsent(host.name(), host);
            }
            // The backup server: its services and files go like a node's, its repository only with --delete-backups.
            Platforms.backupServer(deployment).map(server -> platform.host(server.host())).ifPresent(host -> hosts.putIfAbsent(host.name(), host));
            if (removal.backupsDeleted() && deployment.backup().repository().s3()) {
                deleteStanza(deployment, platform);
            }
            for (Host host : hosts.values()) {
                platform.serviceManager(host, deployment.key()).shutdown();
                // A process that outlived its supervisor (say, a postgres whose Patroni was killed) still names
                // the group's directory in its command line.
                // The bracket keeps the pattern from matching the command lines that carry it (a remote wrapper, say).
                String pattern = "[" + deployment.baseDirectory().charAt(0) + "]" + deployment.baseDirectory().substring(1).replace(".", "\\.") + "/";
                host.run(Command.of("pkill", "-KILL", "-f", "--", pattern));
                Wait.until("for every process of " + deployment.group() + " to end", Duration.ofSeconds(30),
                        () -> !host.run(Command.of("pgrep", "-f", "--", pattern)).ok());
                host.remove(deployment.baseDirectory());
                if (removal.backupsDeleted() && !deployment.backup().repository().s3()) {
                    host.remove(deployment.backup().repository().path());
                }
                if (deployment.platform().equals("ssh")) {
                    HostPreparation.removeFirewall(host, deployment.key());
                }
            }
            platform.releaseAddresses(deployment.key());
            group.removeDeployment();
            new GroupHistory(group.path()).commit("tpa destroy: group " + deployment.group() + " removed");
            return removal;
        } catch (Wait.WaitTimeout e) {
            throw new UserError(UserError.FAILED, e.getMessage());
        }
    }

    /**
     * Deletes the group's stanza from its S3 repository (every backup and archived WAL under the repository's path), through
     * the first node's pgBackRest configuration, before anything else goes: when the bucket cannot be reached, destroy stops
     * with nothing removed.
     */
    private static void deleteStanza(Deployment deployment, Platform platform) {
        for (DeployedNode node : deployment.nodes()) {
            Host host = platform.host(node.address());
            String config = PgBackRest.configFile(deployment, node);
            if (!host.exists(config)) {
                continue;
            }
            List<String> base = List.of(PgBackRest.BINARY, "--config=" + config, "--stanza=" + PgBackRest.stanza(deployment),
                    "--log-level-console=warn");
            // stanza-delete wants pgBackRest stopped for the stanza first (which also stops archiving); --force because
            // PostgreSQL still runs. When it fails, pgBackRest starts again, so that the group archives as before.
            try {
                pgbackrest(host, base, "stop");
                pgbackrest(host, base, "--force", "stanza-delete");
            } catch (ComponentException e) {
                host.run(new Command(append(base, "start"), host.serviceUser(), null, null, Duration.ofMinutes(1)));
                throw new UserError(UserError.FAILED, "cannot delete the backups in " + deployment.backup().repository().describe() + ": "
                        + e.getMessage() + "; nothing was removed; run `tpa destroy` again once the store answers, or without "
                        + "--delete-backups to keep them");
            }
            return;
        }
        throw new UserError(UserError.FAILED, "cannot delete the backups in " + deployment.backup().repository().describe() + ": no node "
                + "of group " + deployment.group() + " has its pgBackRest configuration any more; nothing was removed; run `tpa destroy` "
                + "without --delete-backups and delete the stanza " + PgBackRest.stanza(deployment) + " with pgBackRest or the store's tools");
    }

    private static void pgbackrest(Host host, List<String> base, String... arguments) {
        PgBackRest.run(host, new Command(append(base, arguments), host.serviceUser(), null, null, Duration.ofMinutes(5)));
    }

    private static List<String> append(List<String> base, String... arguments) {
        List<String> argv = new java.util.ArrayList<>(base);
        argv.addAll(List.of(arguments));
        return argv;
    }
}
