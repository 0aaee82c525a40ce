package io.tpa.operation.backup;

import io.tpa.component.BackupRepository;
import io.tpa.component.BackupRepository.BackupSet;
import io.tpa.component.NodeLayout;
import io.tpa.component.PatroniApi.MemberStatus;
import io.tpa.component.PgBackRest;
import io.tpa.error.UserError;
import io.tpa.host.Command;
import io.tpa.host.CommandResult;
import io.tpa.host.Host;
import io.tpa.host.Platform;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Roles;
import io.tpa.operation.GroupAccess;
import io.tpa.operation.GroupHealth;
import io.tpa.operation.apply.ApplyListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tpa backup}: pgBackRest takes a full, differential or incremental backup of the group's primary cluster into the
 * group's repository. While a replica of the primary streams on the primary's own server, the files are copied from that
 * replica ({@code --backup-standby}), so the primary only starts and stops the backup.
 */
public final class Backup {
    public static final List<String> TYPES = List.of("full", "diff", "incr");
    /** A backup of a large database takes long; pgBackRest's own lock keeps two from running at once. */
    static final Duration TIMEOUT = Duration.ofHours(24);
    private static final Pattern PROGRESS = Pattern.compile("backup file \\S+ \\(([^,]+), ([0-9.]+)%\\)");

    private Backup() {
    }

    /**
     * What a backup did.
     *
     * @param group   the group's name
     * @param primary the primary of the primary cluster when the backup began
     * @param copiedFrom the node whose files were copied (a streaming replica, else the primary)
     * @param backup  the new backup, as the repository lists it
     * @param seconds how long it took
     */
    public record Result(String group, String primary, String copiedFrom, BackupSet backup, double seconds) {
    }

    public static Result run(Path directory, String type, ApplyListener listener) {
        long start = System.nanoTime();
        if (!TYPES.contains(type)) {
            throw new UserError("--type " + type + ": unknown backup type; use full, diff or incr");
        }
        GroupAccess access = GroupAccess.open(directory);
        Deployment deployment = requireBackups(directory, access.deployment());
        Platform platform = access.platform();
        GroupHealth health = access.health();
        DeployedCluster cluster = deployment.primaryCluster();
        DeployedNode primary = health.leader(cluster).orElseThrow(() -> new UserError(UserError.FAILED, "cluster " + cluster.name()
                + " has no running primary, so no backup can start; see `tpa status " + directory + "`"));
        Optional<io.tpa.model.BackupSpec.Repository> server = io.tpa.operation.Platforms.backupServer(deployment);
        Host host;
        Optional<DeployedNode> standby;
        List<String> argv;
        Map<String, String> environment;
        if (server.isPresent()) {
            // The backup server takes it: pgBackRest there reaches the primary and a standby through their TLS servers.
            host = platform.host(server.get().host());
            List<String> streaming = health.member(primary.name()).map(MemberStatus::streamingReplicas).orElse(List.of());
            standby = cluster.nodes().stream().filter(node -> streaming.contains(node.name())).findFirst();
            argv = new ArrayList<>(List.of(PgBackRest.BINARY, "--config=" + io.tpa.component.BackupServer.configFile(deployment)));
            environment = Map.of();
        } else {
            host = platform.host(primary.address());
            standby = streamingReplicaOnSameHost(cluster, primary, health, platform);
            argv = new ArrayList<>(List.of(PgBackRest.BINARY, "--config=" + PgBackRest.configFile(deployment, primary)));
            standby.ifPresent(replica -> {
                NodeLayout layout = NodeLayout.of(deployment.baseDirectory(), replica.name());
                argv.addAll(List.of("--pg2-path=" + layout.dataDirectory(), "--pg2-socket-path=" + layout.runDirectory(),
                        "--pg2-port=" + Deployment.POSTGRES_PORT, "--pg2-user=" + Roles.SUPERUSER));
            });
            environment = Map.of("PGPASSWORD", access.secrets().get(Roles.SUPERUSER));
        }
        argv.addAll(List.of("--stanza=" + PgBackRest.stanza(deployment), "--type=" + type, "--log-level-console=info",
                "--log-level-file=detail", "--log-path=" + progressDirectory(deployment)));
        if (standby.isPresent()) {
            argv.add("--backup-standby");
        }
        argv.add("backup");
        Command command = new Command(argv, host.serviceUser(), environment, null, TIMEOUT);

        listener.note("taking a " + type + " backup of cluster " + cluster.name() + " (primary " + primary.name() + ", files copied from "
                + standby.map(DeployedNode::name).orElse(primary.name()) + ") into " + deployment.backup().repository().describe(), elapsed(start));
        String log = progressDirectory(deployment) + "/" + PgBackRest.stanza(deployment) + "-backup.log";
        host.remove(log);
        CompletableFuture<CommandResult> running = CompletableFuture.supplyAsync(() -> host.run(command));
        CommandResult result = awaitWithProgress(running, host, log, listener, start);
        host.remove(log);
        if (!result.ok()) {
            String error = PgBackRest.errorLine(result);
            throw new UserError(UserError.FAILED, "the backup failed on " + (server.isPresent() ? "the backup server " + host.name()
                    : primary.name()) + ": " + error);
        }
        BackupRepository repository = BackupRepository.read(platform.host(primary.address()), deployment, primary);
        BackupSet backup = repository.newest().orElseThrow(() -> new UserError(UserError.FAILED,
                "pgBackRest reported success but the repository lists no backup; see `tpa backups " + directory + "`"));
        for (String removed : removeAside(deployment, platform)) {
            listener.note("removed " + removed + " (data an in-place restore kept aside until this backup)", elapsed(start));
        }
        return new Result(deployment.group(), primary.name(), standby.map(DeployedNode::name).orElse(primary.name()), backup,
                elapsed(start).toMillis() / 1000.0);
    }

