package io.tpa.operation.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.error.UserError;
import io.tpa.model.Catalog;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.SizeSpec;
import io.tpa.workspace.GroupDirectory;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cost of a group from its files alone: config, catalog and deployment record. Nothing runs. */
class CostTest {
    @TempDir
    Path dir;

    private final Catalog catalog = Catalog.load();

    @Test
    void aGroupNotDeployedYetIsPricedFromItsConfigByClusterNodeAndComponent() throws IOException {
        config("small", 3);
        CostReport report = Cost.run(dir, "aws", false);

        Estimate aws = report.estimates().get(0);
        assertThat(aws.basis()).isEqualTo("tpa.yml");
        assertThat(aws.pricesRead()).isEqualTo("2026-12-07");
        NodeCost pg1 = aws.clusters().get(0).nodes().get(0);
        assertThat(pg1.instance()).isEqualTo("t3.small");
        assertThat(pg1.role()).isEqualTo("primary");
        assertThat(pg1.lines()).extracting(CostLine::component).containsExactlyElementsOf(CostLine.COMPONENTS);
        // 0.0208 x 730 = 15.184; 20 GB x 0.08 = 1.60; a primary receives no WAL
        assertThat(pg1.line("compute").amount()).isEqualTo(new BigDecimal("15.18"));
        assertThat(pg1.line("storage").amount()).isEqualTo(new BigDecimal("1.60"));
        assertThat(pg1.line("transfer").amount()).isEqualTo(new BigDecimal("0.00"));
        // a replica receives its 20 GB of WAL a month across zones at 0.02 per GB
        assertThat(aws.clusters().get(0).nodes().get(1).line("transfer").amount()).isEqualTo(new BigDecimal("0.40"));
        assertThat(aws.total()).isEqualTo(new BigDecimal("51.14"));
        assertTotalsAreSumsOfLines(aws);
        assertThat(report.notes()).anyMatch(note -> note.startsWith("not deployed yet"));
    }

    @Test
    void aGroupThatKeepsBackupsPaysForItsRepositoryOnThePrimaryCluster() throws IOException {
        config("small", 2);
        Files.writeString(dir.resolve("tpa.yml"), Files.readString(dir.resolve("tpa.yml")) + "backup:\n  retention: {full: 3}\n");
        Estimate aws = Cost.run(dir, "aws", false).estimates().get(0);

        NodeCost primary = aws.clusters().get(0).nodes().get(0);
        CostLine backups = primary.lines().stream().filter(line -> line.component().equals("backups")).findFirst().orElseThrow();
        // (3 full backups + 1 month of WAL) x 20 GB = 80 GB x 0.023 = 1.84
        assertThat(backups.amount()).isEqualTo(new BigDecimal("1.84"));
        assertThat(backups.detail()).startsWith("3 full backups + a month of WAL: 80 GB");
        NodeCost replica = aws.clusters().get(0).nodes().get(1);
        assertThat(replica.lines().stream().filter(line -> line.component().equals("backups")).findFirst().orElseThrow().amount())
                .isEqualByComparingTo(BigDecimal.ZERO);
        assertTotalsAreSumsOfLines(aws);
    }

    @Test
    void withoutACloudEveryCloudIsPricedSideBySideAndOnPremisesWhenTheGroupHasRates() throws IOException {
        config("medium", 2);
        assertThat(Cost.run(dir, null, false).estimates()).extracting(Estimate::cloud).containsExactly("aws", "gcp", "azure");

        Files.writeString(dir.resolve("pricing.yml"), "onprem: {per_vcpu_month: 20, per_memory_gb_month: 2.5, per_disk_gb_month: 0.1}\n");
        CostReport report = Cost.run(dir, null, false);
        assertThat(report.estimates()).extracting(Estimate::cloud).containsExactly("aws", "gcp", "azure", "onprem");
        report.estimates().forEach(CostTest::assertTotalsAreSumsOfLines);
    }

