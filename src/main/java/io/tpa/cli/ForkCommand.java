package io.tpa.cli;

import io.tpa.model.Json;
import io.tpa.operation.fork.Fork;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "fork", mixinStandardHelpOptions = true, description = {
        "Fork a replica into a new group: NODE leaves its group and becomes the primary of a new, independent group in NEWDIR "
                + "(its own config, history, secrets and CA), with the data as of the fork, writable, on a new timeline.",
        "The source group keeps running with one replica fewer; its config and history say so. Refused for a primary "
                + "(switch over first) and for an unhealthy group. Killed half-way, running it again finishes it."})
final class ForkCommand implements Runnable {
    @Mixin
    GroupArgument group;

    @Parameters(index = "1", paramLabel = "NODE", description = "The replica that leaves the group and leads the new one.")
    String node;

    @Option(names = "--into", required = true, paramLabel = "NEWDIR", description = "The new group's directory (new or empty).")
    Path into;

    @Option(names = "--name", paramLabel = "NEW", description = "The new group's name (default: <group>-<node>).")
    String name;

    @Option(names = "--dry-run", description = "Check and say what would happen; change nothing.")
    boolean dryRun;

    @Mixin
    JsonOption output;

    @Override
    public void run() {
        Fork.Result result = Fork.run(group.directory, node, into, name, dryRun, ReplicaCommand.listener(output));
        if (output.json) {
            System.out.print(Json.write(result));
        } else if (result.dryRun()) {
            System.out.printf("Would fork %s out of group %s into %s as group %s:%n", result.node(), result.sourceGroup(), result.into(),
                    result.group());
            for (int step = 0; step < result.steps().size(); step++) {
                System.out.printf("  %d. %s%n", step + 1, result.steps().get(step));
            }
            if (result.sourcePlan() != null) {
                PlanCommand.print(result.sourcePlan(), false);
            }
        } else if (result.changes() == 0) {
            System.out.printf("Nothing to do: %s already left group %s and leads group %s in %s%s (%.1f s).%n", result.node(),
                    result.sourceGroup(), result.group(), result.into(), result.timeline() == null ? "" : " on timeline " + result.timeline(),
                    result.seconds());
        } else {
            System.out.printf("%s left group %s and leads group %s in %s%s; done in %.1f s.%n", result.node(), result.sourceGroup(),
                    result.group(), result.into(), result.timeline() == null ? "" : " on timeline " + result.timeline(), result.seconds());
        }
    }
}
