package io.tpa.cli;

import io.tpa.operation.replica.Replicas;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "replica", mixinStandardHelpOptions = true, description = "Add or remove replicas (a config edit, then apply).",
        subcommands = {ReplicaCommand.Add.class, ReplicaCommand.Remove.class})
final class ReplicaCommand {
    @Command(name = "add", mixinStandardHelpOptions = true, description = {
            "Add a replica: tpa.yml gains the node, then apply clones it from the primary and it joins streaming.",
            "No other node restarts."})
    static final class Add implements Runnable {
        @Mixin
        GroupArgument group;

        @Mixin
        JsonOption output;

        @Option(names = "--cluster", description = "The cluster (default: the primary cluster).")
        String cluster;

        @Option(names = "--name", description = "The node's name (default: the next free pgN).")
        String name;

        @Option(names = "--size", description = "A size from the catalog (default: the group's default size).")
        String size;

        @Option(names = "--host", description = "On the ssh platform (required there): the address or DNS name of the server it runs on.")
        String host;

        @Option(names = "--trust-new-hosts", description = "On the ssh platform: accept the host key of a server not in the group's "
                + "known_hosts yet, and record it there (trust on first use).")
        boolean trustNewHosts;

        @Option(names = "--dry-run", description = "Show the config change and the plan; change nothing.")
        boolean dryRun;

        @Override
        public void run() {
            ConfigChangeOutput.print(Replicas.add(group.directory, new Replicas.NewReplica(cluster, name, size, host), trustNewHosts, dryRun,
                    listener(output)), output.json);
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = {
            "Remove a replica: tpa.yml loses the node, then apply stops it, drops its replication slot, deletes its data and "
                    + "address, and adjusts etcd's membership without losing quorum.",
            "Removing a primary is refused: switch over first."})
    static final class Remove implements Runnable {
        @Mixin
        GroupArgument group;

        @Parameters(index = "1", paramLabel = "NODE", description = "The replica to remove.")
        String node;

        @Mixin
        JsonOption output;

        @Option(names = {"-y", "--yes"}, description = "Confirm the removal of the node and its data.")
        boolean yes;

        @Option(names = "--dry-run", description = "Show the config change and the plan; change nothing.")
        boolean dryRun;

        @Override
        public void run() {
            ConfigChangeOutput.print(Replicas.remove(group.directory, node, yes, dryRun, listener(output)), output.json);
        }
    }

    static io.tpa.operation.apply.ApplyListener listener(JsonOption output) {
        return output.json ? new ApplyCommand.JsonEvents() : new ApplyCommand.ProgressLines();
    }
}
