package io.tpa.cli;

import io.tpa.model.Json;
import io.tpa.operation.upgrade.Upgrade;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "upgrade", mixinStandardHelpOptions = true, description = {
        "Rolling minor upgrade: bring every node to the newest versions of its packages that its release's "
                + "repositories offer.",
        "Replicas first, one at a time, each streaming again before the next; then a switchover to an upgraded "
                + "replica (writes pause for that one switchover) and the former primary last. The history names the "
                + "versions before and after."})
final class UpgradeCommand implements Runnable {
    @Mixin
    GroupArgument group;

    @Mixin
    JsonOption output;

    @Option(names = "--dry-run", description = "Say which packages would change and in which order; change nothing.")
    boolean dryRun;

    @Override
    public void run() {
        Upgrade.Result result = Upgrade.run(group.directory, dryRun,
                output.json ? new ApplyCommand.JsonEvents() : new ApplyCommand.ProgressLines());
        if (output.json) {
            System.out.print(Json.write(result));
            return;
        }
        if (result.upToDate()) {
            System.out.printf("Group %s runs the newest packages its hosts' repositories offer; nothing to upgrade.%n", result.group());
            return;
        }
        for (Upgrade.HostUpgrade host : result.hosts()) {
            if (!host.changes().isEmpty()) {
                System.out.printf("%s (%s):%n", host.host(), String.join(", ", host.nodes()));
                host.changes().forEach(change -> System.out.printf("  %s%n", change));
            }
        }
        if (result.dryRun()) {
            System.out.println("Would upgrade, in this order:");
            result.steps().forEach(step -> System.out.printf("  %s%n", step));
        } else {
            System.out.printf("Upgraded group %s in %.1f s.%n", result.group(), result.seconds());
        }
    }
}
