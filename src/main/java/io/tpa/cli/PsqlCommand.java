package io.tpa.cli;

import io.tpa.operation.connect.Connect;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "psql", mixinStandardHelpOptions = true, description = "Run psql on a node of the group with the right credentials. Arguments after -- go to psql.")
final class PsqlCommand implements Callable<Integer> {
    @Mixin
    GroupArgument group;

    @Option(names = "--node", description = "The node to connect to.")
    String node;

    @Option(names = "--role", defaultValue = "primary", description = "primary, replica or any (default: ${DEFAULT-VALUE}).")
    String role;

    @Parameters(index = "1..*", paramLabel = "PSQL_ARGS", description = "Arguments for psql, after --.")
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() {
        return Connect.psql(group.directory, node, ConnectStringCommand.role(role), arguments);
    }
}
