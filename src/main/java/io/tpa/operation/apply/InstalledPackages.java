package io.tpa.operation.apply;

import io.tpa.host.Host;
import io.tpa.host.Packages;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.operation.GroupContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The deployment record names the version of every catalog package each node's server has installed. */
final class InstalledPackages {
    private InstalledPackages() {
    }

    /** The deployment with each node's installed package versions, read on its server (one dpkg-query per server). */
    static Deployment recorded(GroupContext context, Deployment deployment) {
        Map<String, DeployedNode> byHost = new LinkedHashMap<>();
        deployment.nodes().forEach(node -> byHost.putIfAbsent(context.host(node).name(), node));
        List<Map.Entry<String, Map<String, String>>> read = ApplyState.each(List.copyOf(byHost.values()), node -> {
            Host host = context.host(node);
            List<String> packages = context.catalog().packages(node.release(), deployment.postgresVersion(), deployment.extensions());
            return Map.entry(host.name(), Packages.installed(host, packages));
        });
        Map<String, Map<String, String>> versions = new LinkedHashMap<>();
        read.forEach(entry -> versions.put(entry.getKey(), entry.getValue()));
        List<DeployedCluster> clusters = deployment.clusters().stream().map(cluster -> new DeployedCluster(cluster.name(),
                cluster.location(), cluster.primaryCluster(), cluster.scope(), cluster.primary(), cluster.parameters(),
                cluster.nodes().stream().map(node -> node.withPackages(versions.get(context.host(node).name()))).toList(),
                cluster.fenced())).toList();
        return deployment.withClusters(clusters);
    }
}
