package io.tpa.operation;

import io.tpa.component.ComponentException;
import io.tpa.component.Http;
import io.tpa.component.PatroniApi;
import io.tpa.component.PatroniApi.MemberStatus;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The health of a running group, read from every node's Patroni at once. */
public final class GroupHealth {
    private final Deployment deployment;
    private final Map<String, Optional<MemberStatus>> members;

    private GroupHealth(Deployment deployment, Map<String, Optional<MemberStatus>> members) {
        this.deployment = deployment;
        this.members = members;
    }

    public static GroupHealth read(Deployment deployment, Http http) {
        Map<String, CompletableFuture<Optional<MemberStatus>>> pending = new LinkedHashMap<>();
        for (DeployedNode node : deployment.nodes()) {
            pending.put(node.name(), CompletableFuture.supplyAsync(() -> {
                try {
                    return Optional.of(new PatroniApi(node, http).status());
                } catch (ComponentException e) {
                    return Optional.empty();
                }
            }));
        }
        Map<String, Optional<MemberStatus>> members = new LinkedHashMap<>();
        pending.forEach((name, future) -> members.put(name, future.join()));
        return new GroupHealth(deployment, members);
    }

    public Optional<MemberStatus> member(String node) {
        return members.getOrDefault(node, Optional.empty());
    }

    /** The node that runs as the cluster's primary (or standby leader), if one does. */
    public Optional<DeployedNode> leader(DeployedCluster cluster) {
        return cluster.nodes().stream()
                .filter(n -> member(n.name()).map(m -> m.isRunning() && (m.isPrimary() || m.isStandbyLeader())).orElse(false))
                .findFirst();
    }

    /**
     * The primary cluster's leader is a writable primary; a standby cluster's is a standby leader that streams
     * from the primary cluster's leader. Null when so, else what is wrong.
     */
    private String whyWrongRole(DeployedCluster cluster, DeployedNode leader) {
        MemberStatus status = member(leader.name()).orElseThrow();
        if (cluster.primaryCluster()) {
            return status.isPrimary() ? null : "cluster " + cluster.name() + " is the primary cluster but " + leader.name()
                    + " leads it as a standby leader (not promoted yet)";
        }
        if (!status.isStandbyLeader()) {
            return "cluster " + cluster.name() + " is a standby cluster but " + leader.name() + " leads it as a writable primary";
        }
        Optional<DeployedNode> primary = deployment.clusters().stream().filter(DeployedCluster::primaryCluster).findFirst()
                .flatMap(this::leader);
        if (primary.isPresent() && !member(primary.get().name()).orElseThrow().streamingReplicas().contains(leader.name())) {
            return "standby leader " + leader.name() + " of cluster " + cluster.name() + " is not streaming from "
                    + primary.get().name() + " yet";
        }
        return null;
    }

    /** Null when every cluster has one running primary and every replica streams from it; else the first thing wrong. */
    public String whyNotHealthy() {
        for (DeployedCluster cluster : deployment.clusters()) {
            Optional<DeployedNode> leader = leader(cluster);
            if (leader.isEmpty()) {
                return "cluster " + cluster.name() + " has no running primary yet";
            }
            String wrongRole = whyWrongRole(cluster, leader.get());
            if (wrongRole != null) {
                return wrongRole;
            }
            List<String> streaming = member(leader.get().name()).orElseThrow().streamingReplicas();
            for (DeployedNode node : cluster.nodes()) {
                if (node.equals(leader.get())) {
                    continue;
                }
                Optional<MemberStatus> member = member(node.name());
                if (member.isEmpty()) {
                    return node.name() + "'s Patroni does not answer";
                }
                if (!member.get().isRunning()) {
                    return node.name() + " is " + member.get().state();
                }
                if (!streaming.contains(node.name())) {
                    return node.name() + " is not streaming from " + leader.get().name() + " yet";
                }
            }
        }
        return null;
    }
}
