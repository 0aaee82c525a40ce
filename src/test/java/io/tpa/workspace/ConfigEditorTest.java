package io.tpa.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.model.ClusterSpec;
import io.tpa.model.GroupSpec;
import io.tpa.model.NodeSpec;
import io.tpa.model.SpecLoader;
import io.tpa.operation.init.Init;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each edit is checked twice: the exact text it leaves (only the lines it has to change, in the file's own
 * style) and what SpecLoader reads from that text (exactly what was asked, nothing else).
 */
class ConfigEditorTest {
    /** What {@code tpa init --name demo --replicas 2} writes (checked against Init below). */
    private static final String INIT = """
            # A tpa cluster group. Reference: docs/reference/config.md
            # `tpa plan DIR` shows what `tpa apply DIR` would change.
            name: demo
            # Where the nodes run: local (each node on its own 127.x address on this machine)
            # or ssh (each node on a server of its own, see docs/own-servers.md).
            platform: local
            postgres:
              version: 15
              # Extensions to install, preload where needed, and create, e.g. [pg_stat_statements, pgcrypto]
              extensions: [pg_stat_statements]
              # Parameters here override the values tpa computes from each node's size.
              parameters: {}
            defaults:
              # A size from catalog/sizes.yml (micro, small, medium, large, ...) or {cpus, memory_gb, disk_gb}.
              size: small
            clusters:
              # The first cluster is the primary cluster. Its first node starts as the primary;
              # the others are streaming replicas that Patroni can promote.
              - name: main
                location: dc1
                nodes:
                  - name: pg1
                  - name: pg2
                  - name: pg3
            """;

    /** What {@code tpa init --name demo --replicas 1 --format json} writes (checked against Init below). */
    private static final String INIT_JSON = """
            {
              "clusters" : [ {
                "location" : "dc1",
                "name" : "main",
                "nodes" : [ {
                  "name" : "pg1"
                }, {
                  "name" : "pg2"
                } ]
              } ],
              "defaults" : {
                "size" : "small"
              },
              "name" : "demo",
              "platform" : "local",
              "postgres" : {
                "extensions" : [ "pg_stat_statements" ],
                "parameters" : { },
                "version" : 15
              }
            }
            """;

    /** Four spaces a level, comments everywhere (one with a character outside the BMP), sizes, two clusters. */
    private static final String ORDERS = """
            # Production group 🚀 — owned by the data team.
            name: orders   # the group's name labels everything tpa deploys

            postgres:
                version: 15
                extensions:
                    - pg_stat_statements
                    - pgaudit

            defaults:
                size: small  # most nodes are small

            clusters:
                # Primary cluster in Frankfurt.
                - name: main
                  location: fra1
                  nodes:
                      # pg1 starts as the primary.
                      - name: pg1
                        size: medium   # the primary gets more memory
                      - name: pg2  # first replica
                      # pg3 serves the reports.
                      - name: pg3
                        size:
                            cpus: 4
                            memory_gb: 16
                            disk_gb: 200
                        # size: large   (when the reports grow)

                # Disaster recovery in Amsterdam.
                - name: dr
                  location: ams1
                  nodes:
                      - name: pg4
                      - name: pg5

            # Applications connect from the office network.
            access:
                networks: [10.1.0.0/16]
            """;

    /** Flow lists and flow mappings, padded and not, with a comment after a list. */
    private static final String FLOWS = """
            name: flows
            defaults: {size: small}
            clusters:
              - name: main
                location: dc1
                nodes: [{name: pg1, size: medium}, {name: pg2}, {name: pg3}]   # three nodes
              - {name: dr, location: dc2, nodes: [ { name: pg4 } ]}
            """;

    @TempDir
    Path directory;

    private int loads;

    // tpa init's file

    @Test
    void theseTestsEditTheFilesTpaInitWrites() throws IOException {
        Init.run(directory.resolve("yaml"), "demo", 2, "local", Init.Format.YAML);
        Init.run(directory.resolve("json"), "demo", 1, "local", Init.Format.JSON);

        assertThat(Files.readString(directory.resolve("yaml/tpa.yml"))).isEqualTo(INIT);
        assertThat(Files.readString(directory.resolve("json/tpa.json"))).isEqualTo(INIT_JSON);
    }

    @Test
    void replicaAddAppendsOneLineLikeTheNodesAbove() {
        ConfigEditor added = yaml(INIT).addNode("main", "pg4", null);

        assertThat(added.text()).isEqualTo(INIT + "      - name: pg4\n");
        assertThat(added.description()).isEqualTo("add node pg4 to cluster main");
        assertThat(summary(added)).containsExactly("demo", "main@dc1: pg1, pg2, pg3, pg4");
        assertThat(settings(added)).isEqualTo(settings(yaml(INIT)));
    }

    @Test
    void replicaAddWithASizeWritesTheSizeUnderTheName() {
        ConfigEditor added = yaml(INIT).addNode("main", "pg4", "medium");

        assertThat(added.text()).isEqualTo(INIT + """
                      - name: pg4
                        size: medium
                """);
        assertThat(added.description()).isEqualTo("add node pg4 (medium) to cluster main");
        assertThat(summary(added)).containsExactly("demo", "main@dc1: pg1, pg2, pg3, pg4 medium");
    }