    @Test
    void onPremisesRatesPriceVcpusMemoryAndDiskFromTheFile() throws IOException {
        config("medium", 2);
        Files.writeString(dir.resolve("pricing.yml"), """
                # our own racks
                onprem:
                  currency: EUR
                  per_vcpu_month: "20"
                  per_memory_gb_month: 2.5
                  per_disk_gb_month: 0.10
                  per_transfer_gb: 0.001
                  as_of: 2026-11-30
                """);
        Estimate onprem = Cost.run(dir, "onprem", false).estimates().get(0);
        assertThat(onprem.currency()).isEqualTo("EUR");
        assertThat(onprem.pricesRead()).isEqualTo("2026-11-30");
        NodeCost replica = onprem.clusters().get(0).nodes().get(1);
        // medium: 2 vCPU x 20 + 8 GB x 2.5 = 60; 100 GB x 0.10 = 10; 100 GB of WAL x 0.001 = 0.10
        assertThat(replica.instance()).isEqualTo("own server (2 vCPU, 8 GB)");
        assertThat(replica.line("compute").amount()).isEqualTo(new BigDecimal("60.00"));
        assertThat(replica.line("storage").amount()).isEqualTo(new BigDecimal("10.00"));
        assertThat(replica.line("transfer").amount()).isEqualTo(new BigDecimal("0.10"));
        assertThat(replica.total()).isEqualTo(new BigDecimal("70.10"));
        assertTotalsAreSumsOfLines(onprem);
    }

    @Test
    void aDeployedGroupIsPricedFromItsRecordNotFromAnEditedConfig() throws IOException {
        config("medium", 3);
        record(3, "small", "pg1");
        Estimate aws = Cost.run(dir, "aws", false).estimates().get(0);
        assertThat(aws.basis()).isEqualTo("deployment.json");
        assertThat(aws.clusters().get(0).nodes()).extracting(NodeCost::instance).containsOnly("t3.small");
    }

    @Test
    void whatIfOnAResizePricesTheNewSizeBesideTodayLineByLine() throws IOException {
        record(3, "small", "pg1");
        config("medium", 3);
        WhatIf whatIf = Cost.run(dir, "aws", true).whatIfs().get(0);

        assertThat(whatIf.deployed()).isTrue();
        WhatIf.Change compute = change(whatIf, "pg1", "compute");
        // t3.small 15.18 today; m7g.large 0.0816 x 730 = 59.568 -> 59.57 planned
        assertThat(compute.today()).isEqualTo(new BigDecimal("15.18"));
        assertThat(compute.planned()).isEqualTo(new BigDecimal("59.57"));
        assertThat(compute.difference()).isEqualTo(new BigDecimal("44.39"));
        assertThat(compute.change()).isEqualTo("t3.small -> m7g.large");
        // storage: 20 GB -> 100 GB at 0.08
        assertThat(change(whatIf, "pg2", "storage").difference()).isEqualTo(new BigDecimal("6.40"));
        assertWhatIfAddsUp(whatIf);
        assertThat(whatIf.today()).isEqualTo(new BigDecimal("51.14"));
    }

    @Test
    void whatIfOnAnAddedReplicaAddsExactlyThatNodesLines() throws IOException {
        record(2, "small", "pg1");
        config("small", 3);
        WhatIf whatIf = Cost.run(dir, "aws", true).whatIfs().get(0);

        assertThat(change(whatIf, "pg3", "compute").change()).isEqualTo("added: t3.small");
        assertThat(change(whatIf, "pg3", "compute").today()).isEqualTo(new BigDecimal("0.00"));
        BigDecimal pg3 = whatIf.lines().stream().filter(line -> line.node().equals("pg3")).map(WhatIf.Change::planned)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(pg3).isEqualTo(new BigDecimal("17.18"));
        assertThat(whatIf.difference()).isEqualTo(pg3);
        assertThat(whatIf.lines().stream().filter(line -> !line.node().equals("pg3")))
                .allMatch(line -> line.difference().signum() == 0);
        assertWhatIfAddsUp(whatIf);
    }

