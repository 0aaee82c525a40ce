package io.tpa.cli;

import io.tpa.model.Json;
import io.tpa.operation.show.Show;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "show", mixinStandardHelpOptions = true, description = "Print the group's config with every default filled in.")
final class ShowCommand implements Runnable {
    @Mixin
    GroupArgument group;

    @Mixin
    JsonOption output;

    @Override
    public void run() {
        var resolved = Show.resolved(group.directory);
        System.out.print(output.json ? Json.write(resolved) : Json.writeYaml(resolved));
    }
}