    @Test
    void replicaRemoveDeletesOnlyThatNodesLine() {
        ConfigEditor removed = yaml(INIT).removeNode("pg2");

        assertThat(removed.text()).isEqualTo(edited(INIT, "      - name: pg2\n", ""));
        assertThat(removed.description()).isEqualTo("remove node pg2 from cluster main");
        assertThat(summary(removed)).containsExactly("demo", "main@dc1: pg1, pg3");
        assertThat(settings(removed)).isEqualTo(settings(yaml(INIT)));
    }

    @Test
    void resizingANodeWithoutASizeAddsTheKeyAtItsKeysIndentation() {
        ConfigEditor resized = yaml(INIT).setNodeSize("pg2", "large");

        assertThat(resized.text()).isEqualTo(edited(INIT, "      - name: pg2\n", """
                      - name: pg2
                        size: large
                """));
        assertThat(resized.description()).isEqualTo("resize node pg2 to large");
        assertThat(summary(resized)).containsExactly("demo", "main@dc1: pg1, pg2 large, pg3");
    }

    @Test
    void resizingAClusterSizesEveryNodeAndThenChangesOnlyTheValues() {
        ConfigEditor resized = yaml(INIT).setClusterSize("main", "medium");

        assertThat(resized.text()).isEqualTo(edited(INIT, """
                      - name: pg1
                      - name: pg2
                      - name: pg3
                """, """
                      - name: pg1
                        size: medium
                      - name: pg2
                        size: medium
                      - name: pg3
                        size: medium
                """));
        assertThat(resized.description()).isEqualTo("resize cluster main (pg1, pg2, pg3) to medium");
        assertThat(summary(resized)).containsExactly("demo", "main@dc1: pg1 medium, pg2 medium, pg3 medium");

        ConfigEditor again = resized.setClusterSize("main", "large");
        assertThat(again.text()).isEqualTo(resized.text().replace("size: medium", "size: large"));
        assertThat(again.setClusterSize("main", "large").text()).isEqualTo(again.text());
        assertThat(again.setClusterSize("main", "large").changes()).last()
                .isEqualTo("every node of cluster main already has size large");
    }

    @Test
    void clusterAddAppendsAClusterWrittenLikeTheLastOneAndClusterRemoveTakesItBackOut() {
        ConfigEditor added = yaml(INIT).addCluster("dr", "dc2", List.of("pg4", "pg5"));

        assertThat(added.text()).isEqualTo(INIT + """
                  - name: dr
                    location: dc2
                    nodes:
                      - name: pg4
                      - name: pg5
                """);
        assertThat(added.description()).isEqualTo("add cluster dr in dc2 with nodes pg4, pg5");
        assertThat(summary(added)).containsExactly("demo", "main@dc1: pg1, pg2, pg3", "dr@dc2: pg4, pg5");

        ConfigEditor removed = added.removeCluster("dr");
        assertThat(removed.text()).isEqualTo(INIT);
        assertThat(removed.changes()).containsExactly("add cluster dr in dc2 with nodes pg4, pg5",
                "remove cluster dr and its nodes pg4, pg5");
    }

    @Test
    void aClusterWithoutLocationHasNoLocationKey() {
        ConfigEditor added = yaml(INIT).addCluster("reports", null, List.of("pg9"));

        assertThat(added.text()).isEqualTo(INIT + """
                  - name: reports
                    nodes:
                      - name: pg9
                """);
        assertThat(summary(added)).containsExactly("demo", "main@dc1: pg1, pg2, pg3", "reports@-: pg9");
    }

    @Test
    void removingTheFirstClusterKeepsTheCommentsThatDescribeTheList() {
        ConfigEditor forked = yaml(INIT).addCluster("dr", "dc2", List.of("pg4", "pg5"))
                .keepOnly("dr", List.of("pg5"))
                .renameGroup("demo-dr");

        assertThat(forked.text()).isEqualTo("""
                # A tpa cluster group. Reference: docs/reference/config.md
                # `tpa plan DIR` shows what `tpa apply DIR` would change.
                name: demo-dr
                # Where the nodes run: local (each node on its own 127.x address on this machine)
                # or ssh (each node on a server of its own, see docs/own-servers.md).
                platform: local
                postgres:
                  version: 15
                  # Extensions to install, preload where needed, and create, e.g. [pg_stat_statements, pgcrypto]
                  extensions: [pg_stat_statements]
                  # Parameters here override the values tpa computes from each node's size.
                  parameters: {}
                defaults:
                  # A size from catalog/sizes.yml (micro, small, medium, large, ...) or {cpus, memory_gb, disk_gb}.
                  size: small
                clusters:
                  # The first cluster is the primary cluster. Its first node starts as the primary;
                  # the others are streaming replicas that Patroni can promote.
                  - name: dr
                    location: dc2
                    nodes:
                      - name: pg5
                """);
        assertThat(forked.changes()).containsExactly("add cluster dr in dc2 with nodes pg4, pg5",
                "keep only cluster dr and its node pg5", "rename group demo to demo-dr");
        assertThat(summary(forked)).containsExactly("demo-dr", "dr@dc2: pg5");
    }

