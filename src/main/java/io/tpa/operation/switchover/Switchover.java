package io.tpa.operation.switchover;

import io.tpa.component.PatroniApi;
import io.tpa.component.PatroniApi.MemberStatus;
import io.tpa.error.UserError;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.operation.GroupContext;
import io.tpa.operation.GroupHealth;
import io.tpa.operation.Promotion;
import io.tpa.operation.apply.Action;
import io.tpa.operation.apply.Apply;
import io.tpa.operation.apply.ApplyListener;
import io.tpa.operation.apply.Steps;
import io.tpa.wait.Wait;
import io.tpa.workspace.GroupDirectory;
import io.tpa.workspace.GroupLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Moves a cluster's primary role to a replica through Patroni: the primary stops taking writes,
 * the target catches up and is promoted, the former primary follows it. No committed transaction
 * is lost; the new primary is recorded so later applies keep it.
 */
public final class Switchover {
    static final Duration SETTLE = Duration.ofSeconds(90);

    private Switchover() {
    }

    /** What a switchover did, or would do. */
    public record Result(String group, String cluster, String from, String to, boolean dryRun, double seconds, String commit) {
    }

    public static Result run(Path directory, String clusterName, String targetName, boolean dryRun, ApplyListener listener) {
        long start = System.nanoTime();
        GroupDirectory group = new GroupDirectory(directory);
        try (GroupLock ignored = dryRun ? null : group.lock("switchover")) {
            GroupContext context = GroupContext.open(directory, false);
            DeployedCluster cluster = clusterName == null ? context.deployment().clusters().get(0)
                    : context.deployment().cluster(clusterName).orElseThrow(() -> new UserError("--cluster " + clusterName
                    + ": no such cluster in group " + context.deployment().group() + "; clusters: "
                    + context.deployment().clusters().stream().map(DeployedCluster::name).collect(Collectors.joining(", "))));
            GroupHealth health = GroupHealth.read(context.deployment(), context.http());
            DeployedNode leader = health.leader(cluster).orElseThrow(() -> new UserError(UserError.FAILED, "cluster " + cluster.name()
                    + " has no running primary to switch over from; see `tpa status` (Patroni fails over by itself when a primary is lost)"));
            DeployedNode target = targetName == null ? Promotion.healthiest(cluster, leader, health) : Promotion.checked(cluster, leader, health, targetName);
            if (dryRun) {
                return new Result(context.deployment().group(), cluster.name(), leader.name(), target.name(), true, seconds(start), null);
            }
            PatroniApi api = new PatroniApi(leader, context.http());
            List<List<Action>> steps = List.of(
                    List.of(new Action("switchover", leader.name() + "->" + target.name(),
                            "hand the primary role to " + target.name() + " (Patroni)", false, () -> api.switchover(leader.name(), target.name()))),
                    List.of(new Action("switchover", cluster.name(), "wait until " + target.name() + " leads and every replica streams from it",
                            false, () -> Wait.until("for " + target.name() + " to lead cluster " + cluster.name(), SETTLE, () -> {
                                GroupHealth now = GroupHealth.read(context.deployment(), context.http());
                                Optional<DeployedNode> current = now.leader(cluster);
                                if (current.isEmpty() || !current.get().equals(target)) {
                                    return "leader is " + current.map(DeployedNode::name).orElse("none");
                                }
                                return now.whyNotHealthy();
                            }))));
            Steps.runInOrder(steps, listener);
            String commit = Apply.record(directory, "tpa switchover: cluster " + cluster.name() + " from " + leader.name() + " to " + target.name());
            return new Result(context.deployment().group(), cluster.name(), leader.name(), target.name(), false, seconds(start), commit);
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
