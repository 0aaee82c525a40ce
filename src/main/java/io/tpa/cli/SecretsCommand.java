package io.tpa.cli;

import io.tpa.operation.secrets.Secrets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "secrets", mixinStandardHelpOptions = true, description = "Read the group's secrets, kept encrypted in DIR/secrets.enc: `tpa secrets show DIR ROLE`; "
        + "set the ones tpa cannot generate: `tpa secrets set DIR NAME` (the value from standard input).",
        subcommands = {SecretsCommand.Show.class, SecretsCommand.Set.class, CommandLine.HelpCommand.class})
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

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Keep a secret tpa cannot generate in DIR/secrets.enc, read from standard input "
            + "(one line; never from the command line): backup.s3_key_id and backup.s3_key_secret, the keys of an S3 backup repository. "
            + "The next `tpa apply` writes it where pgBackRest reads it.")
    static final class Set implements Runnable {
        @Mixin
        GroupArgument group;

        @Parameters(index = "1", paramLabel = "NAME", description = "The secret: backup.s3_key_id or backup.s3_key_secret.")
        String name;

        @Override
        public void run() {
            String value;
            try {
                value = new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new io.tpa.error.UserError("cannot read standard input: " + e.getMessage());
            }
            boolean changed = Secrets.set(group.directory, name, value);
            System.out.println((changed ? "Set " : "Unchanged: ") + name + " in " + group.directory.resolve("secrets.enc")
                    + (changed ? "; run `tpa apply " + group.directory + "` to use it" : ""));
        }
    }
}