    @Test
    void whatIfOnARemovedNodeAndOnAGroupNotDeployed() throws IOException {
        record(3, "small", "pg1");
        config("small", 2);
        WhatIf removed = Cost.run(dir, "gcp", true).whatIfs().get(0);
        assertThat(change(removed, "pg3", "compute").change()).isEqualTo("removed: e2-small");
        assertThat(removed.difference()).isNegative();
        assertWhatIfAddsUp(removed);

        Files.delete(dir.resolve(GroupDirectory.RECORD));
        WhatIf fresh = Cost.run(dir, "gcp", true).whatIfs().get(0);
        assertThat(fresh.deployed()).isFalse();
        assertThat(fresh.today()).isEqualTo(new BigDecimal("0.00"));
        assertThat(fresh.difference()).isEqualTo(fresh.planned());
    }

    @Test
    void theRecordedPrimaryReceivesNoReplicationTrafficAfterASwitchover() throws IOException {
        record(3, "small", "pg2");
        config("small", 3);
        Estimate aws = Cost.run(dir, "aws", false).estimates().get(0);
        List<NodeCost> nodes = aws.clusters().get(0).nodes();
        assertThat(nodes).extracting(NodeCost::role).containsExactly("replica", "primary", "replica");
        assertThat(nodes.get(1).line("transfer").amount()).isEqualTo(new BigDecimal("0.00"));
        assertThat(nodes.get(0).line("transfer").amount()).isEqualTo(new BigDecimal("0.40"));
        // the planned shape keeps the recorded primary too
        assertThat(change(Cost.run(dir, "aws", true).whatIfs().get(0), "pg2", "transfer").planned()).isEqualTo(new BigDecimal("0.00"));
    }

    @Test
    void aStandbyClustersLeaderReceivesWalAcrossZones() throws IOException {
        Files.writeString(dir.resolve("tpa.yml"), """
                name: demo
                clusters:
                  - name: main
                    nodes: [{name: pg1}, {name: pg2}]
                  - name: dr
                    nodes: [{name: dr1}]
                """);
        Estimate azure = Cost.run(dir, "azure", false).estimates().get(0);
        NodeCost leader = azure.clusters().get(1).nodes().get(0);
        assertThat(leader.role()).isEqualTo("standby leader");
        assertThat(leader.line("transfer").detail()).startsWith("20 GB of WAL");
        assertTotalsAreSumsOfLines(azure);
    }

    @Test
    void anSshGroupWhoseServersAreUnreachableIsPricedFromItsFilesAlone() throws IOException {
        // nothing listens on these loopback addresses: cost never tries them
        Files.writeString(dir.resolve("tpa.yml"), """
                name: demo
                platform: ssh
                clusters:
                  - name: main
                    nodes:
                      - {name: pg1, host: 127.0.0.251, size: large}
                      - {name: pg2, host: 127.0.0.252, size: large}
                """);
        Estimate gcp = Cost.run(dir, "gcp", false).estimates().get(0);
        assertThat(gcp.clusters().get(0).nodes()).extracting(NodeCost::instance).containsExactly("e2-standard-4", "e2-standard-4");
        assertTotalsAreSumsOfLines(gcp);
    }

