package io.tpa.operation.apply;

import io.tpa.component.PatroniApi;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.operation.GroupHealth;
import io.tpa.operation.Promotion;
import io.tpa.wait.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * PostgreSQL restarts where a changed parameter needs it, and only there: replicas first, one at a
 * time, the primary last, so a cluster is never without a running primary for longer than its own
 * restart.
 */
final class RestartPhase implements Phase {
    private static final Duration PENDING = Duration.ofSeconds(15);

    /** Restarts a node once Patroni says a restart is pending; a node that never says so needs none. */
    private static void restartIfPending(ApplyState state, DeployedNode node) {
        // Patroni applies a reload or a configuration change on its next cycle: wait until it
        // says a restart is pending.
        try {
            Wait.until("for " + node.name() + " to report a pending restart", PENDING,
                    () -> state.patroni(node).status().pendingRestart());
        } catch (Wait.WaitTimeout e) {
            return;
        }
        state.patroni(node).restart();
        Wait.until("for " + node.name() + " to run again after its restart", Duration.ofSeconds(120),
                () -> state.patroni(node).status().isRunning());
    }

    /** Hands the primary role to the healthiest (already restarted) replica, and waits until it leads. */
    private static void handOver(ApplyState state, DeployedCluster cluster, DeployedNode primary) {
        Wait.until("for the restarted replicas of " + cluster.name() + " to stream again", Duration.ofSeconds(120),
                () -> state.health().whyNotHealthy());
        DeployedNode target = Promotion.healthiest(cluster, primary, state.health());
        Promotion.handOver(state.context().deployment(), state.context().http(), cluster, primary, target, Duration.ofSeconds(120));
    }

    @Override
    public String title() {
        return "restart";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        GroupHealth health = state.health();
        List<Action> actions = new ArrayList<>();
        for (DeployedCluster cluster : state.context().deployment().clusters()) {
            Optional<DeployedNode> leader = health.leader(cluster);
            List<DeployedNode> order = new ArrayList<>(cluster.nodes());
            order.sort((a, b) -> Boolean.compare(leader.map(a::equals).orElse(false), leader.map(b::equals).orElse(false)));
            List<DeployedNode> restart = order.stream().filter(node -> !state.startedNow(node)
                    && (state.restarts().containsKey(node.name())
                    || health.member(node.name()).map(PatroniApi.MemberStatus::pendingRestart).orElse(false))).toList();
            if (restart.isEmpty()) {
                continue;
            }
            // One action per cluster: its nodes restart one after the other, in this order.
            String targets = String.join(",", restart.stream().map(DeployedNode::name).toList());
            DeployedNode primary = leader.orElse(null);
            boolean handOver = state.switchoverPrimary() && primary != null && restart.contains(primary) && cluster.nodes().size() > 1;
            String reasons = state.restarts().values().stream().distinct().reduce((a, b) -> a + "; " + b).orElse("pending restart");
            actions.add(new Action(title(), targets, "rolling restart, replicas first" + (handOver ? ", then a switchover from " + primary.name() : "")
                    + " (" + reasons + ")", false, () -> {
                for (DeployedNode node : restart) {
                    if (handOver && node.equals(primary)) {
                        handOver(state, cluster, primary);
                    }
                    restartIfPending(state, node);
                }
            }));
        }
        return actions;
    }
}