    @Test
    void forkKeepsOneClusterWithTheChosenNodesUnderANewName() {
        ConfigEditor forked = yaml(INIT).keepOnly("main", List.of("pg1", "pg3")).renameGroup("demo-copy");

        assertThat(forked.text()).isEqualTo(edited(edited(INIT, "name: demo\n", "name: demo-copy\n"),
                "      - name: pg2\n", ""));
        assertThat(forked.description()).isEqualTo("keep only cluster main and its nodes pg1, pg3; "
                + "rename group demo to demo-copy");
        assertThat(summary(forked)).containsExactly("demo-copy", "main@dc1: pg1, pg3");
    }

    @Test
    void theExampleGroupGetsAndLosesAReplica() throws IOException {
        String example = Files.readString(Path.of("examples/ha/tpa.yml"));
        ConfigEditor editor = yaml(example);

        assertThat(editor.addNode("main", "pg4", "small").text()).isEqualTo(example + """
                      - name: pg4
                        size: small
                """);
        assertThat(editor.removeNode("pg3").text()).isEqualTo(edited(example, "      - name: pg3\n", ""));
        assertThat(summary(editor.removeNode("pg1"))).containsExactly("demo", "main@dc1: pg2, pg3");
    }

    // Four spaces, comments, nested sizes, two clusters

    @Test
    void aNewNodeGoesAfterTheLastNodeAndTheCommentsInsideIt() {
        ConfigEditor added = yaml(ORDERS).addNode("main", "pg6", "large");

        assertThat(added.text()).isEqualTo(edited(ORDERS, """
                            # size: large   (when the reports grow)

                """, """
                            # size: large   (when the reports grow)
                          - name: pg6
                            size: large

                """));
        assertThat(summary(added)).containsExactly("orders",
                "main@fra1: pg1 medium, pg2, pg3 4cpu/16.0GB/200GB, pg6 large", "dr@ams1: pg4, pg5");
        assertThat(yaml(ORDERS).addNode("dr", "pg6", null).text()).isEqualTo(edited(ORDERS, """
                          - name: pg5

                """, """
                          - name: pg5
                          - name: pg6

                """));
    }

    @Test
    void aRemovedNodeTakesItsCommentsItsNestedSizeAndNothingElse() {
        ConfigEditor removed = yaml(ORDERS).removeNode("pg3");

        assertThat(removed.text()).isEqualTo(edited(ORDERS, """
                          # pg3 serves the reports.
                          - name: pg3
                            size:
                                cpus: 4
                                memory_gb: 16
                                disk_gb: 200
                            # size: large   (when the reports grow)
                """, ""));
        assertThat(summary(removed)).containsExactly("orders", "main@fra1: pg1 medium, pg2", "dr@ams1: pg4, pg5");
        assertThat(settings(removed)).isEqualTo(settings(yaml(ORDERS)));

        assertThat(yaml(ORDERS).removeNode("pg2").text()).isEqualTo(edited(ORDERS,
                "          - name: pg2  # first replica\n", ""));
        assertThat(yaml(ORDERS).removeNode("pg5").text()).isEqualTo(edited(ORDERS,
                "          - name: pg5\n", ""));
    }

    @Test
    void theCommentAboveTheFirstNodeGoesWithItWhenTheOtherNodesHaveCommentsOfTheirOwn() {
        ConfigEditor removed = yaml(ORDERS).removeNode("pg1");

        assertThat(removed.text()).isEqualTo(edited(ORDERS, """
                          # pg1 starts as the primary.
                          - name: pg1
                            size: medium   # the primary gets more memory
                """, ""));
        assertThat(summary(removed)).containsExactly("orders", "main@fra1: pg2, pg3 4cpu/16.0GB/200GB",
                "dr@ams1: pg4, pg5");
    }

    @Test
    void resizingReplacesOnlyTheValueKeepingTrailingAndInnerComments() {
        ConfigEditor resized = yaml(ORDERS).setClusterSize("main", "xlarge");

        assertThat(resized.text()).isEqualTo(edited(ORDERS, """
                          - name: pg1
                            size: medium   # the primary gets more memory
                          - name: pg2  # first replica
                          # pg3 serves the reports.
                          - name: pg3
                            size:
                                cpus: 4
                                memory_gb: 16
                                disk_gb: 200
                            # size: large   (when the reports grow)
                """, """
                          - name: pg1
                            size: xlarge   # the primary gets more memory
                          - name: pg2  # first replica
                            size: xlarge
                          # pg3 serves the reports.
                          - name: pg3
                            size: xlarge
                            # size: large   (when the reports grow)
                """));
        assertThat(summary(resized)).containsExactly("orders", "main@fra1: pg1 xlarge, pg2 xlarge, pg3 xlarge",
                "dr@ams1: pg4, pg5");
        assertThat(yaml(ORDERS).setNodeSize("pg4", "micro").text()).isEqualTo(edited(ORDERS,
                "          - name: pg4\n", """
                          - name: pg4
                            size: micro
                """));
    }

