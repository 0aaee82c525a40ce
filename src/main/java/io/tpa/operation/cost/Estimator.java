package io.tpa.operation.cost;

import io.tpa.model.SizeSpec;
import io.tpa.operation.cost.Shape.ClusterShape;
import io.tpa.operation.cost.Shape.NodeShape;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Prices a shape with a tariff. Each node has five lines:
 * <ul>
 *   <li>compute: the cheapest instance type that fits the node's size, 730 hours a month;</li>
 *   <li>storage: block storage for the node's {@code disk_gb};</li>
 *   <li>backups: object storage for the cluster's backups, on its primary: its full backups and a month of WAL
 *       (0 while the group has no {@code backup:});</li>
 *   <li>monitoring: 0, as tpa deploys no monitoring server;</li>
 *   <li>transfer: replication traffic across zones, received by every replica and by a standby cluster's leader.
 *       Assumption: a node receives {@value #WAL_REWRITES_PER_MONTH} times its {@code disk_gb} of WAL a month, as if
 *       the whole database were rewritten once a month.</li>
 * </ul>
 */
final class Estimator {
    /** How many times a month the WAL a replica receives covers its disk (see docs/pricing.md). */
    static final int WAL_REWRITES_PER_MONTH = 1;

    private Estimator() {
    }

    static Estimate estimate(Shape shape, String basis, Tariff tariff) {
        List<ClusterCost> clusters = new ArrayList<>();
        for (ClusterShape cluster : shape.clusters()) {
            List<NodeCost> nodes = new ArrayList<>();
            for (NodeShape node : cluster.nodes()) {
                nodes.add(node(cluster, node, tariff));
            }
            clusters.add(new ClusterCost(cluster.name(), nodes));
        }
        return new Estimate(tariff.cloud(), basis, tariff.region(), tariff.currency(), tariff.pricesDate(), tariff.pricesFile(), clusters);
    }

    private static NodeCost node(ClusterShape cluster, NodeShape node, Tariff tariff) {
        SizeSpec size = node.size();
        Tariff.Compute compute = tariff.compute(size);
        BigDecimal disk = BigDecimal.valueOf(size.diskGb());
        List<CostLine> lines = new ArrayList<>();
        lines.add(new CostLine("compute", compute.detail(), Amounts.line(compute.monthly())));
        lines.add(new CostLine("storage", size.diskGb() + " GB x " + Amounts.plain(tariff.blockStoragePerGbMonth()) + "/GB-month",
                Amounts.line(disk.multiply(tariff.blockStoragePerGbMonth()))));
        lines.add(backups(cluster, node, tariff));
        lines.add(new CostLine("monitoring", "no monitoring server in the group", Amounts.line(BigDecimal.ZERO)));
        lines.add(transfer(cluster, node, tariff));
        String role = node.primary() ? (cluster.primaryCluster() ? "primary" : "standby leader") : "replica";
        return new NodeCost(node.name(), size.describe(), compute.instance(), role, lines);
    }

    /**
     * The cluster's backup repository, charged on its primary as object storage: its full backups (each the size of the
     * primary's disk) and a month of archived WAL ({@value #WAL_REWRITES_PER_MONTH} times the disk). A cluster that
     * keeps no backups has a line of 0.
     */
    private static CostLine backups(ClusterShape cluster, NodeShape node, Tariff tariff) {
        if (!node.primary()) {
            return new CostLine("backups", "kept by the primary", Amounts.line(BigDecimal.ZERO));
        }
        if (cluster.backups().isEmpty()) {
            return new CostLine("backups", "no backup: section", Amounts.line(BigDecimal.ZERO));
        }
        long disk = node.size().diskGb();
        long gigabytes = (cluster.backups().get().fullBackupsKept() + WAL_REWRITES_PER_MONTH) * disk;
        return new CostLine("backups", cluster.backups().get().fullBackupsKept() + " full backups + a month of WAL: " + gigabytes
                + " GB x " + Amounts.plain(tariff.objectStoragePerGbMonth()) + "/GB-month",
                Amounts.line(BigDecimal.valueOf(gigabytes).multiply(tariff.objectStoragePerGbMonth())));
    }

    private static CostLine transfer(ClusterShape cluster, NodeShape node, Tariff tariff) {
        boolean receives = !(node.primary() && cluster.primaryCluster());
        if (!receives) {
            return new CostLine("transfer", "primary: sends WAL, receives none", Amounts.line(BigDecimal.ZERO));
        }
        BigDecimal gigabytes = BigDecimal.valueOf((long) node.size().diskGb() * WAL_REWRITES_PER_MONTH);
        return new CostLine("transfer", gigabytes + " GB of WAL x " + Amounts.plain(tariff.transferPerGb()) + "/GB across zones",
                Amounts.line(gigabytes.multiply(tariff.transferPerGb())));
    }
}
