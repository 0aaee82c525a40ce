package io.tpa.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.error.UserError;
import io.tpa.host.LocalPlatform;
import io.tpa.model.Catalog;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Defaults;
import io.tpa.model.Deployment;
import io.tpa.model.GroupSpec;
import io.tpa.workspace.GroupDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the resolver deploys standby clusters: the first cluster is the primary one, etcd stays put, removal order. */
class ResolverStandbyClusterTest {
    private static final String MAIN = "  - name: main\n    location: dc1\n    nodes: [{name: pg1}, {name: pg2}]\n";
    private static final String DR = "  - name: dr\n    location: dc2\n    nodes: [{name: pg3}, {name: pg4}]\n";

    @TempDir
    Path home;

    @TempDir
    Path group;

    private Deployment resolve(String clusters, Optional<Deployment> previous) throws IOException {
        Files.writeString(group.resolve("tpa.yml"), "name: sales\nplatform: local\nclusters:\n" + clusters);
        GroupDirectory directory = new GroupDirectory(group);
        Catalog catalog = Catalog.load();
        GroupSpec spec = Defaults.resolve(directory.load().spec(), catalog);
        return Resolver.resolve(directory, spec, catalog, new LocalPlatform(home), previous, Map.of(), false, address -> "debian-12");
    }

    @Test
    void everyFurtherClusterIsAStandbyClusterWithItsOwnScope() throws IOException {
        Deployment deployment = resolve(MAIN + DR, Optional.empty());
        assertThat(deployment.clusters()).extracting(DeployedCluster::name).containsExactly("main", "dr");
        assertThat(deployment.clusters()).extracting(DeployedCluster::primaryCluster).containsExactly(true, false);
        assertThat(deployment.clusters()).extracting(DeployedCluster::scope).containsExactly("main", "dr");
        assertThat(deployment.clusters()).extracting(DeployedCluster::fenced).containsExactly(false, false);
        assertThat(deployment.cluster("dr").orElseThrow().primary()).isEqualTo("pg3");
        // The etcd members are in the primary cluster only: one member for a two-node primary cluster.
        assertThat(deployment.etcdMembers()).extracting(DeployedNode::name).containsExactly("pg1");
    }

    @Test
    void promotingAnotherClusterMovesThePrimaryClusterButNotTheEtcdMembers() throws IOException {
        Deployment before = resolve(MAIN + DR, Optional.empty());
        Deployment after = resolve(DR + MAIN, Optional.of(before));
        assertThat(after.clusters()).extracting(DeployedCluster::name).containsExactly("dr", "main");
        assertThat(after.clusters()).extracting(DeployedCluster::primaryCluster).containsExactly(true, false);
        assertThat(after.etcdMembers()).extracting(DeployedNode::name).containsExactly("pg1");
        assertThat(after.node("pg1").orElseThrow().etcdJoin()).isEqualTo(before.node("pg1").orElseThrow().etcdJoin());
        assertThat(after.nodes()).extracting(DeployedNode::address).containsExactlyInAnyOrderElementsOf(
                before.nodes().stream().map(DeployedNode::address).toList());
    }

    @Test
    void thePrimaryClusterCannotLeaveWhileAStandbyClusterReplicatesFromIt() throws IOException {
        Deployment before = resolve(MAIN + DR, Optional.empty());
        assertThatThrownBy(() -> resolve(DR, Optional.of(before)))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("cluster main is the primary cluster and standby cluster dr replicate from it")
                .hasMessageContaining("promote another cluster first (`tpa cluster promote ");
    }

    @Test
    void aStandbyClusterCanLeave() throws IOException {
        Deployment before = resolve(MAIN + DR, Optional.empty());
        Deployment after = resolve(MAIN, Optional.of(before));
        assertThat(after.clusters()).extracting(DeployedCluster::name).containsExactly("main");
    }
}