    @Test
    void aSizeNoInstanceFitsIsAOneLineError() throws IOException {
        Files.writeString(dir.resolve("tpa.yml"), """
                name: demo
                clusters:
                  - name: main
                    nodes: [{name: pg1, size: {cpus: 64, memory_gb: 1024, disk_gb: 100}}]
                """);
        assertThatThrownBy(() -> Cost.run(dir, "aws", false)).isInstanceOf(UserError.class)
                .hasMessageStartingWith("no aws instance in the price catalog has 64 vCPUs and 1024 GB of memory")
                .hasMessageContaining("catalog/prices/aws.yml").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aNoteNamesTheUnverifiedPricesAnEstimateUsesAndOnlyThose() throws IOException {
        config("small", 2);
        assertThat(Cost.run(dir, "gcp", false).notes()).contains(
                "not verified on a stored page (verified: false in the catalog, see docs/pricing.md): gcp e2-small");
        assertThat(Cost.run(dir, "aws", false).notes()).noneMatch(note -> note.startsWith("not verified"));
    }

    @Test
    void anUnknownCloudIsBadInput() throws IOException {
        config("small", 1);
        assertThatThrownBy(() -> Cost.run(dir, "oracle", false)).isInstanceOf(UserError.class)
                .hasMessage("--cloud: unknown cloud 'oracle'; use one of aws, gcp, azure, onprem")
                .extracting(e -> ((UserError) e).exitCode()).isEqualTo(UserError.BAD_INPUT);
    }

    static void assertTotalsAreSumsOfLines(Estimate estimate) {
        BigDecimal group = BigDecimal.ZERO;
        for (ClusterCost cluster : estimate.clusters()) {
            BigDecimal clusterSum = BigDecimal.ZERO;
            for (NodeCost node : cluster.nodes()) {
                BigDecimal nodeSum = node.lines().stream().map(CostLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
                node.lines().forEach(line -> assertThat(line.amount().scale()).isEqualTo(2));
                assertThat(node.total()).isEqualTo(nodeSum);
                clusterSum = clusterSum.add(node.total());
            }
            assertThat(cluster.total()).isEqualTo(clusterSum);
            group = group.add(cluster.total());
        }
        assertThat(estimate.total()).isEqualTo(group);
    }

    private static void assertWhatIfAddsUp(WhatIf whatIf) {
        BigDecimal today = BigDecimal.ZERO;
        BigDecimal planned = BigDecimal.ZERO;
        for (WhatIf.Change line : whatIf.lines()) {
            assertThat(line.difference()).isEqualTo(line.planned().subtract(line.today()));
            today = today.add(line.today());
            planned = planned.add(line.planned());
        }
        assertThat(whatIf.today()).isEqualTo(today);
        assertThat(whatIf.planned()).isEqualTo(planned);
        assertThat(whatIf.difference()).isEqualTo(planned.subtract(today));
    }

    private static WhatIf.Change change(WhatIf whatIf, String node, String component) {
        return whatIf.lines().stream().filter(line -> line.node().equals(node) && line.component().equals(component)).findFirst()
                .orElseThrow();
    }

    private void config(String size, int nodes) throws IOException {
        StringBuilder text = new StringBuilder("name: demo\ndefaults:\n  size: " + size + "\nclusters:\n  - name: main\n    nodes:\n");
        for (int i = 1; i <= nodes; i++) {
            text.append("      - name: pg").append(i).append('\n');
        }
        Files.writeString(dir.resolve("tpa.yml"), text.toString());
    }

    /** A deployment record of cluster main with nodes pg1..pgN of one size, as apply writes it. */
    private void record(int count, String size, String primary) {
        SizeSpec resolved = catalog.sizes().get(size);
        List<DeployedNode> nodes = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            nodes.add(new DeployedNode("pg" + i, "main", "127.20.0." + (i + 3), resolved, true, Map.of(), true, null));
        }
        new GroupDirectory(dir).writeDeployment(new Deployment(Deployment.FORMAT_VERSION, "demo", "demo-2299ba", "local",
                "/var/lib/tpa/groups/demo-2299ba",
                new Deployment.Postgres(15, List.of(), null), new Deployment.Patroni(null, false),
                null, null, List.of(new DeployedCluster("main", "main", true, "main", primary, Map.of(), nodes))));
    }
}
