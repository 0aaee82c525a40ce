package io.tpa.operation.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Promotion moves the promoted cluster first in tpa.yml, keeping comments and the rest of the file. */
class ClusterOrderTest {
    @Test
    void movesTheClusterFirstWithItsCommentsAndKeepsTheListComment() {
        String before = """
                name: sales
                clusters:
                  # The first cluster is the primary cluster.
                  - name: main
                    location: dc1
                    nodes:
                      - name: pg1

                  # Disaster recovery, in the other building.
                  - name: dr
                    location: dc2
                    nodes:
                      - name: pg2
                access:
                  networks: []
                """;
        String after = ClusterOrder.first(before, false, "dr");
        assertThat(after).isEqualTo("""
                name: sales
                clusters:
                  # The first cluster is the primary cluster.
                  # Disaster recovery, in the other building.
                  - name: dr
                    location: dc2
                    nodes:
                      - name: pg2

                  - name: main
                    location: dc1
                    nodes:
                      - name: pg1
                access:
                  networks: []
                """);
    }

    @Test
    void movesTheClusterFirstInJson() {
        String after = ClusterOrder.first("{\"name\": \"s\", \"clusters\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}", true, "b");
        assertThat(ClusterOrder.names(after, true)).containsExactly("b", "a");
    }
}
