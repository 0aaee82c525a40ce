package io.tpa.operation;

import io.tpa.component.PostgresTuning;
import io.tpa.error.UserError;
import io.tpa.host.Platform;
import io.tpa.model.Catalog;
import io.tpa.model.ClusterSpec;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.GroupSpec;
import io.tpa.model.NodeSpec;
import io.tpa.model.SizeSpec;
import io.tpa.workspace.GroupDirectory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns a config (defaults filled in) into a deployment: addresses, etcd members, parameters, primaries. */
public final class Resolver {
    /** How many etcd members a group of three nodes or more runs. */
    public static final int ETCD_MEMBERS = 3;

    private Resolver() {
    }

    public static Deployment resolve(GroupDirectory directory, GroupSpec spec, Catalog catalog, Platform platform,
                                     Optional<Deployment> previous, Map<String, String> livePrimaries, boolean reserve) {
        if (spec.clusters().size() > 1) {
            throw new UserError(directory.path() + "/" + "tpa.yml: clusters[1] ('" + spec.clusters().get(1).name()
                    + "'): standby clusters are not deployed by this version of tpa yet; keep one cluster for now");
        }
        String key = previous.map(Deployment::key).orElseGet(() -> directory.newKey(spec.name()));
        Map<String, String> current = new HashMap<>();
        previous.ifPresent(p -> p.nodes().forEach(n -> current.put(n.name(), n.address())));
        List<String> nodeNames = spec.allNodes().stream().map(NodeSpec::name).toList();
        Map<String, String> addresses = platform.assignAddresses(key, nodeNames, current, reserve);

        List<String> etcdMembers = etcdMembers(spec.primaryCluster());
        int maxConnections = PostgresTuning.DEFAULT_MAX_CONNECTIONS;
        List<String> preload = spec.postgres().extensions().stream().filter(catalog::preloaded).toList();
        Map<String, Object> overrides = spec.postgres().parameters();

        List<DeployedCluster> clusters = new ArrayList<>();
        for (ClusterSpec cluster : spec.clusters()) {
            List<SizeSpec> sizes = cluster.nodes().stream().map(NodeSpec::size).toList();
            Map<String, String> clusterParameters = PostgresTuning.clusterParameters(sizes, spec.allNodes().size(), overrides);
            int connections = Integer.parseInt(clusterParameters.getOrDefault("max_connections", Integer.toString(maxConnections)));
            List<DeployedNode> nodes = cluster.nodes().stream().map(node -> new DeployedNode(
                    node.name(), cluster.name(), addresses.get(node.name()), node.size(),
                    etcdMembers.contains(node.name()),
                    PostgresTuning.nodeParameters(node.size(), connections, preload, overrides), node.canBePromoted())).toList();
            // The node that leads now, else the one recorded last, else the first: a failover or switchover sticks.
            String primary = Optional.ofNullable(livePrimaries.get(cluster.name()))
                    .or(() -> previous.flatMap(p -> p.cluster(cluster.name())).map(DeployedCluster::primary))
                    .filter(name -> cluster.nodes().stream().anyMatch(n -> n.name().equals(name)))
                    .orElse(cluster.nodes().get(0).name());
            clusters.add(new DeployedCluster(cluster.name(), cluster.location(), clusters.isEmpty(), cluster.name(),
                    primary, clusterParameters, nodes));
        }
        return new Deployment(Deployment.FORMAT_VERSION, spec.name(), key, platform.name(),
                platform.baseDirectory(key), spec.postgres().version(), spec.postgres().extensions(), clusters, spec.access());
    }

    /** The rule: the first three nodes of the primary cluster; the first node alone when it has fewer than three. */
    static List<String> etcdMembers(ClusterSpec primaryCluster) {
        List<NodeSpec> nodes = primaryCluster.nodes();
        int count = nodes.size() >= ETCD_MEMBERS ? ETCD_MEMBERS : 1;
        return nodes.subList(0, count).stream().map(NodeSpec::name).toList();
    }
}
