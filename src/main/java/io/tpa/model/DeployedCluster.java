package io.tpa.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A cluster as deployed.
 *
 * @param scope      Patroni's scope (the cluster's name in the DCS)
 * @param primary    the node that is, or is to be, the primary (the first node, until a switchover moves it)
 * @param parameters PostgreSQL parameters that must agree across the cluster (kept in Patroni's dynamic configuration)
 * @param fenced     true for a former primary cluster that was unreachable when a standby cluster was promoted in its
 *                   place: it must only come back as a standby cluster (the next apply rejoins it and clears this)
 */
public record DeployedCluster(
        String name,
        String location,
        @JsonProperty("primary_cluster") boolean primaryCluster,
        String scope,
        String primary,
        Map<String, String> parameters,
        List<DeployedNode> nodes,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean fenced) {

    public DeployedCluster {
        parameters = Map.copyOf(parameters);
        nodes = List.copyOf(nodes);
    }

    public DeployedCluster(String name, String location, boolean primaryCluster, String scope, String primary,
                           Map<String, String> parameters, List<DeployedNode> nodes) {
        this(name, location, primaryCluster, scope, primary, parameters, nodes, false);
    }

    public DeployedCluster withFenced(boolean value) {
        return new DeployedCluster(name, location, primaryCluster, scope, primary, parameters, nodes, value);
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
