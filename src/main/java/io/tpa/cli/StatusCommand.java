package io.tpa.cli;

import io.tpa.model.Json;
import io.tpa.operation.status.GroupStatus;
import io.tpa.operation.status.Status;
import io.tpa.operation.status.StatusWatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true, description = {"Show every node's role, state, timeline and replication lag.",
        "Exit code 1 only when a cluster has no running primary."})
final class StatusCommand implements Callable<Integer> {
    @Mixin
    GroupArgument group;

    @Mixin
    JsonOption output;

    @Option(names = "--watch", arity = "0..1", fallbackValue = "2", paramLabel = "SECONDS",
            description = "Refresh every SECONDS (default 2) until interrupted (Ctrl-C), with every node's transactions per second "
                    + "(TPS: commits and rollbacks since the refresh before). With --json, one JSON object per refresh and line.")
    Integer watch;

    @Override
    public Integer call() throws InterruptedException {
        if (watch != null) {
            if (watch < 1) {
                throw new io.tpa.error.UserError("--watch " + watch + ": refresh every 1 second or more");
            }
            new StatusWatch(group.directory).run(java.time.Duration.ofSeconds(watch), frame -> {
                if (output.json) {
                    System.out.println(Json.JSON.createObjectNode().put("time", frame.time().toString())
                            .<com.fasterxml.jackson.databind.node.ObjectNode>set("status", Json.JSON.valueToTree(frame.status()))
                            .set("tps", Json.JSON.valueToTree(frame.tps())).toString());
                } else {
                    System.out.print("\033[H\033[2J"); // home and clear: the terminal shows one frame
                    System.out.println(frame.time().toString().substring(0, 19).replace('T', ' ') + " UTC, every " + watch + " s (Ctrl-C ends)");
                    render(frame.status(), frame.tps());
                }
                System.out.flush();
            });
            return 0;
        }
        GroupStatus status = Status.of(group.directory);
        if (output.json) {
            System.out.print(Json.write(status));
        } else {
            render(status, null);
        }
        return status.healthy() ? 0 : 1;
    }

    static String age(long seconds) {
        return seconds < 120 ? seconds + " s" : seconds < 7200 ? seconds / 60 + " min" : seconds < 172800 ? seconds / 3600 + " h"
                : seconds / 86400 + " days";
    }

    /** The status as text; with {@code tps} (a watch), a TPS column. */
    private static void render(GroupStatus status, java.util.Map<String, Double> tps) {
        String row = tps == null ? "  %-10s %-15s %-10s %-20s %-8s %s%s%n" : "  %-10s %-15s %-10s %-20s %-8s %-12s%s%n";
        System.out.println("Group " + status.name());
        for (GroupStatus.ClusterStatus cluster : status.clusters()) {
            System.out.println("Cluster " + cluster.name() + " (" + cluster.location() + ")");
            System.out.printf(row, "NODE", "ROLE", "STATE", "HOST", "TIMELINE", "LAG",
                    tps == null ? "" : " TPS");
            for (GroupStatus.NodeStatus node : cluster.nodes()) {
                String rate = tps == null ? "" : " " + (tps.containsKey(node.name()) ? String.format(java.util.Locale.ROOT, "%.1f", tps.get(node.name())) : "-");
                System.out.printf(row, node.name(), node.role(), node.state(),
                        node.host() + ":" + node.port(), node.timeline() == null ? "-" : node.timeline(),
                        node.lagBytes() == null ? "-" : node.lagBytes() + " B", rate);
            }
            if (!cluster.hasPrimary()) {
                System.out.println("  NO RUNNING PRIMARY: writes are not possible; see the Patroni logs of the nodes.");
            }
        }
        if (status.endpoints() != null) {
            System.out.println("Endpoints on every node: " + status.endpoints().ports().entrySet().stream()
                    .map(e -> e.getKey().replace('_', ' ') + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", ")));
            for (io.tpa.operation.status.EndpointsStatus.NodeEndpoints node : status.endpoints().nodes()) {
                System.out.printf("  %-10s %-20s %s%n", node.name(), node.host(), node.down().isEmpty() ? "accepting"
                        : "NOT ACCEPTING on " + node.down().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                        + "; see its logs (haproxy.log, pgbouncer.log), then `tpa apply`");
            }
        }
        if (status.backups() != null) {
            io.tpa.operation.status.BackupStatus backups = status.backups();
            System.out.println("Backups in " + backups.repository() + ": " + (backups.newest() == null ? "none yet (take one with `tpa backup DIR`)"
                    : backups.backups() + ", newest " + backups.newest() + " (" + backups.newestType() + ", " + age(backups.newestAgeSeconds())
                    + " ago)") + "; archiving " + (backups.archiving() == null ? "works" : "FAILS: " + backups.archiving()));
        }
        status.warnings().forEach(warning -> System.out.println("Warning: " + warning));
    }
}
