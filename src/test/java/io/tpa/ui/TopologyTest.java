package io.tpa.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.operation.status.GroupStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The topology diagram: a box per node, an arrow with its lag from each replica to its primary, names escaped. */
class TopologyTest {
    @Test
    void eachReplicaHasAnArrowToThePrimaryLabelledWithItsLag() {
        GroupStatus status = new GroupStatus("sales", List.of(new GroupStatus.ClusterStatus("main", "dc1", List.of(
                new GroupStatus.NodeStatus("pg1", "replica", "running", "127.20.0.1", 5432, 2L, 4096L),
                new GroupStatus.NodeStatus("pg2", "primary", "running", "127.20.0.2", 5432, 2L, null),
                new GroupStatus.NodeStatus("pg3", "replica", "running", "127.20.0.3", 5432, 2L, null)))), List.of());

        String svg = Topology.svg("sales", status);

        assertThat(svg).startsWith("<svg").endsWith("</svg>");
        assertThat(count(svg, "class=\"node\"")).isEqualTo(3);
        assertThat(count(svg, "marker-end=\"url(#arrow)\"")).isEqualTo(2);
        assertThat(svg).contains("lag 4096 B").contains("lag ?").contains("data-node=\"pg2\" data-role=\"primary\"")
                .contains("href=\"/groups/sales/nodes/pg1\"").contains("cluster main (dc1)");
    }

    @Test
    void aClusterWithoutARunningPrimaryHasNoArrowAndSaysSo() {
        GroupStatus status = new GroupStatus("sales", List.of(new GroupStatus.ClusterStatus("main", "<dc1>", List.of(
                new GroupStatus.NodeStatus("pg1", "replica", "down", "127.20.0.1", 5432, null, null),
                new GroupStatus.NodeStatus("pg2", "replica", "down", "127.20.0.2", 5432, null, null)))), List.of());

        String svg = Topology.svg("sales", status);

        assertThat(svg).doesNotContain("marker-end=").contains("NO RUNNING PRIMARY").contains("(&lt;dc1&gt;)").doesNotContain("<dc1>");
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
