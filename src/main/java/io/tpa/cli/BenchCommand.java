package io.tpa.cli;

import io.tpa.model.Json;
import io.tpa.operation.bench.Bench;
import io.tpa.operation.bench.BenchResult;
import io.tpa.operation.bench.BenchResult.Figure;
import io.tpa.operation.bench.BenchResult.NodeRun;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, description = {
        "Measure a running group: pgbench's read-write run on the primary (TPS, latency p50/p95/p99) with the replicas' largest "
                + "replication lag under it, a select-only run on each replica, each node's fsync rate (pg_test_fsync) and the round "
                + "trip of a query between nodes. Each figure is compared with the range expected for the node's size and machine; "
                + "a low one is flagged with its likely cause.",
        "Every run is kept as DIR/bench/<started>.json and committed; --history draws TPS and p95 latency over the runs as "
                + "DIR/bench/history.svg. Low figures do not change the exit code. See docs/verification.md."})
final class BenchCommand implements Callable<Integer> {
    @Mixin
    GroupArgument group;

    @Mixin
    JsonOption output;

    @Option(names = "--duration", paramLabel = "S", defaultValue = "30", description = "Seconds each pgbench run lasts (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "4", description = "pgbench clients on the primary and on each replica (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--scale", paramLabel = "N", defaultValue = "10",
            description = "pgbench's scale factor: 100,000 accounts, about 16 MB, per unit (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--history", description = "Run nothing: draw the kept runs' TPS and p95 latency as DIR/bench/history.svg and print its path.")
    boolean history;

    @Override
    public Integer call() {
        if (history) {
            Path chart = Bench.history(group.directory);
            System.out.println(output.json ? Json.write(java.util.Map.of("chart", chart.toString())) : chart.toString());
            return 0;
        }
        boolean console = System.console() != null;
        Bench.Listener listener = new Bench.Listener() {
            @Override
            public void step(String line) {
                System.err.println((console ? "\r\033[K" : "") + line);
            }

            @Override
            public void tick(String line) {
                if (console) {
                    System.err.print("\r\033[K      " + line);
                    System.err.flush();
                }
            }
        };
        BenchResult result = Bench.run(group.directory, new Bench.Options(duration, clients, scale), listener);
        if (console) {
            System.err.print("\r\033[K");
        }
        if (output.json) {
            System.out.print(Json.write(result));
        } else {
            print(result, System.out);
        }
        return 0;
    }

    static void print(BenchResult result, PrintStream out) {
        out.printf("Bench of group %s at %s: pgbench scale %d, %d clients, %d s per run%n", result.group(), result.started(), result.scale(),
                result.clients(), result.durationSeconds());
        for (NodeRun node : result.nodes()) {
            out.printf("  %s (%s): size %s (%d CPU, %s GB); machine %d CPU, %d MiB; expected from %d CPU%n", node.node(), node.role(), node.size(),
                    node.sizeCpus(), trim(node.sizeMemoryGb()), node.machine().cpus(), node.machine().memoryMb(), node.cpus());
        }
        out.println();
        int nodeWidth = Math.max(4, result.figures().stream().mapToInt(f -> f.node().length()).max().orElse(4));
        int nameWidth = result.figures().stream().mapToInt(f -> f.name().length()).max().orElse(10);
        int valueWidth = Math.max(5, result.figures().stream().mapToInt(f -> value(f).length()).max().orElse(5));
        String row = "%-4s  %-" + nodeWidth + "s  %-" + nameWidth + "s  %" + valueWidth + "s  %s";
        out.println(String.format(row, "", "node", "figure", "value", "expected").stripTrailing());
        for (Figure figure : result.figures()) {
            String expected = figure.expected() == null ? "" : (figure.higherIsBetter() ? ">= " : "<= ") + trim(figure.expected()) + " " + figure.unit();
            String mark = figure.low() ? "LOW" : figure.result().equals("ok") ? "ok" : "";
            out.println(String.format(row, mark, figure.node(), figure.name(), value(figure), expected).stripTrailing());
            if (figure.cause() != null) {
                out.println("      likely cause: " + figure.cause());
            }
        }
        out.println();
        out.println(result.lowCount() == 0 ? "Every figure is within its expected range." : result.lowCount() + " figure(s) below the expected range.");
    }

    private static String value(Figure figure) {
        return trim(figure.value()) + " " + figure.unit();
    }

    private static String trim(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : String.format(Locale.ROOT, "%s", value);
    }
}