    @Test
    void aNewClusterKeepsTheBlankLineBetweenClustersAndTheFourSpaceIndentation() {
        ConfigEditor added = yaml(ORDERS).addCluster("reports", "fra2", List.of("pg7", "pg8"));

        assertThat(added.text()).isEqualTo(edited(ORDERS, """
                          - name: pg5

                """, """
                          - name: pg5

                    - name: reports
                      location: fra2
                      nodes:
                          - name: pg7
                          - name: pg8

                """));
        assertThat(summary(added)).containsExactly("orders", "main@fra1: pg1 medium, pg2, pg3 4cpu/16.0GB/200GB",
                "dr@ams1: pg4, pg5", "reports@fra2: pg7, pg8");
        assertThat(added.removeCluster("reports").text()).isEqualTo(ORDERS);
    }

    @Test
    void aRemovedClusterTakesItsCommentAndOneBlankLine() {
        ConfigEditor withoutDr = yaml(ORDERS).removeCluster("dr");
        assertThat(withoutDr.text()).isEqualTo(edited(ORDERS, """

                    # Disaster recovery in Amsterdam.
                    - name: dr
                      location: ams1
                      nodes:
                          - name: pg4
                          - name: pg5
                """, ""));
        assertThat(summary(withoutDr)).containsExactly("orders", "main@fra1: pg1 medium, pg2, pg3 4cpu/16.0GB/200GB");

        ConfigEditor withoutMain = yaml(ORDERS).removeCluster("main");
        assertThat(withoutMain.text()).isEqualTo(edited(ORDERS, ORDERS.substring(ORDERS.indexOf("    # Primary"),
                ORDERS.indexOf("    # Disaster")), ""));
        assertThat(summary(withoutMain)).containsExactly("orders", "dr@ams1: pg4, pg5");
        assertThat(withoutMain.description()).isEqualTo("remove cluster main and its nodes pg1, pg2, pg3");
    }

    @Test
    void forkOfTheSecondClusterOfACommentedFile() {
        ConfigEditor forked = yaml(ORDERS).keepOnly("dr", List.of("pg5")).renameGroup("orders-dr");

        assertThat(forked.text()).isEqualTo("""
                # Production group 🚀 — owned by the data team.
                name: orders-dr   # the group's name labels everything tpa deploys

                postgres:
                    version: 15
                    extensions:
                        - pg_stat_statements
                        - pgaudit

                defaults:
                    size: small  # most nodes are small

                clusters:
                    # Disaster recovery in Amsterdam.
                    - name: dr
                      location: ams1
                      nodes:
                          - name: pg5

                # Applications connect from the office network.
                access:
                    networks: [10.1.0.0/16]
                """);
        assertThat(summary(forked)).containsExactly("orders-dr", "dr@ams1: pg5");
    }

    // Flow style

    @Test
    void flowListsAreEditedInsideTheirBrackets() {
        ConfigEditor editor = yaml(FLOWS);

        assertThat(editor.addNode("main", "pg5", "medium").text()).isEqualTo(edited(FLOWS,
                "{name: pg3}]   # three nodes", "{name: pg3}, {name: pg5, size: medium}]   # three nodes"));
        assertThat(editor.addNode("dr", "pg5", null).text()).isEqualTo(edited(FLOWS,
                "[ { name: pg4 } ]", "[ { name: pg4 }, { name: pg5 } ]"));
        assertThat(editor.removeNode("pg1").text()).isEqualTo(edited(FLOWS,
                "[{name: pg1, size: medium}, {name: pg2}, {name: pg3}]", "[{name: pg2}, {name: pg3}]"));
        assertThat(editor.removeNode("pg3").text()).isEqualTo(edited(FLOWS,
                "[{name: pg1, size: medium}, {name: pg2}, {name: pg3}]", "[{name: pg1, size: medium}, {name: pg2}]"));
        ConfigEditor resized = editor.setClusterSize("main", "large").setNodeSize("pg4", "micro");
        assertThat(resized.text()).isEqualTo(edited(edited(FLOWS,
                "[{name: pg1, size: medium}, {name: pg2}, {name: pg3}]",
                "[{name: pg1, size: large}, {name: pg2, size: large}, {name: pg3, size: large}]"),
                "{ name: pg4 }", "{ name: pg4, size: micro }"));
        assertThat(summary(resized)).containsExactly("flows", "main@dc1: pg1 large, pg2 large, pg3 large",
                "dr@dc2: pg4 micro");
    }

    @Test
    void aClusterWrittenAsAFlowMappingGetsAFlowMappingNeighbour() {
        ConfigEditor added = yaml(FLOWS).addCluster("reports", "dc3", List.of("pg8", "pg9"));

        assertThat(added.text()).isEqualTo(FLOWS + "  - {name: reports, location: dc3, nodes: [ { name: pg8 }, { name: pg9 } ]}\n");
        assertThat(summary(added)).containsExactly("flows", "main@dc1: pg1 medium, pg2, pg3", "dr@dc2: pg4",
                "reports@dc3: pg8, pg9");
        assertThat(yaml(FLOWS).removeCluster("dr").text()).isEqualTo(edited(FLOWS,
                "  - {name: dr, location: dc2, nodes: [ { name: pg4 } ]}\n", ""));
    }

