package io.tpa.cli;

import io.tpa.error.UserError;
import io.tpa.model.Json;
import io.tpa.operation.destroy.Destroy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "destroy", mixinStandardHelpOptions = true, description = "Remove the group: stop every service, delete every data directory, free its addresses. "
        + "The config and its history stay.")
final class DestroyCommand implements Runnable {
    @Mixin
    GroupArgument group;

    @Mixin
    JsonOption output;

    @Option(names = "--yes", description = "Confirm: without it, destroy only lists what it would remove.")
    boolean yes;

    @Option(names = "--delete-backups", description = "Delete the group's backup repository too; without it, the backups stay.")
    boolean deleteBackups;

    @Override
    public void run() {
        if (!yes) {
            Destroy.Removal removal = Destroy.describe(group.directory, deleteBackups);
            System.err.println("tpa destroy would remove group " + removal.group() + ":");
            System.err.println("  services:  " + String.join(", ", removal.services()));
            System.err.println("  data:      " + removal.baseDirectory() + " (every database, WAL and log of the group)");
            System.err.println("  addresses: " + removal.addresses().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", ")));
            if (removal.backups() != null) {
                System.err.println("  backups:   " + removal.backups() + (removal.backupsDeleted() ? " (deleted)" : " (kept; add --delete-backups to delete them)"));
            }
            throw new UserError("nothing removed; run `tpa destroy " + group.directory + " --yes` to remove the group");
        }
        Destroy.Removal removal = Destroy.run(group.directory, deleteBackups);
        System.out.print(output.json ? Json.write(removal)
                : "Destroyed group " + removal.group() + ": services stopped, " + removal.baseDirectory() + " removed, addresses freed"
                + (removal.backups() == null ? "" : removal.backupsDeleted() ? ", backups in " + removal.backups() + " deleted"
                : "; the backups stay in " + removal.backups() + (removal.backups().startsWith("s3://")
                ? " (delete them with the store's tools)" : " (delete them with rm -r)")) + ".\n");
    }
}
