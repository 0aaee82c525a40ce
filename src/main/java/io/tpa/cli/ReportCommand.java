package io.tpa.cli;

import io.tpa.model.Json;
import io.tpa.operation.logs.Since;
import io.tpa.operation.report.LogReport;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true, description = {
        "Reports on the group, written into its directory's reports/ (kept out of its git history)."},
        subcommands = {ReportCommand.Logs.class})
final class ReportCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a report: logs");
    }

    @Command(name = "logs", mixinStandardHelpOptions = true, description = {
            "A pgBadger report (HTML) of the PostgreSQL logs of every node: slowest and most frequent statements, "
                    + "connections, locks, checkpoints, temporary files, autovacuum, errors. Prints the report's path.",
            "Needs pgbadger on this machine (scripts/install-deps.sh installs it). See docs/monitoring.md."})
    static final class Logs implements Callable<Integer> {
        @Mixin
        GroupArgument group;

        @Option(names = "--since", paramLabel = "T", description = "Only lines written since T: a duration back from now (30s, 10m, 2h, 1d) "
                + "or a time (2026-12-06T14:00:00Z; UTC when it has no offset).")
        String since;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            LogReport.Report report = LogReport.pgbadger(group.directory, Since.parse(since, Instant.now()));
            if (output.json) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("report", report.file().toString());
                result.put("lines", report.lines());
                result.put("unreadable", report.unreadable());
                System.out.print(Json.write(result));
            } else {
                System.out.println(report.file());
                report.unreadable().forEach((node, problem) -> System.err.println("tpa: " + node + ": not in the report, its logs could not be read: "
                        + problem));
            }
            return report.unreadable().isEmpty() ? 0 : 1;
        }
    }
}
