package io.tpa.cli;

import io.tpa.model.Json;
import io.tpa.operation.switchover.Switchover;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "switchover", mixinStandardHelpOptions = true, description = {
        "Move a cluster's primary role to a replica with no committed transaction lost.",
        "Without --to: the promotable replica that streams and is least behind. Refuses a target that is down, "
                + "not streaming, lagging more than 1 MiB, not a member, or marked promotable: false."})
final class SwitchoverCommand implements Runnable {
    @Mixin
    GroupArgument group;

    @Mixin
    JsonOption output;

    @Option(names = "--cluster", description = "The cluster (default: the primary cluster).")
    String cluster;

    @Option(names = "--to", paramLabel = "NODE", description = "The replica to promote.")
    String target;

    @Option(names = "--dry-run", description = "Check and say what would happen; change nothing.")
    boolean dryRun;

    @Override
    public void run() {
        Switchover.Result result = Switchover.run(group.directory, cluster, target, dryRun,
                output.json ? new ApplyCommand.JsonEvents() : new ApplyCommand.ProgressLines());
        if (output.json) {
            System.out.print(Json.write(result));
        } else if (result.dryRun()) {
            System.out.printf("Would switch cluster %s over from %s to %s.%n", result.cluster(), result.from(), result.to());
        } else {
            System.out.printf("Cluster %s switched over from %s to %s in %.1f s.%n", result.cluster(), result.from(), result.to(), result.seconds());
        }
    }
}
