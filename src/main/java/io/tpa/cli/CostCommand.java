package io.tpa.cli;

import io.tpa.model.Json;
import io.tpa.operation.cost.Amounts;
import io.tpa.operation.cost.ClusterCost;
import io.tpa.operation.cost.Cost;
import io.tpa.operation.cost.CostLine;
import io.tpa.operation.cost.CostReport;
import io.tpa.operation.cost.Estimate;
import io.tpa.operation.cost.NodeCost;
import io.tpa.operation.cost.WhatIf;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cost", mixinStandardHelpOptions = true, description = {
        "Print the group's monthly cost by cluster, node and component (compute, storage, backups, monitoring, transfer), "
                + "with the instance type chosen for each node and the day the prices were read. Reads only the group's files.",
        "Without --cloud: AWS, GCP and Azure side by side, and on premises when the group directory has a pricing.yml. "
                + "See docs/pricing.md."})
final class CostCommand implements Runnable {
    @Mixin
    GroupArgument group;

    @Option(names = "--cloud", paramLabel = "CLOUD", completionCandidates = Clouds.class,
            description = "aws, gcp, azure or onprem (rates from DIR/pricing.yml). Default: the three clouds side by side.")
    String cloud;

    @Option(names = "--what-if", description = "Price what `tpa plan` would deploy (tpa.yml) beside what runs today "
            + "(deployment.json), line by line, with the difference.")
    boolean whatIf;

    @Mixin
    JsonOption output;

    static final class Clouds extends ArrayList<String> {
        Clouds() {
            super(Cost.CLOUDS);
        }
    }

    @Override
    public void run() {
        CostReport report = Cost.run(group.directory, cloud, whatIf);
        if (output.json) {
            System.out.print(Json.write(report));
        } else {
            print(report, System.out);
        }
    }

    static void print(CostReport report, PrintStream out) {
        for (Estimate estimate : report.estimates()) {
            print(report.group(), estimate, out);
            out.println();
        }
        for (WhatIf whatIf : report.whatIfs()) {
            print(report.group(), whatIf, out);
            out.println();
        }
        if (report.estimates().size() > 1) {
            out.println("Monthly total by place: " + String.join(", ", report.estimates().stream()
                    .map(estimate -> estimate.cloud() + " " + estimate.total().toPlainString() + " " + estimate.currency()).toList()));
        }
        report.notes().forEach(note -> out.println("Note: " + note));
    }

    private static void print(String group, Estimate estimate, PrintStream out) {
        out.println("Group " + group + " on " + estimate.cloud() + " (" + estimate.region() + "), " + estimate.currency()
                + " per month, priced from " + estimate.basis() + "; prices read " + estimate.pricesRead() + " ("
                + estimate.pricesFrom() + ")");
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("CLUSTER", "NODE", "ROLE", "INSTANCE"));
        CostLine.COMPONENTS.forEach(component -> header.add(component.toUpperCase(java.util.Locale.ROOT)));
        header.add("TOTAL");
        rows.add(header);
        for (ClusterCost cluster : estimate.clusters()) {
            for (NodeCost node : cluster.nodes()) {
                List<String> row = new ArrayList<>(List.of(cluster.name(), node.name(), node.role(), node.instance()));
                CostLine.COMPONENTS.forEach(component -> row.add(node.line(component).amount().toPlainString()));
                row.add(node.total().toPlainString());
                rows.add(row);
            }
            rows.add(totalRow(header.size(), cluster.name(), "total", cluster.total()));
        }
        rows.add(totalRow(header.size(), "group", "total", estimate.total()));
        table(rows, 4, out);
    }

    private static void print(String group, WhatIf whatIf, PrintStream out) {
        out.println("Group " + group + " on " + whatIf.cloud() + " (" + whatIf.region() + "), " + whatIf.currency()
                + " per month: today (deployment.json" + (whatIf.deployed() ? "" : ": not deployed") + ") and planned (tpa.yml); "
                + "prices read " + whatIf.pricesRead());
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("CLUSTER", "NODE", "COMPONENT", "TODAY", "PLANNED", "DIFFERENCE", "CHANGE"));
        for (WhatIf.Change line : whatIf.lines()) {
            if (line.today().signum() == 0 && line.planned().signum() == 0 && line.change() == null) {
                continue;
            }
            rows.add(List.of(line.cluster(), line.node(), line.component(), line.today().toPlainString(), line.planned().toPlainString(),
                    Amounts.signed(line.difference()), line.change() == null ? "" : line.change()));
        }
        rows.add(List.of("group", "total", "", whatIf.today().toPlainString(), whatIf.planned().toPlainString(),
                Amounts.signed(whatIf.difference()), ""));
        table(rows, 3, out);
        out.println("(lines that are 0 today and planned are not shown)");
    }

    private static List<String> totalRow(int width, String first, String second, BigDecimal total) {
        List<String> row = new ArrayList<>(List.of(first, second));
        while (row.size() < width - 1) {
            row.add("");
        }
        row.add(total.toPlainString());
        return row;
    }

    /** Columns from firstAmount on are amounts: right-aligned. */
    private static void table(List<List<String>> rows, int firstAmount, PrintStream out) {
        int[] widths = new int[rows.get(0).size()];
        rows.forEach(row -> {
            for (int column = 0; column < row.size(); column++) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        });
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int column = 0; column < row.size(); column++) {
                boolean amount = column >= firstAmount && !rows.get(0).get(column).equals("CHANGE");
                String format = "%" + (amount ? "" : "-") + widths[column] + "s  ";
                line.append(String.format(format, row.get(column)));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
