package io.tpa.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A cluster as deployed.
 *
 * @param scope      Patroni's scope (the cluster's name in the DCS)
 * @param primary    the node that is, or is to be, the primary (the first node, until a switchover moves it)
 * @param parameters PostgreSQL parameters that must agree across the cluster (kept in Patroni's dynamic configuration)
 */
public record DeployedCluster(
        String name,
        String location,
        @JsonProperty("primary_cluster") boolean primaryCluster,
        String scope,
        String primary,
        Map<String, String> parameters,
        List<DeployedNode> nodes) {

    public DeployedCluster {
        parameters = Map.copyOf(parameters);
        nodes = List.copyOf(nodes);
    }

    @JsonIgnore
    public DeployedNode primaryNode() {
        return nodes.stream().filter(n -> n.name().equals(primary)).findFirst().orElse(nodes.get(0));
    }

    /** Every node but the given primary. */
    public List<DeployedNode> replicas(DeployedNode currentPrimary) {
        return nodes.stream().filter(n -> !n.equals(currentPrimary)).toList();
    }

    @JsonIgnore
    public List<DeployedNode> replicas() {
        return nodes.stream().filter(n -> !n.name().equals(primaryNode().name())).toList();
    }
}
