package io.tpa.operation.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tpa.component.ComponentException;
import io.tpa.component.EtcdKeys;
import io.tpa.component.Patroni;
import io.tpa.component.Postgres;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Json;
import io.tpa.model.Roles;
import io.tpa.wait.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The DCS says what the config says about standby clusters: every standby cluster replicates from
 * the primary cluster ({@code standby_cluster}), the primary cluster keeps one permanent slot per
 * standby cluster and no other {@code standby_} slot, and a removed cluster has no keys left. A
 * cluster that the config no longer lists first is demoted here, before anything is promoted.
 * Clusters that have not bootstrapped yet get all this from their nodes' bootstrap section.
 */
final class StandbyClustersPhase implements Phase {
    static final Duration DEMOTE = Duration.ofSeconds(60);
    static final Duration SLOT_DROPPED = Duration.ofSeconds(60);

    @Override
    public String title() {
        return "standby clusters";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        Optional<Deployment> previous = state.context().previous();
        if (previous.isEmpty()) {
            return List.of();
        }
        Deployment deployment = state.context().deployment();
        if (onlyCluster(previous.get(), deployment)) {
            return List.of(); // nothing about standby clusters to converge
        }
        try {
            return plan(state, previous.get(), deployment);
        } catch (ComponentException e) {
            if (state.dryRun()) {
                return List.of(); // etcd is down (apply would start it first): nothing can be said yet
            }
            throw e;
        }
    }

    private static boolean onlyCluster(Deployment previous, Deployment deployment) {
        return previous.clusters().size() == 1 && deployment.clusters().size() == 1
                && previous.clusters().get(0).name().equals(deployment.clusters().get(0).name());
    }

    private List<Action> plan(ApplyState state, Deployment previousDeployment, Deployment deployment) {
        Optional<Deployment> previous = Optional.of(previousDeployment);
        EtcdKeys etcd = ClusterConfiguration.etcd(state);
        List<Action> actions = new ArrayList<>();
        for (DeployedCluster removed : previous.get().clusters()) {
            if (deployment.cluster(removed.name()).isPresent()) {
                continue;
            }
            String prefix = Patroni.clusterPrefix(previous.get(), removed);
            if (!etcd.keys(prefix).isEmpty()) {
                actions.add(new Action(title(), removed.name(), "delete its keys from etcd (" + prefix + ")", true,
                        () -> etcd.deletePrefix(prefix)));
            }
        }
        for (DeployedCluster cluster : deployment.clusters()) {
            Optional<ObjectNode> current = ClusterConfiguration.read(state, cluster);
            if (current.isEmpty()) {
                continue;
            }
            ObjectNode patch = Json.JSON.createObjectNode();
            List<String> dropped = slotChanges(deployment, cluster, current.get(), patch);
            List<String> says = new ArrayList<>();
            boolean demote = false;
            if (!cluster.primaryCluster()) {
                JsonNode wanted = Json.JSON.valueToTree(Patroni.standbyCluster(deployment, cluster));
                if (!current.get().path("standby_cluster").equals(wanted)) {
                    patch.set("standby_cluster", wanted);
                    demote = !ClusterConfiguration.isStandby(current.get());
                    boolean fenced = previous.get().cluster(cluster.name()).map(DeployedCluster::fenced).orElse(false);
                    String primary = ClusterConfiguration.primaryCluster(deployment).map(DeployedCluster::name).orElse("?");
                    says.add(fenced ? "rejoin as a standby cluster of " + primary + " (fenced when " + primary + " was promoted)"
                            : demote ? "demote: make it a standby cluster of " + primary
                            : "replicate from " + wanted.path("host").asText() + " through slot " + wanted.path("primary_slot_name").asText());
                }
            }
            if (patch.has("slots")) {
                List<String> kept = new ArrayList<>();
                patch.get("slots").fields().forEachRemaining(e -> {
                    if (!e.getValue().isNull()) {
                        kept.add(e.getKey());
                    }
                });
                if (!kept.isEmpty()) {
                    says.add("keep slot" + (kept.size() == 1 ? " " : "s ") + String.join(", ", kept) + " for the standby clusters");
                }
                if (!dropped.isEmpty()) {
                    says.add("drop slot" + (dropped.size() == 1 ? " " : "s ") + String.join(", ", dropped));
                }
            }
            if (patch.isEmpty()) {
                continue;
            }
            boolean demoting = demote;
            actions.add(new Action(title(), cluster.name(), String.join("; ", says), demote || !dropped.isEmpty(), () -> {
                ClusterConfiguration.patch(state, cluster, patch);
                if (demoting) {
                    waitUntilDemoted(state, cluster);
                }
                if (!dropped.isEmpty() && cluster.primaryCluster()) {
                    waitUntilSlotsDropped(state, cluster, dropped);
                }
            }));
        }
        return actions;
    }

    /** Puts into the patch the permanent slots to add and remove (only tpa's own: named standby_...); returns the removed ones. */
    static List<String> slotChanges(Deployment deployment, DeployedCluster cluster, JsonNode current, ObjectNode patch) {
        Map<String, Object> wanted = Patroni.standbySlots(deployment, cluster);
        TreeSet<String> present = new TreeSet<>();
        Iterator<String> names = current.path("slots").fieldNames();
        names.forEachRemaining(present::add);
        List<String> dropped = new ArrayList<>();
        for (String name : present) {
            if (name.startsWith("standby_") && !wanted.containsKey(name)) {
                patch.with("slots").putNull(name);
                dropped.add(name);
            }
        }
        wanted.forEach((name, value) -> {
            if (!present.contains(name)) {
                patch.with("slots").set(name, Json.JSON.valueToTree(value));
            }
        });
        return dropped;
    }

    /** A demoted cluster is one with no writable primary: its leader restarts as a standby leader. */
    private static void waitUntilDemoted(ApplyState state, DeployedCluster cluster) {
        Wait.until("for cluster " + cluster.name() + " to stop taking writes (demoted to a standby cluster)", DEMOTE, () -> state.health()
                .leader(cluster).filter(leader -> state.health().member(leader.name()).map(m -> m.isPrimary()).orElse(false))
                .map(leader -> leader.name() + " is still a writable primary").orElse(null));
    }

    /** Patroni drops a permanent slot it no longer has in its configuration once no one streams from it. */
    private static void waitUntilSlotsDropped(ApplyState state, DeployedCluster cluster, List<String> slots) {
        String password = state.context().secrets().get(Roles.SUPERUSER);
        String list = String.join("','", slots);
        Wait.until("for the primary of cluster " + cluster.name() + " to drop slot" + (slots.size() == 1 ? " " : "s ")
                + String.join(", ", slots), SLOT_DROPPED, () -> {
            Optional<DeployedNode> leader = state.health().leader(cluster);
            if (leader.isEmpty()) {
                return "cluster " + cluster.name() + " has no running primary";
            }
            List<String> left = Postgres.query(state.context().host(leader.get()), state.context().deployment(), leader.get(), password,
                    "SELECT slot_name FROM pg_replication_slots WHERE slot_name IN ('" + list + "')");
            return left.isEmpty() ? null : "slot " + String.join(", ", left) + " still exists on " + leader.get().name();
        });
    }
}