    /** Removes the data directories an in-place restore moved aside (a newer backup exists now); returns what it removed. */
    static List<String> removeAside(Deployment deployment, Platform platform) {
        List<String> removed = new ArrayList<>();
        for (DeployedNode node : deployment.nodes()) {
            Host nodeHost = platform.host(node.address());
            String nodeDirectory = NodeLayout.of(deployment.baseDirectory(), node.name()).directory();
            String found = nodeHost.run(Command.of("find", nodeDirectory, "-maxdepth", "1", "-name", NodeLayout.ASIDE_PREFIX + "*")).stdout();
            for (String path : found.lines().filter(line -> !line.isBlank()).toList()) {
                nodeHost.check(Command.of("rm", "-rf", "--", path));
                removed.add(path);
            }
        }
        return removed;
    }

    /** The deployment of a group that keeps backups; a one-line error for one that does not. */
    public static Deployment requireBackups(Path directory, Deployment deployment) {
        if (deployment.backup() == null) {
            throw new UserError("group " + deployment.group() + " keeps no backups: add `backup: {}` to its config and run `tpa apply "
                    + directory + "` (see docs/backup.md)");
        }
        return deployment;
    }

    /** A replica of the cluster that streams from its primary on the primary's own server, whose files pgBackRest can copy. */
    static Optional<DeployedNode> streamingReplicaOnSameHost(DeployedCluster cluster, DeployedNode primary, GroupHealth health,
                                                             Platform platform) {
        String server = platform.host(primary.address()).name();
        List<String> streaming = health.member(primary.name()).map(MemberStatus::streamingReplicas).orElse(List.of());
        return cluster.nodes().stream().filter(n -> !n.equals(primary)).filter(n -> streaming.contains(n.name()))
                .filter(n -> platform.host(n.address()).name().equals(server))
                .findFirst();
    }

    /** Where a running backup logs every file it copies, read for its progress and removed afterwards. */
    static String progressDirectory(Deployment deployment) {
        return PgBackRest.lockDirectory(deployment);
    }

    private static CommandResult awaitWithProgress(CompletableFuture<CommandResult> running, Host host, String log, ApplyListener listener,
                                                   long start) {
        double reported = 0;
        while (true) {
            try {
                return running.get(2, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                OptionalDouble progress = progress(host, log);
                if (progress.isPresent() && progress.getAsDouble() >= reported + 10) {
                    reported = Math.floor(progress.getAsDouble() / 10) * 10;
                    listener.note(String.format(java.util.Locale.ROOT, "backup %.0f%% copied", progress.getAsDouble()), elapsed(start));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError(UserError.FAILED, "interrupted while the backup ran; pgBackRest goes on or stops by itself");
            } catch (ExecutionException e) {
                throw new UserError(UserError.FAILED, "the backup could not run: " + e.getCause().getMessage());
            }
        }
    }

    /** The share of the files copied so far, as the last line of the backup's detail log says. */
    private static OptionalDouble progress(Host host, String log) {
        CommandResult tail = host.run(Command.of("tail", "-c", "4096", log).as(host.serviceUser()));
        return parseProgress(tail.ok() ? tail.stdout() : "");
    }

    static OptionalDouble parseProgress(String logTail) {
        Matcher matcher = PROGRESS.matcher(logTail);
        Double last = null;
        while (matcher.find()) {
            last = Double.parseDouble(matcher.group(2));
        }
        return last == null ? OptionalDouble.empty() : OptionalDouble.of(last);
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