    @Test
    void aGroupWrittenOnOneLine() {
        String oneLine = "{name: tiny, clusters: [{name: main, nodes: [{name: pg1}]}]}\n";
        ConfigEditor editor = yaml(oneLine).addNode("main", "pg2", null).addCluster("dr", "dc2", List.of("pg3"));

        assertThat(editor.text()).isEqualTo("{name: tiny, clusters: [{name: main, nodes: [{name: pg1}, {name: pg2}]}, "
                + "{name: dr, location: dc2, nodes: [{name: pg3}]}]}\n");
        assertThat(summary(editor)).containsExactly("tiny", "main@-: pg1, pg2", "dr@dc2: pg3");
        assertThat(editor.keepOnly("main", List.of("pg2")).renameGroup("small").text())
                .isEqualTo("{name: small, clusters: [{name: main, nodes: [{name: pg2}]}]}\n");
    }

    @Test
    void aFlowListOverSeveralLinesKeepsOneItemALine() {
        String lines = """
                name: demo
                clusters:
                  - name: main
                    nodes: [
                      {name: pg1},  # the primary
                      {name: pg2},
                    ]
                """;
        ConfigEditor editor = yaml(lines);

        assertThat(editor.addNode("main", "pg3", null).text()).isEqualTo(edited(lines, """
                      {name: pg2},
                """, """
                      {name: pg2},
                      {name: pg3},
                """));
        assertThat(editor.removeNode("pg1").text()).isEqualTo(edited(lines, "      {name: pg1},  # the primary\n", ""));
        assertThat(editor.removeNode("pg2").text()).isEqualTo(edited(lines, "      {name: pg2},\n", ""));
        assertThat(summary(editor.addNode("main", "pg3", null).removeNode("pg1"))).containsExactly("demo",
                "main@-: pg2, pg3");

        String withoutTrailingComma = lines.replace("{name: pg2},", "{name: pg2}");
        assertThat(yaml(withoutTrailingComma).removeNode("pg2").text()).isEqualTo(edited(withoutTrailingComma, """
                      {name: pg1},  # the primary
                      {name: pg2}
                """, """
                      {name: pg1}  # the primary
                """));
        assertThat(yaml(withoutTrailingComma).addNode("main", "pg3", null).text()).isEqualTo(edited(
                withoutTrailingComma, "      {name: pg2}\n", "      {name: pg2},\n      {name: pg3}\n"));
    }

    @Test
    void unusualBlockStylesAreCopied() {
        String unusual = """
                name: demo
                clusters:
                -
                  name: main
                  nodes:
                  -   name: pg1
                      size: {cpus: 2, memory_gb: 4, disk_gb: 10}
                  -   {name: pg2}
                """;
        ConfigEditor editor = yaml(unusual);

        assertThat(editor.addNode("main", "pg3", null).text()).isEqualTo(unusual + "  -   {name: pg3}\n");
        assertThat(editor.setClusterSize("main", "micro").text()).isEqualTo(edited(edited(unusual,
                "size: {cpus: 2, memory_gb: 4, disk_gb: 10}", "size: micro"), "{name: pg2}", "{name: pg2, size: micro}"));
        assertThat(editor.addCluster("dr", null, List.of("pg3")).text()).isEqualTo(unusual + """
                - name: dr
                  nodes:
                  -   {name: pg3}
                """);
        assertThat(editor.removeNode("pg1").text()).isEqualTo(edited(unusual, """
                  -   name: pg1
                      size: {cpus: 2, memory_gb: 4, disk_gb: 10}
                """, ""));
        assertThat(summary(editor.setClusterSize("main", "micro"))).containsExactly("demo", "main@-: pg1 micro, pg2 micro");
    }

    @Test
    void windowsLineEndingsAndAMissingFinalNewlineAreKept() {
        String crlf = "name: \"demo\"\r\nclusters:\r\n- name: main\r\n  nodes:\r\n  - name: pg1\r\n  - name: pg2";
        ConfigEditor editor = yaml(crlf);

        assertThat(editor.addNode("main", "pg3", "small").text()).isEqualTo(crlf + "\r\n  - name: pg3\r\n    size: small");
        assertThat(editor.removeNode("pg2").text()).isEqualTo("name: \"demo\"\r\nclusters:\r\n- name: main\r\n  nodes:\r\n"
                + "  - name: pg1");
        assertThat(editor.setNodeSize("pg2", "large").text()).isEqualTo(crlf + "\r\n    size: large");
        assertThat(editor.renameGroup("copy").text()).isEqualTo(crlf.replace("\"demo\"", "\"copy\""));
        assertThat(editor.addCluster("dr", "dc 2", List.of("pg3")).text())
                .isEqualTo(crlf + "\r\n- name: dr\r\n  location: dc 2\r\n  nodes:\r\n  - name: pg3");
        assertThat(summary(editor.addCluster("dr", "dc 2", List.of("pg3")))).containsExactly("demo",
                "main@-: pg1, pg2", "dr@dc 2: pg3");
    }

