package io.tpa.operation.apply;

import io.tpa.component.Etcd;
import io.tpa.component.EtcdKeys;
import io.tpa.component.NodeLayout;
import io.tpa.component.Patroni;
import io.tpa.component.Postgres;
import io.tpa.error.UserError;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Roles;
import io.tpa.operation.GroupHealth;
import io.tpa.wait.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Nodes no longer in the config are gone: services stopped, data removed, replication slot
 * dropped by the primary. Removing a cluster's current primary is refused: switch over first.
 */
final class RemoveNodesPhase implements Phase {
    @Override
    public String title() {
        return "remove nodes";
    }

    /** The nodes of the previous deployment that the config no longer has. */
    static List<DeployedNode> removed(ApplyState state) {
        Deployment previous = state.context().previous().orElse(null);
        if (previous == null) {
            return List.of();
        }
        return previous.nodes().stream().filter(n -> state.context().deployment().node(n.name()).isEmpty()).toList();
    }

    @Override
    public List<Action> plan(ApplyState state) {
        List<DeployedNode> removed = removed(state);
        if (removed.isEmpty()) {
            return List.of();
        }
        Deployment previous = state.context().previous().orElseThrow();
        GroupHealth health = GroupHealth.read(previous, state.context().http());
        List<Action> actions = new ArrayList<>();
        for (DeployedNode node : removed) {
            DeployedCluster cluster = previous.clusterOf(node);
            boolean wholeCluster = state.context().deployment().cluster(cluster.name()).isEmpty(); // a standby cluster removed
            if (!wholeCluster && health.leader(cluster).map(node::equals).orElse(false)) {
                throw new UserError(UserError.FAILED, node.name() + " is the primary of cluster " + cluster.name()
                        + " and cannot be removed; switch over first (`tpa switchover " + state.context().directory().path()
                        + "`), then apply again");
            }
            actions.add(new Action(title(), node.name(), "stop " + node.name() + ", delete its data and free its address", true, () -> {
                for (String endpoint : List.of(io.tpa.component.Haproxy.serviceName(node), io.tpa.component.Pgbouncer.serviceName(node),
                        io.tpa.component.Exporters.postgresServiceName(node), io.tpa.component.Exporters.nodeServiceName(node),
                        io.tpa.component.PrometheusConfig.serverServiceName(node))) {
                    if (state.serviceState(node, endpoint) != null) {
                        state.services(node).remove(endpoint);
                    }
                }
                state.services(node).remove(Patroni.serviceName(node));
                state.services(node).remove(Etcd.serviceName(node));
                // Its member key would live out its TTL; without it the primary drops the slot on its next cycle.
                new EtcdKeys(state.context().deployment().etcdMembers(), state.context().http())
                        .delete(Patroni.namespace(previous) + cluster.scope() + "/members/" + node.name());
                io.tpa.host.Host host = state.context().host(node);
                host.remove(NodeLayout.of(previous.baseDirectory(), node.name()).directory());
                // A server that runs no node of the group any more (ssh platform) is left as the group found it.
                boolean hostInUse = state.context().deployment().nodes().stream()
                        .anyMatch(other -> state.context().host(other).name().equals(host.name()));
                if (!hostInUse) {
                    state.services(node).shutdown();
                    host.remove(previous.baseDirectory());
                    io.tpa.component.HostPreparation.removeFirewall(host, previous.key());
                }
                waitUntilSlotDropped(state, cluster, node);
            }));
        }
        return actions;
    }

    /** Patroni drops a departed member's slot on its next cycle; waits for it, so no WAL is kept for a node that is gone. */
    private static void waitUntilSlotDropped(ApplyState state, DeployedCluster cluster, DeployedNode node) {
        Optional<DeployedCluster> now = state.context().deployment().cluster(cluster.name());
        Optional<DeployedNode> leader = now.flatMap(c -> state.health().leader(c));
        if (leader.isEmpty()) {
            return;
        }
        String slot = node.name().replaceAll("[^a-z0-9_]", "_");
        String password = state.context().secrets().get(Roles.SUPERUSER);
        Wait.until("for " + leader.get().name() + " to drop the replication slot of " + node.name(), Duration.ofSeconds(60),
                () -> Postgres.query(state.context().host(leader.get()), state.context().deployment(), leader.get(), password,
                        "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "'").equals(List.of("0"))
                        ? null : "slot " + slot + " still exists");
    }
}
