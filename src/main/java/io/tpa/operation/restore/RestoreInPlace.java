package io.tpa.operation.restore;

import io.tpa.component.BackupRepository;
import io.tpa.component.BackupRepository.BackupSet;
import io.tpa.component.EtcdKeys;
import io.tpa.component.NodeLayout;
import io.tpa.component.Patroni;
import io.tpa.component.PatroniApi.MemberStatus;
import io.tpa.component.PgBackRest;
import io.tpa.component.Postgres;
import io.tpa.error.UserError;
import io.tpa.host.Command;
import io.tpa.host.Host;
import io.tpa.host.Platform;
import io.tpa.host.ServiceManager;
import io.tpa.host.ServiceState;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Roles;
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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code tpa restore DIR --in-place}: the group's own data goes back to a point in time. Every node stops; each node's data
 * directory moves aside (kept until the next successful {@code tpa backup}); the cluster's state in etcd is cleared so
 * that Patroni bootstraps again; pgBackRest restores the backup that ended last before the target as the first node's
 * data, which replays the archive up to the target and is promoted on a new timeline; the other nodes clone it. What was
 * committed after the target is lost, which is why it needs {@code --yes} after a dry run has said so.
 */
public final class RestoreInPlace {
    static final Duration SHUTDOWN = Duration.ofSeconds(150);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private RestoreInPlace() {
    }

    /**
     * What an in-place restore did, or would do.
     *
     * @param lost what is lost: the WAL position the primary had written when the restore began, and the target
     * @param aside the directories the nodes' former data moved to
     */
    public record Result(String group, String backup, String target, String lost, boolean dryRun, List<String> aside, Long timeline,
                         double seconds) {
    }

    public static Result run(Path directory, RestoreTarget target, boolean yes, boolean dryRun, ApplyListener listener) {
        OperationProgress progress = new OperationProgress(listener, System.nanoTime());
        GroupAccess access = Restore.openSource(directory, target);
        Deployment deployment = access.deployment();
        if (deployment.clusters().size() > 1) {
            throw new UserError("group " + deployment.group() + " has standby clusters, which would keep the data an in-place restore drops; "
                    + "remove them first (`tpa cluster remove`), or restore into a new group with --into");
        }
        DeployedCluster cluster = deployment.clusters().get(0);
        Platform platform = access.platform();
        GroupHealth health = access.health();
        DeployedNode reader = Backups.reader(deployment, health);
        Host host = platform.host(reader.address());
        String repositoryPath = deployment.backup().repository().location();
        Optional<DeployedNode> primary = health.leader(cluster);
        String written = primary.map(p -> Postgres.query(platform.host(p.address()), deployment, p, access.secrets().get(Roles.SUPERUSER),
                "SELECT pg_current_wal_lsn()").get(0)).orElse("unknown (no running primary)");
        String lost = "every transaction committed after " + target.describe() + ", up to WAL position " + written + " written now";
        List<String> nodes = cluster.nodes().stream().map(DeployedNode::name).toList();
        String stamp = STAMP.format(Instant.now());
        List<String> aside = cluster.nodes().stream()
                .map(node -> NodeLayout.of(deployment.baseDirectory(), node.name()).directory() + "/" + NodeLayout.ASIDE_PREFIX + stamp).toList();

        if (dryRun || !yes) {
            BackupSet backup = Restore.checkTarget(target, BackupRepository.read(host, deployment, reader), repositoryPath);
            if (!dryRun) {
                throw new UserError("tpa restore --in-place takes group " + deployment.group() + " back to " + target.describe() + " from backup "
                        + backup.label() + ": " + lost + " is lost, every node stops meanwhile, and the current data of " + String.join(", ", nodes)
                        + " stays aside (" + NodeLayout.ASIDE_PREFIX + "<time> in each node's directory) until the next successful `tpa backup`; "
                        + "run again with --yes to go on");
            }
            return new Result(deployment.group(), backup.label(), target.describe(), lost, true, aside, null, progress.seconds());
        }

        Restore.archiveRecentWal(deployment, cluster, health, platform, access, target, progress);
        BackupSet backup = Restore.checkTarget(target, BackupRepository.read(host, deployment, reader), repositoryPath);
        DeployedNode first = cluster.nodes().get(0);
        NodeLayout layout = NodeLayout.of(deployment.baseDirectory(), first.name());
        ApplyResult result = Apply.apply(directory, () -> {
            // Under the group's lock: nothing else changes the group while its data goes back.
            List<List<Action>> steps = new ArrayList<>();
            steps.add(cluster.nodes().stream().map(node -> new Action(Restore.PHASE, node.name(), "stop Patroni and PostgreSQL", true,
                    () -> Patroni.stopAndWait(platform.serviceManager(platform.host(node.address()), deployment.key()),
                            platform.host(node.address()), deployment, node, SHUTDOWN))).toList());
            steps.add(List.of(new Action(Restore.PHASE, cluster.name(), "clear the cluster's state in etcd, so that Patroni bootstraps again",
                    true, () -> new EtcdKeys(deployment.etcdMembers(), access.http()).deletePrefix(Patroni.clusterPrefix(deployment, cluster)))));
            for (int index = 0; index < nodes.size(); index++) {
                DeployedNode node = cluster.nodes().get(index);
                String asideDirectory = aside.get(index);
                NodeLayout nodeLayout = NodeLayout.of(deployment.baseDirectory(), node.name());
                steps.add(List.of(new Action(Restore.PHASE, node.name(), "move its data directory aside to " + asideDirectory, true, () -> {
                    Host nodeHost = platform.host(node.address());
                    if (nodeHost.exists(nodeLayout.dataDirectory())) {
                        nodeHost.check(Command.of("mv", "-T", "--", nodeLayout.dataDirectory(), asideDirectory));
                    }
                })));
            }
            steps.add(List.of(new Action(Restore.PHASE, first.name(), "restore backup " + backup.label() + " to replay up to "
                    + target.describe(), false, () -> Restore.stage(deployment, access, host, layout, backup.label(), target))));
            Steps.runInOrder(steps, progress);
        }, progress, new Apply.Options(Restore.PHASE, Apply.Confirmation.YES, false));
        // A second apply puts the standard Patroni configuration back now that the data is in place.
        Apply.apply(directory, () -> { }, progress, new Apply.Options(Restore.PHASE, Apply.Confirmation.NO, false));
        PgBackRest.removeRestoreFiles(host, layout);
        new io.tpa.workspace.GroupHistory(directory).commitEvent("tpa restore --in-place: group " + deployment.group() + " back to "
                + target.describe() + " (backup " + backup.label() + "); the former data aside in " + String.join(", ", aside));
        GroupHealth after = GroupAccess.open(directory).health();
        Long timeline = after.leader(cluster).flatMap(leader -> after.member(leader.name())).map(MemberStatus::timeline).orElse(null);
        return new Result(deployment.group(), backup.label(), target.describe(), lost, false, aside, timeline, progress.seconds());
    }
}
