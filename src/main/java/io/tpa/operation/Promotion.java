package io.tpa.operation;

import io.tpa.component.PatroniApi.MemberStatus;
import io.tpa.error.UserError;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Which replica may become primary now, and why another may not: shared by switchover and rolling restarts. */
public final class Promotion {
    /** How far behind a target may be: Patroni's maximum_lag_on_failover. */
    public static final long MAXIMUM_LAG_BYTES = 1024 * 1024;

    private Promotion() {
    }

    /** The replica a switchover without --to goes to: promotable, streaming, and the least behind. */
    public static DeployedNode healthiest(DeployedCluster cluster, DeployedNode leader, GroupHealth health) {
        List<String> reasons = new ArrayList<>();
        List<DeployedNode> candidates = new ArrayList<>();
        for (DeployedNode node : cluster.replicas(leader)) {
            String reason = whyNot(node, leader, health);
            if (reason == null) {
                candidates.add(node);
            } else {
                reasons.add(reason);
            }
        }
        return candidates.stream().min(Comparator.comparingLong(node -> lag(node, leader, health)))
                .orElseThrow(() -> new UserError(UserError.FAILED, "no replica of cluster " + cluster.name()
                        + " can take over: " + String.join("; ", reasons)));
    }

    public static DeployedNode checked(DeployedCluster cluster, DeployedNode leader, GroupHealth health, String targetName) {
        DeployedNode target = cluster.nodes().stream().filter(n -> n.name().equals(targetName)).findFirst()
                .orElseThrow(() -> new UserError("--to " + targetName + ": not a node of cluster " + cluster.name() + "; its nodes: "
                        + cluster.nodes().stream().map(DeployedNode::name).collect(Collectors.joining(", "))));
        if (target.equals(leader)) {
            throw new UserError("--to " + targetName + ": " + targetName + " is already the primary of cluster " + cluster.name());
        }
        String reason = whyNot(target, leader, health);
        if (reason != null) {
            throw new UserError(UserError.FAILED, "--to " + targetName + ": " + reason);
        }
        return target;
    }

    /** Null when the node can take over now, else why not. */
    public static String whyNot(DeployedNode node, DeployedNode leader, GroupHealth health) {
        if (!node.promotable()) {
            return node.name() + " is marked promotable: false in the config";
        }
        Optional<MemberStatus> member = health.member(node.name());
        if (member.isEmpty()) {
            return node.name() + " is down (its Patroni does not answer)";
        }
        if (!member.get().isRunning()) {
            return node.name() + " is " + member.get().state();
        }
        if (!health.member(leader.name()).map(m -> m.streamingReplicas().contains(node.name())).orElse(false)) {
            return node.name() + " is not streaming from " + leader.name();
        }
        long lag = lag(node, leader, health);
        if (lag > MAXIMUM_LAG_BYTES) {
            return node.name() + " is " + lag + " bytes behind " + leader.name() + ", more than the " + MAXIMUM_LAG_BYTES
                    + " a switchover allows; wait for it to catch up";
        }
        return null;
    }

    /**
     * Hands the primary role of a cluster from its leader to a replica through Patroni, and waits until the target
     * leads and every replica, the former primary too, streams from it.
     */
    public static void handOver(io.tpa.model.Deployment deployment, io.tpa.component.Http http, DeployedCluster cluster,
                                DeployedNode leader, DeployedNode target, java.time.Duration timeout) {
        new io.tpa.component.PatroniApi(leader, http).switchover(leader.name(), target.name());
        io.tpa.wait.Wait.until("for " + target.name() + " to lead " + cluster.name() + " and " + leader.name() + " to follow it", timeout,
                () -> {
                    GroupHealth now = GroupHealth.read(deployment, http);
                    return now.leader(cluster).map(target::equals).orElse(false) ? now.whyNotHealthy() : "not yet";
                });
    }

    private static long lag(DeployedNode node, DeployedNode leader, GroupHealth health) {
        Long primary = health.member(leader.name()).map(MemberStatus::walPosition).orElse(null);
        Long replica = health.member(node.name()).map(MemberStatus::walPosition).orElse(null);
        return primary == null || replica == null ? Long.MAX_VALUE : Math.max(0, primary - replica);
    }

}
