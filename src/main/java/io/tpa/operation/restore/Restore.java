package io.tpa.operation.restore;

import io.tpa.component.BackupRepository;
import io.tpa.component.BackupRepository.BackupSet;
import io.tpa.component.NodeLayout;
import io.tpa.component.PatroniApi.MemberStatus;
import io.tpa.component.PgBackRest;
import io.tpa.component.Postgres;
import io.tpa.error.UserError;
import io.tpa.host.Command;
import io.tpa.host.FileOwner;
import io.tpa.host.Host;
import io.tpa.host.Platform;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Json;
import io.tpa.model.LoadedSpec;
import io.tpa.model.NodeSpec;
import io.tpa.model.Roles;
import io.tpa.model.SpecLoader;
import io.tpa.operation.GroupAccess;
import io.tpa.operation.GroupHealth;
import io.tpa.operation.apply.Action;
import io.tpa.operation.apply.Apply;
import io.tpa.operation.apply.ApplyListener;
import io.tpa.operation.apply.ApplyResult;
import io.tpa.operation.apply.OperationProgress;
import io.tpa.operation.apply.Steps;
import io.tpa.operation.backup.Backup;
import io.tpa.operation.backup.Backups;
import io.tpa.wait.Wait;
import io.tpa.workspace.ConfigEditor;
import io.tpa.workspace.GroupDirectory;
import io.tpa.workspace.GroupHistory;
import io.tpa.workspace.GroupLock;
import io.tpa.workspace.ResumeMarker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code tpa restore DIR --into NEWDIR}: a new, independent group (its own directory, config, history, secrets and CA)
 * whose data is the source group's as of a point in time, a WAL position or the end of the archive, restored from the
 * source's pgBackRest repository. The source is only read: its repository, and one WAL switch so that what it committed
 * until now is archived.
 *
 * <p>The steps, each skipped when the facts show it done, so that a restore killed half-way converges when run again:
 * <ol>
 *   <li>the new directory gets the source's config, reduced to its primary cluster and renamed, a marker ({@value #MARKER},
 *       git-ignored) and a history;</li>
 *   <li>pgBackRest restores the backup that ended last before the target into the new primary's staged data directory, and
 *       the recovery settings (the source's archive, the target, promote) are written beside it;</li>
 *   <li>the new group's apply bootstraps its primary from the staged data: PostgreSQL replays the source's archive up to the
 *       target and promotes itself on a new timeline; the replicas clone it; a second apply puts the standard Patroni
 *       configuration back, and the files that name the source's repository go.</li>
 * </ol>
 */
public final class Restore {
    static final String MARKER = ".tpa/restore.json";
    static final String PHASE = "restore";
    static final Duration ARCHIVED = Duration.ofSeconds(60);

    private Restore() {
    }

    /**
     * What a restore did, or would do.
     *
     * @param backup   the label of the backup restored
     * @param target   the point restored to, as a person reads it
     * @param steps    for a dry run, what would happen, in order
     * @param timeline the new primary's timeline (null for a dry run)
     * @param changes  how many steps ran (0 when the restore was complete already)
     * @param commits  the commits made in the new group's history
     */
    public record Result(String source, String sourceGroup, String into, String group, String primary, String backup, String target,
                         boolean dryRun, List<String> steps, Long timeline, double seconds, int changes, List<String> commits) {
    }

    /** The marker's content: where the restore came from and what it restores. */
    record Marker(String source, String backup, String target, List<String> nodes, String started) {
    }

    public static Result run(Path source, RestoreTarget target, Path into, String name, boolean dryRun, ApplyListener listener) {
        OperationProgress progress = new OperationProgress(listener, System.nanoTime());
        GroupDirectory sourceGroup = new GroupDirectory(source);
        GroupDirectory newGroup = new GroupDirectory(into);
        Path sourcePath = sourceGroup.path();
        Path newPath = newGroup.path();
        if (newPath.startsWith(sourcePath) || sourcePath.startsWith(newPath)) {
            throw new UserError("--into " + into + ": the new group needs a directory of its own, outside " + sourcePath
                    + " and not containing it");
        }
        GroupAccess access = openSource(source, target);
        Deployment deployment = access.deployment();
        Optional<Path> existingConfig = ResumeMarker.configFile(newPath);
        Optional<Marker> marker = ResumeMarker.read(newPath, MARKER, Marker.class);
        boolean resuming = existingConfig.isPresent() && marker.map(m -> m.source().equals(sourcePath.toString())).orElse(false);
        if (existingConfig.isPresent() && !resuming) {
            throw new UserError("--into " + into + ": " + existingConfig.get() + " already exists; restore into a new or empty directory");
        }

        DeployedCluster cluster = deployment.primaryCluster();
        LoadedSpec sourceSpec = sourceGroup.load();
        String group;
        List<String> nodes;
        ConfigEditor newConfig = null;
        if (resuming) {
            LoadedSpec loaded = newGroup.load();
            group = loaded.spec().name();
            nodes = marker.get().nodes();
            if (name != null && !name.equals(group)) {
                throw new UserError("--name " + name + ": " + newPath + " holds an unfinished restore named " + group
                        + "; run again with --name " + group + " or without --name");
            }
        } else {
            group = name != null ? name : deployment.group() + "-restored";
            nodes = sourceSpec.spec().clusters().stream().filter(c -> c.name().equals(cluster.name())).findFirst()
                    .map(c -> c.nodes().stream().map(NodeSpec::name).toList())
                    .orElseGet(() -> cluster.nodes().stream().map(DeployedNode::name).toList());
            try {
                newConfig = newConfig(sourceSpec, cluster.name(), List.of(nodes.get(0)), group);
            } catch (IllegalArgumentException e) {
                throw new UserError((name != null ? "--name " + name : "the default name " + group + " (choose one with --name)")
                        + ": " + e.getMessage());
            }
        }
        String primaryNode = nodes.get(0);

        Platform platform = access.platform();
        GroupHealth health = access.health();
        DeployedNode reader = Backups.reader(deployment, health);
        Host host = platform.host(reader.address());
        String newKey = newGroup.deployment().map(Deployment::key).orElseGet(() -> newGroup.newKey(group));
        NodeLayout layout = NodeLayout.of(platform.baseDirectory(newKey), primaryNode);
        boolean staged = host.exists(layout.stagedDataDirectory()) || host.exists(layout.dataDirectory() + "/PG_VERSION");

        String configName = sourceSpec.file().getFileName().toString();
        String repositoryPath = deployment.backup().repository().describe();
        if (dryRun) {
            BackupRepository repository = BackupRepository.read(host, deployment, reader);
            BackupSet backup = checkTarget(target, repository, repositoryPath);
            List<String> steps = new ArrayList<>();
            if (!resuming) {
                steps.add("create " + newPath + ": " + configName + " for group " + group + " (cluster " + cluster.name() + " with "
                        + String.join(", ", nodes) + "), and a git history");
            }
            if (!staged) {
                steps.add("restore backup " + backup.label() + " from " + repositoryPath + " as " + primaryNode + "'s data, set to replay "
                        + "group " + deployment.group() + "'s archive up to " + target.describe());
            }
            steps.add("apply group " + group + ": new secrets and CA; " + primaryNode + " replays the archive, is promoted on a new "
                    + "timeline; the other nodes clone it");
            return new Result(sourcePath.toString(), deployment.group(), newPath.toString(), group, primaryNode, backup.label(),
                    target.describe(), true, steps, null, progress.seconds(), 0, List.of());
        }

        String again = "run `tpa restore " + source + " ... --into " + into + "` again";
        try {
            List<String> commits = new ArrayList<>();
            String backupLabel = marker.map(Marker::backup).orElse(null);
            if (!staged) {
                archiveRecentWal(deployment, cluster, health, platform, access, target, progress);
                BackupRepository repository = BackupRepository.read(host, deployment, reader);
                BackupSet backup = checkTarget(target, repository, repositoryPath);
                backupLabel = backup.label();
            }
            if (!resuming) {
                ConfigEditor config = newConfig;
                String label = backupLabel;
                String message = "tpa restore: group " + deployment.group() + " from " + sourcePath + " as of " + target.describe()
                        + " (backup " + label + ")";
                Steps.runInOrder(List.of(List.of(new Action(PHASE, group, "create " + newPath + " (" + configName + ", history)", false, () -> {
                    try (GroupLock ignored = newGroup.lock("restore")) {
                        if (ResumeMarker.configFile(newPath).isPresent()) {
                            throw new UserError("--into " + into + ": " + ResumeMarker.configFile(newPath).get() + " appeared meanwhile; restore into a new or "
                                    + "empty directory");
                        }
                        ResumeMarker.write(newPath, MARKER, new Marker(sourcePath.toString(), label, target.describe(), nodes,
                                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
                        config.saveAs(newPath.resolve(configName));
                        newGroup.ensureGitignore();
                        io.tpa.operation.secrets.Secrets.copyS3Keys(deployment, access.secrets(), newGroup);
                        if (new GroupHistory(newPath).commit(message)) {
                            commits.add(message);
                        }
                    }
                }))), progress);
            }
            if (!staged) {
                String label = backupLabel;
                Steps.runInOrder(List.of(List.of(new Action(PHASE, primaryNode, "restore backup " + label + " of group " + deployment.group()
                        + " to replay up to " + target.describe(), false,
                        () -> stage(deployment, access, host, layout, label, target)))), progress);
            }
            // The first apply bootstraps the primary alone from the staged data; the second puts the standard Patroni configuration
            // back. The restored roles keep the source's passwords until the primary runs and apply sets the new group's, so the
            // other nodes join only then: the config gets them back and a third apply clones them.
            for (int pass = 0; pass < 2; pass++) {
                ApplyResult result = Apply.apply(newPath, () -> { }, progress, new Apply.Options(PHASE, Apply.Confirmation.NO, false));
                if (result.commit() != null) {
                    commits.add(result.commit());
                }
                if (!result.changed()) {
                    break;
                }
            }
            PgBackRest.removeRestoreFiles(host, layout);
            if (nodes.size() > 1 && newGroup.load().spec().allNodes().size() < nodes.size()) {
                String message = "tpa restore: nodes " + String.join(", ", nodes.subList(1, nodes.size())) + " join the restored primary";
                ApplyResult result = Apply.apply(newPath, () -> {
                    newConfig(sourceGroup.load(), cluster.name(), nodes, group).saveAs(newGroup.load().file());
                    if (new GroupHistory(newPath).commit(message)) {
                        commits.add(message);
                    }
                }, progress, new Apply.Options(PHASE, Apply.Confirmation.NO, false));
                if (result.commit() != null) {
                    commits.add(result.commit());
                }
            }
            Long timeline = GroupAccess.open(newPath).health().member(primaryNode).map(MemberStatus::timeline).orElse(null);
            return new Result(sourcePath.toString(), deployment.group(), newPath.toString(), group, primaryNode, backupLabel, target.describe(),
                    false, List.of(), timeline, progress.seconds(), progress.finished(), commits);
        } catch (UserError e) {
            throw new UserError(e.exitCode(), e.getMessage().replace("run `tpa apply` again", again), e);
        }
    }

    /** The source's config reduced to these nodes of one cluster, under the new group's name. */
    private static ConfigEditor newConfig(LoadedSpec source, String cluster, List<String> nodes, String group) {
        return ConfigEditor.open(source.file()).keepOnly(cluster, nodes).renameGroup(group);
    }

    /**
     * The group a restore reads: applied, keeping backups, on the local platform (the repository is read on the restored
     * node's own server); a time target in the future is refused first.
     */
    static GroupAccess openSource(Path directory, RestoreTarget target) {
        return openSource(directory, target, false);
    }

    /** @param inPlace true for an in-place restore, which a group on a backup server (ssh platform) can do too */
    static GroupAccess openSource(Path directory, RestoreTarget target, boolean inPlace) {
        if (target.time() != null && target.time().isAfter(Instant.now())) {
            throw new UserError("--time " + target.time() + ": in the future; the latest time a restore can reach is now (or use --latest)");
        }
        GroupAccess access = GroupAccess.open(directory);
        Deployment deployment = Backup.requireBackups(directory, access.deployment());
        boolean server = deployment.backup().repository().onServer();
        if (!deployment.platform().equals("local") && !(inPlace && server)) {
            throw new UserError("tpa restore --into creates the new group's nodes on the local platform only (group " + deployment.group()
                    + " runs on " + deployment.platform() + "); restore it --in-place, or see docs/backup.md");
        }
        return access;
    }

    /** The backup to restore from; a one-line error when the target is outside what the repository can reach. */
    static BackupSet checkTarget(RestoreTarget target, BackupRepository repository, String path) {
        return target.chooseBackup(repository.backups(), path);
    }

    /**
     * While the source's primary runs, it commits a transaction and switches to a new WAL segment, and the restore waits until
     * that segment is archived: recovery to a time stops at the first commit after it, and to an LSN needs the WAL up to it,
     * so the archive must reach past the target. An LSN beyond what the primary has written is bad input.
     */
    static void archiveRecentWal(Deployment deployment, DeployedCluster cluster, GroupHealth health, Platform platform,
                                         GroupAccess access, RestoreTarget target, ApplyListener listener) {
        Optional<DeployedNode> leader = health.leader(cluster);
        if (leader.isEmpty()) {
            listener.note("cluster " + cluster.name() + " of group " + deployment.group() + " has no running primary: the restore reaches "
                    + "only what was archived", Duration.ZERO);
            return;
        }
        DeployedNode primary = leader.get();
        Host host = platform.host(primary.address());
        String password = access.secrets().get(Roles.SUPERUSER);
        String[] position = Postgres.query(host, deployment, primary, password,
                "SELECT txid_current(), pg_current_wal_lsn()").get(0).split("\\|");
        if (target.lsn() != null && RestoreTarget.compare(target.lsn(), position[1]) > 0) {
            throw new UserError("--lsn " + target.lsn() + ": after the newest WAL of group " + deployment.group() + " (" + position[1]
                    + "); choose a position up to it, or use --latest");
        }
        String segment = Postgres.query(host, deployment, primary, password, "SELECT pg_walfile_name(pg_switch_wal())").get(0);
        Wait.until("for " + primary.name() + " to archive WAL segment " + segment, ARCHIVED, () -> {
            String archived = Postgres.query(host, deployment, primary, password,
                    "SELECT coalesce(last_archived_wal, '') >= '" + segment + "' FROM pg_stat_archiver").get(0);
            return archived.equals("t") ? null : segment + " is not archived yet";
        });
    }

    /**
     * pgBackRest restores the backup into the new primary's staged data directory, keeping no recovery settings of its own;
     * beside it go the configuration that reads the source's repository (0600) and the recovery settings its first start uses.
     */
    static void stage(Deployment deployment, GroupAccess access, Host host, NodeLayout layout, String label, RestoreTarget target) {
        host.createDirectory(layout.directory().substring(0, layout.directory().lastIndexOf("/nodes/")), FileOwner.sharedDirectory(null));
        host.createDirectory(layout.directory(), FileOwner.sharedDirectory(host.serviceUser()));
        String config = PgBackRest.restoreConfigFile(layout);
        String stanza = PgBackRest.stanza(deployment);
        host.writeFile(config, PgBackRest.restoreConfig(deployment.backup(), access.secrets(), stanza, layout),
                FileOwner.privateTo(host.serviceUser()));
        String partial = layout.directory() + "/restoring-pgdata";
        host.check(Command.of("rm", "-rf", "--", partial));
        host.createDirectory(partial, FileOwner.directory(host.serviceUser()));
        PgBackRest.run(host, new Command(List.of(PgBackRest.BINARY, "--config=" + config, "--stanza=" + stanza, "--pg1-path=" + partial,
                "--set=" + label, "--type=preserve", "--log-level-console=warn", "restore"), host.serviceUser(), null, null,
                Duration.ofHours(24)));
        // What belonged to the source's running cluster: Patroni's cache of its configuration, replication slots.
        host.remove(partial + "/patroni.dynamic.json");
        host.check(Command.of("find", partial + "/pg_replslot", "-mindepth", "1", "-delete"));
        host.writeFile(PgBackRest.restoreSettingsFile(layout), Json.write(target.recoverySettings(PgBackRest.archiveGetCommand(config, stanza))),
                FileOwner.privateTo(host.serviceUser()));
        // Only a complete restore becomes the staged data: a killed one is restored again.
        host.check(Command.of("mv", "-T", "--", partial, layout.stagedDataDirectory()));
    }

}
