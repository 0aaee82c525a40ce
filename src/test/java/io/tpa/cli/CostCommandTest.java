package io.tpa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `tpa cost` prints: every total is the sum of the lines shown, in text and in JSON, where amounts are strings. */
class CostCommandTest {
    @TempDir
    Path dir;

    @Test
    void theTextTotalsAreTheSumsOfTheLinesShown() throws IOException {
        group();
        Output output = run(dir.toString());
        assertThat(output.code).isZero();
        assertThat(output.out).contains("Group demo on aws (us-east-1), USD per month, priced from tpa.yml; prices read 2026-12-07")
                .contains("Group demo on gcp (us-central1)").contains("Group demo on azure (eastus)")
                .contains("Monthly total by place: aws ").contains("Note: transfer:");

        int tables = 0;
        BigDecimal clusterSum = BigDecimal.ZERO;
        BigDecimal groupSum = BigDecimal.ZERO;
        for (String line : output.out.lines().toList()) {
            List<String> cells = List.of(line.strip().split("\\s{2,}"));
            if (line.startsWith("  CLUSTER")) {
                tables++;
                clusterSum = BigDecimal.ZERO;
                groupSum = BigDecimal.ZERO;
            } else if (line.startsWith("  ") && cells.size() == 10) {
                // CLUSTER NODE ROLE INSTANCE COMPUTE STORAGE BACKUPS MONITORING TRANSFER TOTAL
                BigDecimal components = BigDecimal.ZERO;
                for (String amount : cells.subList(4, 9)) {
                    components = components.add(new BigDecimal(amount));
                }
                assertThat(new BigDecimal(cells.get(9))).as(line).isEqualTo(components);
                clusterSum = clusterSum.add(components);
            } else if (line.startsWith("  ") && cells.size() == 3 && cells.get(1).equals("total") && !cells.get(0).equals("group")) {
                assertThat(new BigDecimal(cells.get(2))).as(line).isEqualTo(clusterSum);
                groupSum = groupSum.add(clusterSum);
                clusterSum = BigDecimal.ZERO;
            } else if (line.startsWith("  group")) {
                assertThat(new BigDecimal(cells.get(2))).as(line).isEqualTo(groupSum);
            }
        }
        assertThat(tables).isEqualTo(3);
    }

    @Test
    void theJsonHasTheSameStructureWithAmountsAsDecimalStrings() throws IOException {
        group();
        Output output = run(dir.toString(), "--cloud", "gcp", "--json");
        assertThat(output.code).isZero();
        JsonNode estimate = Json.JSON.readTree(output.out).get("estimates").get(0);
        assertThat(estimate.get("cloud").asText()).isEqualTo("gcp");
        assertThat(estimate.get("prices_read").asText()).isEqualTo("2026-12-07");
        BigDecimal group = BigDecimal.ZERO;
        for (JsonNode cluster : estimate.get("clusters")) {
            BigDecimal clusterSum = BigDecimal.ZERO;
            for (JsonNode node : cluster.get("nodes")) {
                assertThat(node.get("instance").asText()).isEqualTo("e2-small");
                BigDecimal nodeSum = BigDecimal.ZERO;
                for (JsonNode line : node.get("lines")) {
                    assertThat(line.get("amount").isTextual()).as("amounts are decimal strings").isTrue();
                    nodeSum = nodeSum.add(new BigDecimal(line.get("amount").asText()));
                }
                assertThat(new BigDecimal(node.get("total").asText())).isEqualTo(nodeSum);
                clusterSum = clusterSum.add(nodeSum);
            }
            assertThat(new BigDecimal(cluster.get("total").asText())).isEqualTo(clusterSum);
            group = group.add(clusterSum);
        }
        assertThat(new BigDecimal(estimate.get("total").asText())).isEqualTo(group);
    }

    @Test
    void whatIfPrintsTodayPlannedAndTheDifferenceByLine() throws IOException {
        group();
        Files.writeString(dir.resolve("tpa.yml"), Files.readString(dir.resolve("tpa.yml")).replace("size: small", "size: medium"));
        Output output = run(dir.toString(), "--cloud", "azure", "--what-if");
        assertThat(output.code).isZero();
        assertThat(output.out).contains("today (deployment.json: not deployed) and planned (tpa.yml)")
                .contains("added: Standard_D2s_v5").contains("Note: not deployed yet (no deployment.json): today's cost is 0");
        List<String> totals = new ArrayList<>(List.of(output.out.lines().filter(line -> line.startsWith("  group")).findFirst()
                .orElseThrow().strip().split("\\s+")));
        // group total TODAY PLANNED DIFFERENCE
        assertThat(new BigDecimal(totals.get(4))).isEqualTo(new BigDecimal(totals.get(3)).subtract(new BigDecimal(totals.get(2))));
    }

    @Test
    void aBadPricingFileIsOneLineAndExitCode2() throws IOException {
        group();
        Files.writeString(dir.resolve("pricing.yml"), "onprem:\n  per_vcpu_month: lots\n");
        Output output = run(dir.toString(), "--cloud", "onprem");
        assertThat(output.code).isEqualTo(2);
        assertThat(output.err).startsWith("tpa: " + dir.resolve("pricing.yml") + ":2:3: onprem.per_vcpu_month: 'lots' is not a decimal amount")
                .hasLineCount(1);
        assertThat(output.out).isEmpty();
    }

    private void group() throws IOException {
        Files.writeString(dir.resolve("tpa.yml"), """
                name: demo
                defaults:
                  size: small
                clusters:
                  - name: main
                    nodes: [{name: pg1}, {name: pg2}]
                  - name: dr
                    nodes: [{name: dr1}]
                """);
    }

    private record Output(int code, String out, String err) {
    }

    private static Output run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            List<String> all = new ArrayList<>(List.of("cost"));
            all.addAll(List.of(args));
            int code = Main.commandLine().setErr(new java.io.PrintWriter(System.err, true)).execute(all.toArray(String[]::new));
            return new Output(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
