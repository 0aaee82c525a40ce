package io.tpa.cli;

import io.tpa.error.UserError;
import io.tpa.model.Json;
import io.tpa.operation.apply.Action;
import io.tpa.operation.apply.Apply;
import io.tpa.operation.apply.Plan;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "plan", mixinStandardHelpOptions = true, description = {"Show what `tpa apply` would change, per node and step.",
        "Exit code: 0 when nothing would change, 2 when something would, 1 on error."})
final class PlanCommand implements Callable<Integer> {
    @Mixin
    GroupArgument group;

    @Mixin
    JsonOption output;

    @picocli.CommandLine.Option(names = "--trust-new-hosts", description = "On the ssh platform: accept the host key of a server not in the "
            + "group's known_hosts yet, and record it there (trust on first use). A key that differs from the recorded one is always refused.")
    boolean trustNewHosts;

    /** The plan as text (one line per step per node, "-" for destructive ones) or JSON. */
    static void print(Plan plan, boolean json) {
        if (json) {
            System.out.print(Json.write(Map.of("group", plan.group(), "changed", plan.hasChanges(), "changes", plan.changes(),
                    "notes", plan.notes())));
        } else if (!plan.hasChanges()) {
            System.out.println("No changes: group " + plan.group() + " matches its config.");
        } else {
            System.out.println("Apply would make " + plan.changes().size() + " change" + (plan.changes().size() == 1 ? "" : "s")
                    + " to group " + plan.group() + ":");
            for (Action.Change change : plan.changes()) {
                System.out.printf("  %s %-22s %-12s %s%n", change.destructive() ? "-" : "+", change.phase(), change.target(), change.action());
            }
        }
        if (!json) {
            plan.notes().forEach(note -> System.out.println("Note: " + note));
        }
    }

    @Override
    public Integer call() {
        Plan plan;
        try {
            plan = Apply.plan(group.directory, trustNewHosts);
        } catch (UserError error) {
            // plan's exit codes follow terraform's -detailed-exitcode: 2 means "changes pending", so every error is 1.
            throw new UserError(UserError.FAILED, error.getMessage(), error);
        }
        print(plan, output.json);
        return plan.hasChanges() ? 2 : 0;
    }
}
