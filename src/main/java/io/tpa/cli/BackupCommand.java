package io.tpa.cli;

import io.tpa.model.Json;
import io.tpa.operation.backup.Backup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "backup", mixinStandardHelpOptions = true, description = {
        "Take a backup of the group into its pgBackRest repository (`backup:` in tpa.yml), showing its progress.",
        "The files are copied from a streaming replica when one runs on the primary's server, else from the primary. "
                + "`tpa backups DIR` lists the backups; `tpa restore` restores them."})
final class BackupCommand implements Runnable {
    @Mixin
    GroupArgument group;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "full",
            description = "full (everything), diff (what changed since the last full backup) or incr (since the last backup of any type); "
                    + "default: ${DEFAULT-VALUE}.")
    String type;

    @Mixin
    JsonOption output;

    @Override
    public void run() {
        Backup.Result result = Backup.run(group.directory, type, ReplicaCommand.listener(output));
        if (output.json) {
            System.out.print(Json.write(result));
            return;
        }
        System.out.printf("Backup %s (%s) of group %s done in %.1f s: %s of database, %s in the repository, copied from %s; "
                        + "restorable from %s.%n", result.backup().label(), result.backup().type(), result.group(), result.seconds(),
                BackupsCommand.bytes(result.backup().databaseBytes()), BackupsCommand.bytes(result.backup().repositoryBytes()),
                result.copiedFrom(), result.backup().stop());
    }
}
