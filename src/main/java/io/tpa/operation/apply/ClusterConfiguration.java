package io.tpa.operation.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tpa.component.ComponentException;
import io.tpa.component.EtcdKeys;
import io.tpa.component.Patroni;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cluster's dynamic configuration in the DCS, where Patroni keeps {@code standby_cluster} and the
 * permanent {@code slots}, read and changed in etcd directly (also while that cluster's Patroni is
 * down: a former primary cluster must learn it is a standby before it starts again).
 */
final class ClusterConfiguration {
    private ClusterConfiguration() {
    }

    /** The group's etcd: the members of this deployment first, then those of the previous one (membership may be moving). */
    static EtcdKeys etcd(ApplyState state) {
        List<DeployedNode> members = new ArrayList<>(state.context().deployment().etcdMembers());
        state.context().previous().ifPresent(previous -> previous.etcdMembers().stream()
                .filter(member -> members.stream().noneMatch(m -> m.name().equals(member.name()))).forEach(members::add));
        return new EtcdKeys(members, state.context().http());
    }

    static String key(Deployment deployment, DeployedCluster cluster) {
        return Patroni.clusterPrefix(deployment, cluster) + "config";
    }

    /** The configuration, or empty before the cluster bootstrapped (its nodes' bootstrap section then carries it). */
    static Optional<ObjectNode> read(ApplyState state, DeployedCluster cluster) {
        return etcd(state).get(key(state.context().deployment(), cluster)).map(text -> {
            try {
                return (ObjectNode) Json.JSON.readTree(text);
            } catch (IOException | ClassCastException e) {
                throw new ComponentException("the dynamic configuration of cluster " + cluster.name() + " in etcd is not a JSON object");
            }
        });
    }

    /**
     * Merges a patch (null removes a key) into the configuration in etcd; Patroni acts on it within one HA cycle.
     * Read and written in etcd itself, whether the cluster's Patroni runs or not: Patroni's GET /config answers
     * from its cached view of the DCS, so a read-merge-PUT through it right after another change can write back
     * a stale configuration. Callers hold the group lock; Patroni itself writes this key only at bootstrap.
     */
    static void patch(ApplyState state, DeployedCluster cluster, JsonNode patch) {
        ObjectNode current = read(state, cluster).orElseThrow(() -> new ComponentException("cluster " + cluster.name()
                + " has no dynamic configuration in etcd yet"));
        merge(current, patch);
        etcd(state).put(key(state.context().deployment(), cluster), Json.JSON_LINE.apply(current).strip());
    }

    /** JSON merge patch (RFC 7386), as Patroni's own PATCH /config does it: objects merge, null removes, anything else replaces. */
    static void merge(ObjectNode target, JsonNode patch) {
        patch.fields().forEachRemaining(entry -> {
            JsonNode value = entry.getValue();
            if (value.isNull()) {
                target.remove(entry.getKey());
            } else if (value.isObject() && target.path(entry.getKey()).isObject()) {
                merge((ObjectNode) target.get(entry.getKey()), value);
            } else {
                target.set(entry.getKey(), value.deepCopy());
            }
        });
    }

    /** True when the configuration makes the cluster a standby cluster (Patroni's own test: a host, port or restore command). */
    static boolean isStandby(JsonNode configuration) {
        JsonNode standby = configuration.path("standby_cluster");
        return standby.isObject() && (!standby.path("host").asText("").isEmpty() || !standby.path("port").asText("").isEmpty()
                || !standby.path("restore_command").asText("").isEmpty());
    }

    static Optional<DeployedCluster> primaryCluster(Deployment deployment) {
        return deployment.clusters().stream().filter(DeployedCluster::primaryCluster).findFirst();
    }
}
