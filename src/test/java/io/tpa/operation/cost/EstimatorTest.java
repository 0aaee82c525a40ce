package io.tpa.operation.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.model.Catalog;
import io.tpa.model.PriceCatalog;
import io.tpa.model.SizeSpec;
import io.tpa.operation.cost.Shape.BackupPolicy;
import io.tpa.operation.cost.Shape.ClusterShape;
import io.tpa.operation.cost.Shape.NodeShape;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lines of a node, on a shape built by hand: what the config's backup: section will feed in once it exists. */
class EstimatorTest {
    private final SizeSpec medium = Catalog.load().sizes().get("medium");
    private final Tariff aws = new CloudTariff(PriceCatalog.load().provider("aws"));

    @Test
    void aClusterThatKeepsBackupsPaysObjectStorageForThemOnItsPrimary() {
        Shape shape = new Shape(List.of(new ClusterShape("main", true,
                List.of(new NodeShape("pg1", medium, true), new NodeShape("pg2", medium, false)), Optional.of(new BackupPolicy(2)))));
        Estimate estimate = Estimator.estimate(shape, "tpa.yml", aws);

        NodeCost primary = estimate.clusters().get(0).nodes().get(0);
        // 2 full backups of 100 GB + a month of WAL (100 GB) = 300 GB at 0.023 per GB-month
        assertThat(primary.line("backups").amount()).isEqualTo(new BigDecimal("6.90"));
        assertThat(primary.line("backups").detail()).isEqualTo("2 full backups + a month of WAL: 300 GB x 0.023/GB-month");
        assertThat(estimate.clusters().get(0).nodes().get(1).line("backups").amount()).isEqualTo(new BigDecimal("0.00"));
        CostTest.assertTotalsAreSumsOfLines(estimate);
    }

    @Test
    void withoutBackupsTheLineIsThereAndZero() {
        Shape shape = new Shape(List.of(new ClusterShape("main", true, List.of(new NodeShape("pg1", medium, true)), Optional.empty())));
        NodeCost primary = Estimator.estimate(shape, "tpa.yml", aws).clusters().get(0).nodes().get(0);
        assertThat(primary.line("backups").amount()).isEqualTo(new BigDecimal("0.00"));
        assertThat(primary.line("backups").detail()).isEqualTo("no backup: section");
        assertThat(primary.line("monitoring").amount()).isEqualTo(new BigDecimal("0.00"));
    }
}
