package io.tpa.cli;

import io.tpa.operation.resize.Resize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "resize", mixinStandardHelpOptions = true, description = {
        "Change the size of a node, or of every node of a cluster (a config edit, then apply).",
        "Size-derived parameters roll out replicas first; a primary that needs a restart hands over to a restarted replica "
                + "instead, so writes pause for one switchover at most."})
final class ResizeCommand implements Runnable {
    @Mixin
    GroupArgument group;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NODE", description = "The node to resize.")
    String node;

    @Option(names = "--cluster", description = "Resize every node of this cluster.")
    String cluster;

    @Option(names = "--size", required = true, description = "A size from the catalog (see docs/reference/config.md).")
    String size;

    @Option(names = "--dry-run", description = "Show the config change and the plan; change nothing.")
    boolean dryRun;

    @Mixin
    JsonOption output;

    @Override
    public void run() {
        Resize.Outcome outcome = Resize.run(group.directory, node, cluster, size, dryRun, ReplicaCommand.listener(output));
        ConfigChangeOutput.print(outcome.change(), output.json);
        if (!output.json) {
            outcome.notes().forEach(note -> System.out.println("Note: " + note + "."));
        }
    }
}
