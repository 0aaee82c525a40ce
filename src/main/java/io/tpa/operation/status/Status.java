package io.tpa.operation.status;

import io.tpa.component.PatroniApi.MemberStatus;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.operation.GroupContext;
import io.tpa.operation.GroupHealth;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the state of every node of an applied group from its Patroni. */
public final class Status {
    private Status() {
    }

    public static GroupStatus of(Path directory) {
        Deployment deployment = GroupContext.applied(directory);
        GroupHealth health = GroupHealth.read(deployment);
        List<GroupStatus.ClusterStatus> clusters = new ArrayList<>();
        for (DeployedCluster cluster : deployment.clusters()) {
            Optional<DeployedNode> leader = health.leader(cluster);
            Long leaderPosition = leader.flatMap(l -> health.member(l.name())).map(MemberStatus::walPosition).orElse(null);
            List<GroupStatus.NodeStatus> nodes = new ArrayList<>();
            for (DeployedNode node : cluster.nodes()) {
                Optional<MemberStatus> member = health.member(node.name());
                String role = member.map(m -> m.isPrimary() ? "primary" : m.isStandbyLeader() ? "standby_leader" : "replica")
                        .orElse("replica");
                String state = member.map(MemberStatus::state).orElse("down");
                Long lag = null;
                if (member.isPresent() && role.equals("replica") && leaderPosition != null && member.get().walPosition() != null) {
                    lag = Math.max(0, leaderPosition - member.get().walPosition());
                }
                nodes.add(new GroupStatus.NodeStatus(node.name(), role, state, node.address(), Deployment.POSTGRES_PORT,
                        member.map(MemberStatus::timeline).filter(t -> t > 0).orElse(null), lag));
            }
            clusters.add(new GroupStatus.ClusterStatus(cluster.name(), cluster.location(), nodes));
        }
        return new GroupStatus(deployment.group(), clusters);
    }
}
