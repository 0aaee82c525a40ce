package io.tpa.cli;

import io.tpa.model.Json;
import io.tpa.operation.restore.Restore;
import io.tpa.operation.restore.RestoreInPlace;
import io.tpa.operation.restore.RestoreTarget;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "restore", mixinStandardHelpOptions = true, description = {
        "Restore the group's backups into a new group (--into) or in place (--in-place --yes): NEWDIR gets its own config (the primary cluster, renamed), history, secrets "
                + "and CA, and its data is the source's as of --time, --lsn or --latest, writable on a new timeline.",
        "pgBackRest restores the last backup that ended before the target, and PostgreSQL replays the source's archived WAL up to "
                + "it. The source is only read (one WAL switch archives what it committed until now). Killed half-way, running it "
                + "again finishes it."})
final class RestoreCommand implements Runnable {
    @Mixin
    GroupArgument group;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Point point;

    static final class Point {
        @Option(names = "--time", paramLabel = "TIME", description = "Restore to this time, ISO-8601 with a zone: 2026-12-07T10:15:00Z.")
        String time;

        @Option(names = "--lsn", paramLabel = "LSN", description = "Restore to this WAL position, such as 0/5000138.")
        String lsn;

        @Option(names = "--latest", description = "Restore everything archived.")
        boolean latest;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Destination destination;

    static final class Destination {
        @Option(names = "--into", paramLabel = "NEWDIR", description = "Restore into a new group in this directory (new or empty).")
        Path into;

        @Option(names = "--in-place", description = "Take this group's own data back to the target: what was committed after it is lost, "
                + "every node stops meanwhile, and the current data stays aside until the next successful backup. Needs --yes.")
        boolean inPlace;
    }

    @Option(names = "--yes", description = "With --in-place: confirm the loss that a run without it (or --dry-run) describes.")
    boolean yes;

    @Option(names = "--name", paramLabel = "NEW", description = "The new group's name (default: <group>-restored).")
    String name;

    @Option(names = "--dry-run", description = "Check the target against the backups and say what would happen; change nothing.")
    boolean dryRun;

    @Mixin
    JsonOption output;

    @Override
    public void run() {
        RestoreTarget target = point.time != null ? RestoreTarget.time(point.time)
                : point.lsn != null ? RestoreTarget.lsn(point.lsn) : RestoreTarget.latest();
        if (destination.inPlace) {
            inPlace(target);
            return;
        }
        if (yes) {
            throw new io.tpa.error.UserError("--yes confirms an in-place restore; a restore --into a new group needs no confirmation");
        }
        Restore.Result result = Restore.run(group.directory, target, destination.into, name, dryRun, ReplicaCommand.listener(output));
        if (output.json) {
            System.out.print(Json.write(result));
        } else if (result.dryRun()) {
            System.out.printf("Would restore group %s as of %s into %s as group %s, from backup %s:%n", result.sourceGroup(),
                    result.target(), result.into(), result.group(), result.backup());
            for (int step = 0; step < result.steps().size(); step++) {
                System.out.printf("  %d. %s%n", step + 1, result.steps().get(step));
            }
        } else {
            System.out.printf("Group %s in %s holds group %s's data as of %s (backup %s)%s; done in %.1f s.%n", result.group(),
                    result.into(), result.sourceGroup(), result.target(), result.backup(),
                    result.timeline() == null ? "" : ", " + result.primary() + " primary on timeline " + result.timeline(), result.seconds());
        }
    }

    private void inPlace(RestoreTarget target) {
        if (name != null) {
            throw new io.tpa.error.UserError("--name names a new group; an in-place restore keeps the group's name");
        }
        RestoreInPlace.Result result = RestoreInPlace.run(group.directory, target, yes, dryRun, ReplicaCommand.listener(output));
        if (output.json) {
            System.out.print(Json.write(result));
        } else if (result.dryRun()) {
            System.out.printf("Would restore group %s in place to %s from backup %s; %s would be lost; the current data would stay aside in %s "
                    + "until the next successful backup.%n", result.group(), result.target(), result.backup(), result.lost(), String.join(", ", result.aside()));
        } else {
            System.out.printf("Group %s is back at %s (backup %s)%s; the former data stays aside in %s until the next successful backup; done in %.1f s.%n",
                    result.group(), result.target(), result.backup(), result.timeline() == null ? "" : ", primary on timeline " + result.timeline(),
                    String.join(", ", result.aside()), result.seconds());
        }
    }
}
