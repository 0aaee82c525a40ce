package io.tpa.cli;

import io.tpa.model.Json;
import io.tpa.operation.audit.Audit;
import io.tpa.operation.audit.AuditReport;
import io.tpa.operation.audit.AuditReport.CheckReport;
import io.tpa.operation.audit.AuditReport.NodeResult;
import io.tpa.operation.audit.Result;
import io.tpa.operation.audit.Standard;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "audit", mixinStandardHelpOptions = true, description = {
        "Check every running node of the group against a security standard: settings, pg_hba, roles, databases and files.",
        "Exit code 1 when a check fails; warnings (what only `compliance: cis` sets up, on a group without it), manual and "
                + "not applicable checks do not fail. See docs/audit.md."})
final class AuditCommand implements Callable<Integer> {
    @Mixin
    GroupArgument group;

    @Option(names = "--standard", defaultValue = "cis", paramLabel = "STANDARD",
            description = "cis, pci-dss, hipaa or iso27001: the checks that support it, with its control ids (default: ${DEFAULT-VALUE}).")
    String standard;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        AuditReport report = Audit.run(group.directory, Standard.named(standard));
        if (output.json) {
            System.out.print(Json.write(report));
        } else {
            print(report, System.out);
        }
        return report.passed() ? 0 : 1;
    }

    static void print(AuditReport report, PrintStream out) {
        out.println("Audit of group " + report.group() + " (compliance: " + report.compliance() + ") against " + report.standardTitle()
                + ": " + report.nodes().stream()
                .map(node -> node.name() + " (" + (node.state().equals("running") ? node.role() : "NOT CHECKED: " + node.state()) + ")")
                .collect(Collectors.joining(", ")));
        out.println();
        int idWidth = report.checks().stream().mapToInt(check -> check.id().length()).max().orElse(5);
        int controlsWidth = Math.min(40, report.checks().stream().mapToInt(check -> controls(check).length()).max().orElse(8));
        String row = "%-7s %-" + idWidth + "s  %-" + controlsWidth + "s  %s%n";
        out.printf(row, "RESULT", "CHECK", report.standard().key().toUpperCase(Locale.ROOT), "TITLE");
        for (CheckReport check : report.checks()) {
            out.printf(row, label(check.result()), check.id(), controls(check), check.title());
            String indent = " ".repeat(8);
            if (check.result() == Result.FAIL || check.result() == Result.WARN || check.result() == Result.MANUAL) {
                for (NodeResult node : check.nodes()) {
                    if (node.result() == check.result() && !node.evidence().isEmpty()) {
                        out.println(indent + node.node() + ": " + node.evidence());
                    }
                }
            }
            if (check.result() == Result.MANUAL && check.manualReason() != null) {
                out.println(indent + "review: " + check.manualReason());
            }
            if (check.result() == Result.FAIL && check.nodes().isEmpty()) {
                out.println(indent + "not checked: no node could be read");
            } else if (check.result() == Result.FAIL) {
                out.println(indent + "fix: " + check.remediation());
            } else if (check.result() == Result.WARN) {
                out.println(indent + "warn, not fail: only `compliance: " + check.compliance() + "` sets this up, and the group has compliance: "
                        + report.compliance());
                out.println(indent + "fix: " + check.remediation());
            }
        }
        out.println();
        out.println(report.summary().line());
    }

    private static String controls(CheckReport check) {
        return check.controls().isEmpty() ? "-" : String.join(", ", check.controls());
    }

    private static String label(Result result) {
        return switch (result) {
            case PASS -> "pass";
            case FAIL -> "FAIL";
            case WARN -> "warn";
            case MANUAL -> "manual";
            case NOT_APPLICABLE -> "n/a";
        };
    }
}
