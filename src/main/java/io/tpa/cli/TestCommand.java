package io.tpa.cli;

import io.tpa.model.Json;
import io.tpa.operation.audit.AuditReport.NodeResult;
import io.tpa.operation.audit.Result;
import io.tpa.operation.verify.TestReport;
import io.tpa.operation.verify.TestReport.CheckReport;
import io.tpa.operation.verify.Verify;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "test", mixinStandardHelpOptions = true, description = {
        "Check that a deployed group works: services up, a write visible on every replica, replication lag, TLS and "
                + "scram-sha-256 only, certificates, no parameter drift (ALTER SYSTEM included), backups and endpoints when the "
                + "group has them, then the group's own SQL checks (DIR/tests/*.sql: a query that returns no row passes).",
        "One line per check and a summary. Exit code 1 when a check fails; a skipped check does not fail. See docs/verification.md."})
final class TestCommand implements Callable<Integer> {
    @Mixin
    GroupArgument group;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        TestReport report = Verify.run(group.directory);
        if (output.json) {
            System.out.print(Json.write(report));
        } else {
            print(report, System.out);
        }
        return report.passed() ? 0 : 1;
    }

    static void print(TestReport report, PrintStream out) {
        out.println("Test of group " + report.group() + ": " + report.nodes().stream()
                .map(node -> node.name() + " (" + (node.state().equals("running") ? node.role() : "NOT RUNNING: " + node.state()) + ")")
                .collect(Collectors.joining(", ")));
        out.println();
        int idWidth = report.checks().stream().mapToInt(check -> check.id().length()).max().orElse(8);
        String row = "%-5s %-" + idWidth + "s  %s%n";
        String indent = " ".repeat(6);
        for (CheckReport check : report.checks()) {
            out.printf(row, label(check.result()), check.id(), check.detail());
            if (check.result() == Result.FAIL) {
                for (NodeResult node : check.nodes()) {
                    if (node.result() == Result.FAIL) {
                        out.println(indent + node.node() + ": " + node.evidence());
                    }
                }
                if (check.fix() != null) {
                    out.println(indent + "fix: " + check.fix());
                }
            }
        }
        out.println();
        out.println(report.summary().line());
    }

    private static String label(Result result) {
        return switch (result) {
            case PASS -> "pass";
            case FAIL -> "FAIL";
            case WARN -> "warn";
            case MANUAL -> "check";
            case NOT_APPLICABLE -> "skip";
        };
    }
}
