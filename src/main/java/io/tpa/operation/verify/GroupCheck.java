package io.tpa.operation.verify;

import io.tpa.operation.audit.AuditReport.NodeResult;
import io.tpa.operation.audit.Result;
import io.tpa.operation.verify.TestReport.CheckReport;
import java.util.List;

/**
 * One check of `tpa test` on a running group. A check reads what it needs through {@link TestedGroup} and says what
 * it saw; it never changes the group's data or settings (the write check removes what it wrote). To add a check,
 * implement this and list it in {@link Verify#CHECKS}.
 */
interface GroupCheck {
    /** Its name in the report ({@code services}, {@code write-visible}). */
    String id();

    /** What it checks, in one sentence. */
    String title();

    CheckReport run(TestedGroup group);

    /**
     * This check's report from what it saw on each node: it fails when it failed on any node (or saw no node), and the
     * fix goes with a failure only.
     */
    default CheckReport report(List<NodeResult> nodes, String detail, String fix) {
        Result result = Result.across(nodes.stream().map(NodeResult::result).toList());
        return new CheckReport(id(), title(), result, detail, nodes, result == Result.FAIL ? fix : null);
    }

    /** A failure of the whole check (nothing to look at on the nodes). */
    default CheckReport failed(String detail, String fix) {
        return new CheckReport(id(), title(), Result.FAIL, detail, List.of(), fix);
    }
}
