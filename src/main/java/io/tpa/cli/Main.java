package io.tpa.cli;

import io.tpa.error.UserError;
import io.tpa.wait.Wait;
import java.io.PrintWriter;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The `tpa` command: parses arguments, runs one operation, renders its result. */
@Command(name = "tpa",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Trusted PostgreSQL Architecture: highly available PostgreSQL cluster groups from a short config.",
        subcommands = {
                InitCommand.class, ShowCommand.class, PlanCommand.class, ApplyCommand.class, StatusCommand.class, TestCommand.class, BenchCommand.class, AuditCommand.class, LogsCommand.class, ReportCommand.class, CostCommand.class,
                PsqlCommand.class, ConnectStringCommand.class, SecretsCommand.class, RotateCertsCommand.class, SwitchoverCommand.class, ReplicaCommand.class, ResizeCommand.class, ClusterCommand.class, ForkCommand.class, BackupCommand.class, BackupsCommand.class, RestoreCommand.class, UpgradeCommand.class, DestroyCommand.class, UiCommand.class, VersionsCommand.class,
                AutoComplete.GenerateCompletion.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Show stack traces of errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command, for example `tpa apply DIR`");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs tpa with these arguments and returns its exit code (tests call this). */
    public static int execute(String... args) {
        CommandLine commandLine = commandLine();
        return commandLine.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            boolean debug = parseResult.hasMatchedOption("--debug")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--debug"));
            PrintWriter err = line.getErr();
            if (debug) {
                exception.printStackTrace(err);
            }
            if (exception instanceof UserError userError) {
                err.println("tpa: " + userError.getMessage());
                return userError.exitCode();
            }
            if (exception instanceof Wait.WaitTimeout) {
                err.println("tpa: " + exception.getMessage());
                return UserError.FAILED;
            }
            err.println("tpa: unexpected error: " + exception + (debug ? "" : " (run again with --debug for details)"));
            return UserError.FAILED;
        });
        commandLine.setParameterExceptionHandler((exception, args) -> {
            CommandLine line = exception.getCommandLine();
            line.getErr().println("tpa: " + exception.getMessage() + " (see `" + line.getCommandSpec().qualifiedName() + " --help`)");
            return UserError.BAD_INPUT;
        });
        return commandLine;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"tpa " + (version == null ? "development build" : version)};
        }
    }
}
