package io.tpa.operation.verify;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.tpa.operation.audit.AuditReport.NodeResult;
import io.tpa.operation.audit.Result;
import java.util.List;

/**
 * What `tpa test` found: every check with its result, a line that says what it saw, and what it saw on each node.
 * `--json` prints this record.
 *
 * @param nodes  every node as the checks met it (its role, and running or why not)
 * @param checks in the order they ran: tpa's own checks, then the group's SQL files under {@code tests/}
 */
public record TestReport(String group, List<NodeState> nodes, List<CheckReport> checks, Summary summary) {

    public TestReport {
        nodes = List.copyOf(nodes);
        checks = List.copyOf(checks);
    }

    /** A report of these checks, with their summary counted. */
    public static TestReport of(String group, List<NodeState> nodes, List<CheckReport> checks) {
        int passed = (int) checks.stream().filter(check -> check.result() == Result.PASS).count();
        int failed = (int) checks.stream().filter(check -> check.result() == Result.FAIL).count();
        return new TestReport(group, nodes, checks, new Summary(passed, failed, checks.size() - passed - failed));
    }

    /**
     * A node as the checks met it.
     *
     * @param role  primary, standby_leader, replica, or unknown when its Patroni does not answer
     * @param state running, or what it is instead (stopped, down: Patroni does not answer)
     */
    public record NodeState(String name, String role, String state) {
    }

    /**
     * One check.
     *
     * @param id     its name on the command line's report: {@code services}, {@code parameters}, {@code tests/orders.sql}
     * @param result pass, fail, or not_applicable (skipped: what it checks does not exist in the group)
     * @param detail one line: what it saw (or why it was skipped)
     * @param nodes  what it saw on each node, when it looks at nodes one by one
     * @param fix    what to do about a failure; null when it passed
     */
    public record CheckReport(String id, String title, Result result, String detail, List<NodeResult> nodes, String fix) {
        public CheckReport {
            nodes = List.copyOf(nodes);
        }

        static CheckReport skipped(String id, String title, String why) {
            return new CheckReport(id, title, Result.NOT_APPLICABLE, "skipped: " + why, List.of(), null);
        }
    }

    /** How many checks passed, failed and were skipped. */
    public record Summary(int passed, int failed, int skipped) {
        /** The line the text report ends with: {@code 8 passed, 1 failed, 2 skipped}. */
        public String line() {
            return passed + " passed, " + failed + " failed, " + skipped + " skipped";
        }
    }

    /** True when no check failed (a skipped check does not fail the test). */
    @JsonIgnore
    public boolean passed() {
        return summary.failed() == 0;
    }
}