    @Test
    void valuesYamlWouldReadAsSomethingElseAreQuoted() {
        ConfigEditor editor = yaml(INIT).renameGroup("yes").addCluster("on", "10", List.of("null"));

        assertThat(editor.text()).startsWith(edited(INIT, "name: demo\n", "name: \"yes\"\n")).endsWith("""
                  - name: "on"
                    location: "10"
                    nodes:
                      - name: "null"
                """);
        assertThat(summary(editor)).containsExactly("yes", "main@dc1: pg1, pg2, pg3", "on@10: null");
    }

    // JSON

    @Test
    void jsonFromTpaInitIsRewrittenInTheSameLayout() {
        ConfigEditor added = json(INIT_JSON).addNode("main", "pg3", "medium");

        assertThat(added.text()).isEqualTo(edited(INIT_JSON, """
                      "name" : "pg2"
                    } ]
                """, """
                      "name" : "pg2"
                    }, {
                      "name" : "pg3",
                      "size" : "medium"
                    } ]
                """));
        assertThat(summary(added)).containsExactly("demo", "main@dc1: pg1, pg2, pg3 medium");
        assertThat(settings(added)).isEqualTo(settings(json(INIT_JSON)));

        ConfigEditor clusterAdded = json(INIT_JSON).addCluster("dr", "dc2", List.of("pg3"));
        assertThat(clusterAdded.text()).isEqualTo(edited(INIT_JSON, """
                    } ]
                  } ],
                """, """
                    } ]
                  }, {
                    "location" : "dc2",
                    "name" : "dr",
                    "nodes" : [ {
                      "name" : "pg3"
                    } ]
                  } ],
                """));
        assertThat(summary(clusterAdded)).containsExactly("demo", "main@dc1: pg1, pg2", "dr@dc2: pg3");
    }

    @Test
    void everyJsonEditSaysWhatWasAsked() {
        ConfigEditor editor = json(INIT_JSON);

        assertThat(editor.removeNode("pg1").text()).isEqualTo(edited(INIT_JSON, """
                      "name" : "pg1"
                    }, {
                """, ""));
        assertThat(summary(editor.setClusterSize("main", "large"))).containsExactly("demo", "main@dc1: pg1 large, pg2 large");
        assertThat(summary(editor.setNodeSize("pg2", "micro"))).containsExactly("demo", "main@dc1: pg1, pg2 micro");
        ConfigEditor twoClusters = editor.addCluster("dr", null, List.of("pg3", "pg4"));
        assertThat(summary(twoClusters)).containsExactly("demo", "main@dc1: pg1, pg2", "dr@-: pg3, pg4");
        assertThat(twoClusters.removeCluster("dr").text()).isEqualTo(INIT_JSON);
        ConfigEditor forked = twoClusters.keepOnly("dr", List.of("pg4")).renameGroup("demo-dr");
        assertThat(summary(forked)).containsExactly("demo-dr", "dr@-: pg4");
        assertThat(forked.description()).isEqualTo("add cluster dr with nodes pg3, pg4; keep only cluster dr and its "
                + "node pg4; rename group demo to demo-dr");
    }

    @Test
    void jsonInAnotherLayoutIsWrittenWithTwoSpacesAKeyAndAnItemALine() {
        String fourSpaces = """
                {
                    "name": "demo",
                    "postgres": {"extensions": [], "parameters": {}},
                    "clusters": [
                        {"name": "main", "nodes": [{"name": "pg1"}, {"name": "pg2"}]}
                    ]
                }""";

        ConfigEditor removed = json(fourSpaces).removeNode("pg2");

        assertThat(removed.text()).isEqualTo("""
                {
                  "name": "demo",
                  "postgres": {
                    "extensions": [],
                    "parameters": {}
                  },
                  "clusters": [
                    {
                      "name": "main",
                      "nodes": [
                        {
                          "name": "pg1"
                        }
                      ]
                    }
                  ]
                }""");
        assertThat(summary(removed)).containsExactly("demo", "main@-: pg1");
        assertThat(json(removed.text()).addNode("main", "pg2", null).text()).isEqualTo(edited(removed.text(), """
                          "name": "pg1"
                        }
                """, """
                          "name": "pg1"
                        },
                        {
                          "name": "pg2"
                        }
                """));
    }

    // Hosts (ssh platform)

    /** Nodes with a host each, written as block mappings. */
    private static final String HOSTS = """
            name: demo
            platform: ssh
            clusters:
              - name: main
                nodes:
                  - name: pg1
                    host: 10.0.0.11
                  - name: pg2
                    host: db2.example.com
            """;

