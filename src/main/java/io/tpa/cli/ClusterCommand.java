package io.tpa.cli;

import io.tpa.error.UserError;
import io.tpa.model.Json;
import io.tpa.operation.apply.Action;
import io.tpa.operation.apply.ApplyListener;
import io.tpa.operation.apply.ApplyResult;
import io.tpa.operation.apply.Plan;
import io.tpa.operation.cluster.Clusters;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cluster", mixinStandardHelpOptions = true, description = {
        "Standby clusters: add one, remove one, promote one in place of the primary cluster.",
        "Each edits tpa.yml, then converges the group like `tpa apply` (one line per step and node, committed)."},
        subcommands = {ClusterCommand.Add.class, ClusterCommand.Remove.class, ClusterCommand.Promote.class})
final class ClusterCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: add, remove or promote");
    }

    static ApplyListener listener(boolean json) {
        return json ? new ApplyCommand.JsonEvents() : new ApplyCommand.ProgressLines();
    }

    static void printResult(ApplyResult result, boolean json, String done, boolean healthChecked) {
        if (json) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("event", "result");
            event.put("group", result.group());
            event.put("changed", result.changed());
            event.put("changes", result.changes().size());
            event.put("seconds", ApplyCommand.round(result.seconds()));
            event.put("commit", result.commit());
            System.out.print(Json.JSON_LINE.apply(event));
        } else {
            System.out.printf("%s in %.1f s (%d change%s)%s.%n", done, result.seconds(), result.changes().size(),
                    result.changes().size() == 1 ? "" : "s", healthChecked ? "; the group is healthy" : "");
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {
            "Add a standby cluster: its standby leader clones from the primary cluster and streams from it through a "
                    + "slot the primary cluster keeps; its other nodes stream from the standby leader.",
            "Nodes are named pgN continuing the group's numbering (NAME-1, NAME-2, ... when the nodes are not named pgN)."})
    static final class Add implements Runnable {
        @Mixin
        GroupArgument group;

        @Mixin
        JsonOption output;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "The new cluster's name.")
        String name;

        @Option(names = "--location", paramLabel = "LOCATION", description = "Where it runs (default: the cluster's name).")
        String location;

        @Option(names = "--nodes", paramLabel = "N", defaultValue = "2", description = "How many nodes (default: ${DEFAULT-VALUE}).")
        int nodes;

        @Option(names = "--dry-run", description = "Print what apply would change with the cluster added; change nothing.")
        boolean dryRun;

        @Override
        public void run() {
            Clusters.Addition addition = Clusters.addition(group.directory, name, location, nodes);
            if (dryRun) {
                Plan plan = Clusters.planAdd(group.directory, addition);
                if (output.json) {
                    System.out.print(Json.write(Map.of("group", plan.group(), "cluster", addition.cluster(), "nodes", addition.nodes(),
                            "changes", plan.changes())));
                    return;
                }
                System.out.println("Adding cluster " + addition.cluster() + " (" + String.join(", ", addition.nodes()) + ") would make "
                        + plan.changes().size() + " change" + (plan.changes().size() == 1 ? "" : "s") + " to group " + plan.group() + ":");
                for (Action.Change change : plan.changes()) {
                    System.out.printf("  %s %-22s %-12s %s%n", change.destructive() ? "-" : "+", change.phase(), change.target(), change.action());
                }
                return;
            }
            ApplyResult result = Clusters.add(group.directory, addition, listener(output.json));
            printResult(result, output.json, "Added standby cluster " + addition.cluster() + " (" + String.join(", ", addition.nodes()) + ")", true);
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = {
            "Remove a standby cluster: stop its services, delete its data, free its addresses, delete its keys in etcd "
                    + "and the slot the primary cluster keeps for it.",
            "Refuses the primary cluster while standby clusters replicate from it: promote another one first."})
    static final class Remove implements Runnable {
        @Mixin
        GroupArgument group;

        @Parameters(index = "1", paramLabel = "CLUSTER", description = "The cluster to remove.")
        String cluster;

        @Mixin
        JsonOption output;

        @Option(names = "--yes", description = "Confirm: without it, remove only lists what it would remove.")
        boolean yes;

        @Override
        public void run() {
            Clusters.Removal removal = Clusters.removal(group.directory, cluster);
            if (!yes) {
                System.err.println("tpa cluster remove would remove cluster " + removal.cluster() + " of group " + removal.group() + ":");
                System.err.println("  services:  " + String.join(", ", removal.services()));
                System.err.println("  data:      " + String.join(", ", removal.directories()) + " (every database, WAL and log of its nodes)");
                System.err.println("  addresses: " + String.join(", ", removal.addresses()));
                System.err.println("  etcd keys: " + removal.etcdKeys());
                System.err.println("  slot:      " + removal.slot() + " on cluster " + removal.primaryCluster());
                throw new UserError("nothing removed; run `tpa cluster remove " + group.directory + " " + cluster + " --yes` to remove it");
            }
            ApplyResult result = Clusters.remove(group.directory, removal, listener(output.json));
            printResult(result, output.json, "Removed cluster " + removal.cluster() + " (" + String.join(", ", removal.nodes()) + ")", true);
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, description = {
            "Make a standby cluster the primary cluster (disaster recovery, or a planned move): its standby leader becomes a "
                    + "writable primary on a new timeline; the former primary cluster becomes its standby cluster.",
            "When the former primary cluster answers, it is demoted first and the promotion waits until its last WAL is "
                    + "replayed (no committed transaction lost). When it does not, it is recorded fenced: the next apply "
                    + "brings it back as a standby."})
    static final class Promote implements Runnable {
        @Mixin
        GroupArgument group;

        @Parameters(index = "1", paramLabel = "CLUSTER", description = "The standby cluster to promote.")
        String cluster;

        @Mixin
        JsonOption output;

        @Override
        public void run() {
            Clusters.Promotion promotion = Clusters.promotion(group.directory, cluster);
            if (!promotion.formerReachable() && !output.json) {
                System.out.println("Cluster " + promotion.formerPrimary() + " does not answer: it is fenced, and rejoins as a standby "
                        + "cluster at the next `tpa apply` once it is back.");
            }
            ApplyResult result = Clusters.promote(group.directory, promotion, listener(output.json));
            printResult(result, output.json, "Promoted cluster " + promotion.cluster() + " to primary cluster"
                    + (promotion.formerReachable() ? "; " + promotion.formerPrimary() + " is its standby cluster" : "; "
                    + promotion.formerPrimary() + " is fenced"), promotion.formerReachable());
        }
    }
}
