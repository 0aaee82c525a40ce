package io.tpa.cli;

import io.tpa.model.Json;
import io.tpa.operation.status.GroupStatus;
import io.tpa.operation.status.Status;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", mixinStandardHelpOptions = true, description = {"Show every node's role, state, timeline and replication lag.",
        "Exit code 1 only when a cluster has no running primary."})
final class StatusCommand implements Callable<Integer> {
    @Mixin
    GroupArgument group;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        GroupStatus status = Status.of(group.directory);
        if (output.json) {
            System.out.print(Json.write(status));
        } else {
            System.out.println("Group " + status.name());
            for (GroupStatus.ClusterStatus cluster : status.clusters()) {
                System.out.println("Cluster " + cluster.name() + " (" + cluster.location() + ")");
                System.out.printf("  %-10s %-15s %-10s %-20s %-8s %s%n", "NODE", "ROLE", "STATE", "HOST", "TIMELINE", "LAG");
                for (GroupStatus.NodeStatus node : cluster.nodes()) {
                    System.out.printf("  %-10s %-15s %-10s %-20s %-8s %s%n", node.name(), node.role(), node.state(),
                            node.host() + ":" + node.port(), node.timeline() == null ? "-" : node.timeline(),
                            node.lagBytes() == null ? "-" : node.lagBytes() + " B");
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
                System.out.println("Backups in " + backups.repository() + ": " + (backups.newest() == null ? "none yet (take one with `tpa backup "
                        + group.directory + "`)" : backups.backups() + ", newest " + backups.newest() + " (" + backups.newestType() + ", "
                        + age(backups.newestAgeSeconds()) + " ago)") + "; archiving " + (backups.archiving() == null ? "works"
                        : "FAILS: " + backups.archiving()));
            }
            status.warnings().forEach(warning -> System.out.println("Warning: " + warning));
        }
        return status.healthy() ? 0 : 1;
    }

    static String age(long seconds) {
        return seconds < 120 ? seconds + " s" : seconds < 7200 ? seconds / 60 + " min" : seconds < 172800 ? seconds / 3600 + " h"
                : seconds / 86400 + " days";
    }
}