    @Test
    void aNewNodeGetsItsHostInTheStyleOfItsNeighbours() {
        ConfigEditor added = yaml(HOSTS).addNode("main", "pg3", null, "10.0.0.13");

        assertThat(added.text()).isEqualTo(HOSTS + """
                      - name: pg3
                        host: 10.0.0.13
                """);
        assertThat(added.changes()).containsExactly("add node pg3 on 10.0.0.13 to cluster main");
        assertThat(load(added).allNodes()).extracting(NodeSpec::name, NodeSpec::host).containsExactly(
                org.assertj.core.groups.Tuple.tuple("pg1", "10.0.0.11"),
                org.assertj.core.groups.Tuple.tuple("pg2", "db2.example.com"),
                org.assertj.core.groups.Tuple.tuple("pg3", "10.0.0.13"));
    }

    @Test
    void aNewNodesKeysFollowTheOrderItsNeighbourWritesThem() {
        String hostFirst = HOSTS.replace("  - name: pg1\n        host: 10.0.0.11\n", "  - host: 10.0.0.11\n        name: pg1\n")
                .replace("  - name: pg2\n        host: db2.example.com\n", "  - host: db2.example.com\n        name: pg2\n");
        assertThat(hostFirst).contains("- host: db2.example.com\n        name: pg2\n");

        ConfigEditor added = yaml(hostFirst).addNode("main", "pg3", null, "10.0.0.13");

        assertThat(added.text()).isEqualTo(hostFirst + """
                      - host: 10.0.0.13
                        name: pg3
                """);
        assertThat(load(added).allNodes()).extracting(NodeSpec::name, NodeSpec::host).containsExactly(
                org.assertj.core.groups.Tuple.tuple("pg1", "10.0.0.11"),
                org.assertj.core.groups.Tuple.tuple("pg2", "db2.example.com"),
                org.assertj.core.groups.Tuple.tuple("pg3", "10.0.0.13"));
    }

    @Test
    void aNewNodeInJsonHasItsNameAndHost() {
        String config = """
                {
                  "name": "demo",
                  "platform": "ssh",
                  "clusters": [
                    {"name": "main", "nodes": [{"name": "pg1", "host": "10.0.0.11"}]}
                  ]
                }""";

        ConfigEditor added = json(config).addNode("main", "pg2", null, "10.0.0.12");

        assertThat(added.text()).contains("""
                        {
                          "name": "pg1",
                          "host": "10.0.0.11"
                        },
                        {
                          "name": "pg2",
                          "host": "10.0.0.12"
                        }
                      ]""".indent(6).stripTrailing());
        assertThat(load(added).allNodes()).extracting(NodeSpec::name, NodeSpec::host).containsExactly(
                org.assertj.core.groups.Tuple.tuple("pg1", "10.0.0.11"),
                org.assertj.core.groups.Tuple.tuple("pg2", "10.0.0.12"));
    }

    @Test
    void withoutAHostNothingAboutHostIsWritten() {
        ConfigEditor added = yaml(HOSTS).addNode("main", "pg3", null, null);

        assertThat(added.text()).isEqualTo(HOSTS + "      - name: pg3\n");
        assertThat(added.changes()).containsExactly("add node pg3 to cluster main");
        assertThat(yaml(INIT).addNode("main", "pg4", "small", null).text()).isEqualTo(INIT + """
                      - name: pg4
                        size: small
                """);

        String config = """
                {"name": "demo", "clusters": [{"name": "main", "nodes": [{"name": "pg1"}]}]}""";
        ConfigEditor json = json(config).addNode("main", "pg2", null, null);
        assertThat(json.text()).contains("\"pg2\"").doesNotContain("host");
        assertThat(load(json).allNodes()).extracting(NodeSpec::host).containsOnlyNulls();
    }

    // Refusals

    @Test
    void refusesWhatWouldLeaveAnInvalidOrDifferentGroup() {
        ConfigEditor editor = yaml(ORDERS);

        assertRefused(() -> editor.removeNode("pg9"),
                "there is no node 'pg9' in group orders; its nodes are pg1, pg2, pg3, pg4, pg5");
        assertRefused(() -> editor.addNode("reports", "pg6", null),
                "there is no cluster 'reports' in group orders; its clusters are main, dr");
        assertRefused(() -> editor.removeCluster("reports"),
                "there is no cluster 'reports' in group orders; its clusters are main, dr");
        assertRefused(() -> editor.addNode("main", "pg4", null),
                "node 'pg4' already exists in group orders; node names are host names, so each must be unique in the group");
        assertRefused(() -> editor.addNode("main", "PG6", null), "'PG6' is not a valid node name; names use lowercase "
                + "letters, digits and hyphens, start with a letter and are at most 40 characters long");
        assertRefused(() -> editor.addNode("main", "pg6", "huge"),
                "unknown size 'huge'; sizes: micro, small, medium, large, xlarge, 2xlarge, 4xlarge");
        assertRefused(() -> editor.setClusterSize("dr", "medum"),
                "unknown size 'medum'; sizes: micro, small, medium, large, xlarge, 2xlarge, 4xlarge");
        assertRefused(() -> editor.addCluster("dr", "x", List.of("pg6")),
                "cluster 'dr' already exists in group orders; give each cluster a name of its own");
        assertRefused(() -> editor.addCluster("reports", "x", List.of()),
                "cluster 'reports' needs at least one node; name one");
        assertRefused(() -> editor.addCluster("reports", "x", List.of("pg6", "pg6")),
                "node 'pg6' is named twice; name each node once");
        assertRefused(() -> editor.addCluster("reports", " ", List.of("pg6")), "the location of cluster 'reports' is "
                + "empty; name a place such as dc2, or leave it out to use the cluster's name");
        assertRefused(() -> editor.renameGroup("Orders Copy"), "'Orders Copy' is not a valid group name; names use "
                + "lowercase letters, digits and hyphens, start with a letter and are at most 40 characters long");
        assertRefused(() -> editor.keepOnly("dr", List.of("pg1")), "node 'pg1' is not in cluster 'dr'; its nodes are pg4, pg5");
        assertRefused(() -> editor.keepOnly("dr", List.of()), "keep at least one node of cluster 'dr'; its nodes are pg4, pg5");
    }

