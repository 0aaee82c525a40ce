package io.tpa.operation.audit;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What `tpa audit` found: every check of a standard, with its result on every node, the evidence, the
 * remediation and the controls it supports. `--json` prints this record.
 *
 * @param compliance    the group's compliance policy as applied: {@code none} or {@code cis}
 * @param standard      the standard the checks were chosen for
 * @param standardTitle its full name
 */
public record AuditReport(
        String group,
        String compliance,
        Standard standard,
        @JsonProperty("standard_title") String standardTitle,
        List<NodeState> nodes,
        List<CheckReport> checks,
        Summary summary) {

    /**
     * A node as the audit met it.
     *
     * @param role  primary, replica or unknown (when it does not answer)
     * @param state running, or why it could not be checked
     */
    public record NodeState(String name, String role, String state) {
    }

    /**
     * One check across the group.
     *
     * @param result       across nodes: fail when any node fails, warn when any warns, manual when any needs review, else
     *                     pass (or not_applicable)
     * @param compliance   the compliance policy that sets up what the check needs, or null when tpa's defaults do
     * @param controls     the controls of the chosen standard it supports
     * @param standards    the controls of every standard it supports
     * @param manualReason why a person must review it; null for an automated check
     */
    public record CheckReport(
            String id,
            String title,
            String severity,
            Result result,
            List<String> controls,
            Map<String, List<String>> standards,
            String remediation,
            @JsonProperty("manual_reason") String manualReason,
            String compliance,
            List<NodeResult> nodes) {
    }

    /** What a check found on one node. */
    public record NodeResult(String node, Result result, String evidence) {
    }

    /** How many checks had each result (across nodes). */
    public record Summary(int passed, int failed, int warned, int manual, @JsonProperty("not_applicable") int notApplicable) {
        /** The line every text report ends with: {@code 37 passed, 2 failed, 1 warned, 3 manual, 4 not applicable}. */
        public String line() {
            return passed + " passed, " + failed + " failed, " + warned + " warned, " + manual + " manual, " + notApplicable
                    + " not applicable";
        }
    }

    /** True when no check failed (warnings, manual and not applicable checks do not fail an audit). */
    @JsonIgnore
    public boolean passed() {
        return summary.failed() == 0;
    }
}
