package io.tpa.operation.cost;

import io.tpa.model.ClusterSpec;
import io.tpa.model.DeployedCluster;
import io.tpa.model.Deployment;
import io.tpa.model.DesiredState;
import io.tpa.model.NodeSpec;
import io.tpa.model.SizeSpec;
import java.util.List;
import java.util.Optional;

/**
 * What is priced: the clusters of a group and the size and role of each node, either as the config would deploy
 * them (planned) or as the deployment record says they run (deployed).
 */
record Shape(List<ClusterShape> clusters) {

    /**
     * How a cluster keeps backups: how many full backups its repository holds. Built from the config's {@code backup:}
     * section once the config has one (its {@code retention.full}); a group without it keeps none.
     */
    record BackupPolicy(int fullBackupsKept) {
    }

    /**
     * A cluster; the first of a group is the primary cluster, the others are standby clusters.
     *
     * @param backups how it keeps backups; empty when it keeps none
     */
    record ClusterShape(String name, boolean primaryCluster, List<NodeShape> nodes, Optional<BackupPolicy> backups) {
    }

    /** A node, its resolved size, and whether it leads its cluster. */
    record NodeShape(String name, SizeSpec size, boolean primary) {
    }

    /**
     * What {@code tpa apply} would deploy: the config with its defaults. A cluster's primary is the one the last record
     * names when it is still in the config (a switchover sticks), else the first node, as apply chooses it.
     */
    static Shape planned(DesiredState desired) {
        List<ClusterSpec> clusters = desired.spec().clusters();
        return new Shape(java.util.stream.IntStream.range(0, clusters.size()).mapToObj(index -> {
            ClusterSpec cluster = clusters.get(index);
            String primary = recordedPrimary(desired.previous(), cluster)
                    .orElse(cluster.nodes().isEmpty() ? "" : cluster.nodes().get(0).name());
            List<NodeShape> nodes = cluster.nodes().stream()
                    .map((NodeSpec node) -> new NodeShape(node.name(), node.size(), node.name().equals(primary))).toList();
            return new ClusterShape(cluster.name(), index == 0, nodes, index == 0 ? backups(desired.spec().backup()) : Optional.empty());
        }).toList());
    }

    /**
     * The backups a group keeps ({@code backup:}): one repository for the group, of its primary cluster (standby clusters
     * replicate the same data and keep none of their own).
     */
    private static Optional<BackupPolicy> backups(io.tpa.model.BackupSpec backup) {
        return backup == null ? Optional.empty() : Optional.of(new BackupPolicy(backup.resolved().retention().full()));
    }

    private static Optional<String> recordedPrimary(Optional<Deployment> previous, ClusterSpec cluster) {
        if (previous.isEmpty()) {
            return Optional.empty();
        }
        Optional<DeployedCluster> deployed = previous.get().cluster(cluster.name());
        return deployed.map(DeployedCluster::primary)
                .filter(name -> cluster.nodes().stream().anyMatch(node -> node.name().equals(name)));
    }

    /** What runs now, as the last successful apply recorded it. */
    static Shape deployed(Deployment deployment) {
        return new Shape(deployment.clusters().stream().map(cluster -> new ClusterShape(cluster.name(), cluster.primaryCluster(),
                cluster.nodes().stream().map(node -> new NodeShape(node.name(), node.size(), node.name().equals(cluster.primary())))
                        .toList(), cluster.primaryCluster() ? backups(deployment.backup()) : Optional.<BackupPolicy>empty())).toList());
    }
}