    @Test
    void refusesToRemoveTheLastNodeOfAClusterOrTheLastCluster() {
        ConfigEditor single = yaml(INIT).keepOnly("main", List.of("pg1"));

        assertRefused(() -> single.removeNode("pg1"), "cannot remove node 'pg1': it is the only node of cluster 'main', "
                + "and a cluster needs at least one node; add another node first");
        assertRefused(() -> single.removeCluster("main"), "cannot remove cluster 'main': it is the only cluster of "
                + "group demo, and a group needs at least one; to take the whole group down, run `tpa destroy`");
        ConfigEditor twoClusters = single.addCluster("dr", "dc2", List.of("pg2"));
        assertRefused(() -> twoClusters.removeNode("pg2"), "cannot remove node 'pg2': it is the only node of cluster "
                + "'dr', and a cluster needs at least one node; add another node first, or remove the cluster");
        assertRefused(() -> json(INIT_JSON).keepOnly("main", List.of("pg1")).removeNode("pg1"), "cannot remove node "
                + "'pg1': it is the only node of cluster 'main', and a cluster needs at least one node; add another node first");
    }

    // Saving

    @Test
    void saveReplacesTheFileAtomicallyAndKeepsItsMode() throws IOException {
        Path group = Files.createDirectories(directory.resolve("group"));
        Path file = Files.writeString(group.resolve("tpa.yml"), INIT);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));

        ConfigEditor editor = ConfigEditor.open(file);
        assertThat(editor.text()).isEqualTo(INIT);
        editor.addNode("main", "pg4", null).save();

        assertThat(Files.readString(file)).isEqualTo(INIT + "      - name: pg4\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-rw----");
        try (Stream<Path> files = Files.list(group)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("tpa.yml");
        }
        assertThat(SpecLoader.load(group).spec().allNodes()).extracting(NodeSpec::name)
                .containsExactly("pg1", "pg2", "pg3", "pg4");

        Path copy = directory.resolve("copy/tpa.yml");
        ConfigEditor.open(file).keepOnly("main", List.of("pg4")).renameGroup("copy").saveAs(copy);
        assertThat(SpecLoader.load(copy.getParent()).spec().allNodes()).extracting(NodeSpec::name).containsExactly("pg4");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("rw-rw----");
    }

    // Helpers

    private static ConfigEditor yaml(String text) {
        return ConfigEditor.of(Path.of("tpa.yml"), text);
    }

    private static ConfigEditor json(String text) {
        return ConfigEditor.of(Path.of("tpa.json"), text);
    }

    /** The original with one passage, which must occur exactly once, replaced. */
    private static String edited(String original, String passage, String replacement) {
        assertThat(original.split(java.util.regex.Pattern.quote(passage), -1)).as("occurrences of %s", passage).hasSize(2);
        return original.replace(passage, replacement);
    }

    /** The edited config as SpecLoader reads it from a directory of its own. */
    private GroupSpec load(ConfigEditor editor) {
        try {
            Path group = Files.createDirectories(directory.resolve("loaded-" + loads++));
            Files.writeString(group.resolve(editor.file().getFileName()), editor.text());
            return SpecLoader.load(group).spec();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The group's name, then a line per cluster: "main@dc1: pg1 medium, pg2, pg3 4cpu/16.0GB/200GB". */
    private List<String> summary(ConfigEditor editor) {
        GroupSpec spec = load(editor);
        return Stream.concat(Stream.of(spec.name()), spec.clusters().stream().map(ConfigEditorTest::summary)).toList();
    }

    private static String summary(ClusterSpec cluster) {
        return cluster.name() + "@" + (cluster.location() == null ? "-" : cluster.location()) + ": "
                + cluster.nodes().stream().map(node -> node.name() + (node.size() == null ? ""
                        : node.size().cpus() != null ? " " + node.size().cpus() + "cpu/" + node.size().memoryGb() + "GB/"
                        + node.size().diskGb() + "GB" : " " + node.size().name()))
                        .collect(Collectors.joining(", "));
    }

    /** Everything but the name and the clusters, which no edit of the clusters may change. */
    private List<Object> settings(ConfigEditor editor) {
        GroupSpec spec = load(editor);
        return java.util.Arrays.asList(spec.platform(), spec.postgres(), spec.defaults(), spec.access());
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable edit, String message) {
        assertThatThrownBy(edit).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
