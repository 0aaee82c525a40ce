package io.tpa.cli;

import io.tpa.operation.secrets.Secrets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "secrets", mixinStandardHelpOptions = true, description = "Read the group's secrets, kept encrypted in DIR/secrets.enc: `tpa secrets show DIR ROLE`.",
        subcommands = {SecretsCommand.Show.class, CommandLine.HelpCommand.class})
final class SecretsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand, for example `tpa secrets show DIR app`");
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the password of one of the group's roles, and nothing else.")
    static final class Show implements Runnable {
        @Mixin
        GroupArgument group;

        @Parameters(index = "1", paramLabel = "ROLE", description = "The role: postgres, replicator, rewinder, tpa_monitor or app; or prometheus, the user Prometheus names to the exporters of a group with monitoring.")
        String role;

        @Override
        public void run() {
            System.out.println(Secrets.password(group.directory, role));
        }
    }
}
