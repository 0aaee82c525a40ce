package io.tpa.operation.verify;

import io.tpa.component.ComponentException;
import io.tpa.model.DeployedNode;
import io.tpa.operation.audit.AuditReport.NodeResult;
import io.tpa.operation.audit.Result;
import io.tpa.operation.verify.TestReport.CheckReport;
import io.tpa.wait.Wait;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A write on the primary is visible on every other node within {@link #BOUND}: a table of its own with one row,
 * created in database postgres on the primary, read on each node until it shows the row, then dropped. The time
 * each node took is from the primary's commit to the first read that saw the row (reads every 100 ms).
 */
final class WriteCheck implements GroupCheck {
    static final Duration BOUND = Duration.ofSeconds(10);
    /** The prefix of the table the check writes; the rest is random, so two runs never meet. */
    static final String TABLE_PREFIX = "tpa_test_write_";

    @Override
    public String id() {
        return "write-visible";
    }

    @Override
    public String title() {
        return "A write on the primary is visible on every replica within " + BOUND.toSeconds() + " s";
    }

    @Override
    public CheckReport run(TestedGroup group) {
        DeployedNode primary = group.primary().orElse(null);
        if (primary == null) {
            return failed("no running primary to write on", "see `tpa status DIR` and the nodes' Patroni logs (`tpa logs DIR --service patroni`)");
        }
        List<DeployedNode> others = group.deployment().nodes().stream().filter(node -> !node.equals(primary)).toList();
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        String table = TABLE_PREFIX + token;
        try {
            group.query(primary, "postgres", "CREATE TABLE " + table + " (token text);\nINSERT INTO " + table + " VALUES ('" + token + "');");
        } catch (ComponentException e) {
            return failed("could not write on " + primary.name() + ": " + e.getMessage(), "see the primary's PostgreSQL log (`tpa logs DIR "
                    + primary.name() + " --service postgres`)");
        }
        long committed = System.nanoTime();
        try {
            Map<DeployedNode, NodeResult> seen = group.eachNode(others, node -> {
                if (!group.running(node)) {
                    return new NodeResult(node.name(), Result.FAIL, "not checked: PostgreSQL is " + group.state(node));
                }
                try {
                    Wait.until("for " + node.name() + " to see the write of " + primary.name(), BOUND,
                            () -> group.query(node, "postgres", "SELECT token FROM " + table).contains(token) ? null : "not yet");
                } catch (Wait.WaitTimeout e) {
                    return new NodeResult(node.name(), Result.FAIL, "did not see the write within " + BOUND.toSeconds() + " s: " + e.getMessage());
                }
                return new NodeResult(node.name(), Result.PASS, "saw it after " + seconds(System.nanoTime() - committed) + " s");
            });
            List<NodeResult> nodes = List.copyOf(seen.values());
            if (nodes.isEmpty()) {
                return new CheckReport(id(), title(), Result.PASS, "wrote on " + primary.name() + "; the group has no replica", List.of(), null);
            }
            String visible = nodes.stream().filter(n -> n.result() == Result.PASS)
                    .map(n -> n.node() + " after " + n.evidence().replace("saw it after ", "")).collect(Collectors.joining(", "));
            String missing = nodes.stream().filter(n -> n.result() == Result.FAIL).map(NodeResult::node).collect(Collectors.joining(", "));
            String detail = "a write on " + primary.name() + " was visible on " + (visible.isEmpty() ? "no other node" : visible)
                    + (missing.isEmpty() ? "" : "; not on " + missing) + " (bound " + BOUND.toSeconds() + " s)";
            return report(nodes, detail, "see `tpa status DIR` (is every replica streaming?) and the replicas' logs");
        } finally {
            try {
                group.query(primary, "postgres", "DROP TABLE IF EXISTS " + table);
            } catch (ComponentException e) {
                // Left behind on a primary that stopped answering meanwhile: the next run's table has another name.
            }
        }
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
    }
}
