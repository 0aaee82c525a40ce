package io.tpa.operation.verify;

import io.tpa.component.PatroniApi.MemberStatus;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.operation.GroupHealth;
import io.tpa.operation.audit.AuditReport.NodeResult;
import io.tpa.operation.audit.Result;
import io.tpa.operation.verify.TestReport.CheckReport;
import io.tpa.wait.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every replica streams from its primary (a standby cluster's leader from the primary cluster's) and has replayed
 * the primary's WAL to within {@link #BOUND_BYTES}: Patroni's {@code maximum_lag_on_failover}, beyond which Patroni
 * would not promote it. The positions come from every node's Patroni; a lag over the bound must last
 * {@link #GRACE} (read again every 100 ms) to fail, so a burst of writes between two reads does not.
 */
final class LagCheck implements GroupCheck {
    static final long BOUND_BYTES = 1_048_576;
    static final Duration GRACE = Duration.ofSeconds(5);
    private static final String BEHIND = " B behind";

    @Override
    public String id() {
        return "replication-lag";
    }

    @Override
    public String title() {
        return "Every replica streams and is at most 1 MB behind the primary";
    }

    @Override
    public CheckReport run(TestedGroup group) {
        java.util.concurrent.atomic.AtomicReference<List<NodeResult>> last = new java.util.concurrent.atomic.AtomicReference<>(
                measure(group, group.health()));
        try {
            Wait.until("for every replica to be within " + BOUND_BYTES + " bytes of the primary", GRACE, () -> {
                if (!onlyBehind(last.get())) {
                    return null; // passed, or failed for a reason that waiting does not change (a replica down, not streaming)
                }
                last.set(measure(group, group.access().health()));
                return onlyBehind(last.get()) ? "still behind" : null;
            });
        } catch (Wait.WaitTimeout e) {
            // The last reading stands: it names each replica that is behind or not streaming.
        }
        List<NodeResult> nodes = last.get();
        if (nodes.isEmpty()) {
            return new CheckReport(id(), title(), Result.PASS, "the group has no replica", List.of(), null);
        }
        String detail = nodes.stream().map(n -> n.node() + " " + n.evidence()).collect(Collectors.joining(", ")) + " (bound 1 MB)";
        return report(nodes, detail, "see `tpa status DIR` and the replica's logs (`tpa logs DIR NODE`); a replica that stays behind "
                + "may need `tpa apply DIR`");
    }

    /** True when the only failures are replicas that stream but are behind the bound: a reading that may change. */
    static boolean onlyBehind(List<NodeResult> nodes) {
        List<NodeResult> failures = nodes.stream().filter(n -> n.result() == Result.FAIL).toList();
        return !failures.isEmpty() && failures.stream().allMatch(n -> n.evidence().endsWith(BEHIND));
    }

    /** Every node but the primary cluster's leader: streaming, and how far behind the primary. */
    static List<NodeResult> measure(TestedGroup group, GroupHealth health) {
        List<NodeResult> nodes = new ArrayList<>();
        DeployedCluster primaryCluster = group.deployment().clusters().stream().filter(DeployedCluster::primaryCluster).findFirst().orElseThrow();
        Optional<DeployedNode> primary = health.leader(primaryCluster);
        Long primaryPosition = primary.flatMap(p -> health.member(p.name())).map(MemberStatus::walPosition).orElse(null);
        for (DeployedCluster cluster : group.deployment().clusters()) {
            Optional<DeployedNode> leader = health.leader(cluster);
            for (DeployedNode node : cluster.nodes()) {
                if (primary.isPresent() && node.equals(primary.get())) {
                    continue;
                }
                // A standby cluster's leader streams from the primary cluster's leader; every other replica from its own leader.
                Optional<DeployedNode> upstream = cluster.primaryCluster() || leader.map(node::equals).orElse(false) ? primary : leader;
                Optional<MemberStatus> member = health.member(node.name());
                if (member.isEmpty() || !member.get().isRunning()) {
                    nodes.add(new NodeResult(node.name(), Result.FAIL, member.isEmpty() ? "down (Patroni does not answer)" : member.get().state()));
                } else if (upstream.isEmpty()) {
                    nodes.add(new NodeResult(node.name(), Result.FAIL, "has no running primary to stream from"));
                } else if (!health.member(upstream.get().name()).map(u -> u.streamingReplicas().contains(node.name())).orElse(false)) {
                    nodes.add(new NodeResult(node.name(), Result.FAIL, "not streaming from " + upstream.get().name()));
                } else if (primaryPosition == null || member.get().walPosition() == null) {
                    nodes.add(new NodeResult(node.name(), Result.FAIL, "streaming; its position is unknown"));
                } else {
                    long lag = Math.max(0, primaryPosition - member.get().walPosition());
                    nodes.add(new NodeResult(node.name(), lag <= BOUND_BYTES ? Result.PASS : Result.FAIL, lag + BEHIND));
                }
            }
        }
        return nodes;
    }
}
