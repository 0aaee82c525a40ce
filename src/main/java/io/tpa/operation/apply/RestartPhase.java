package io.tpa.operation.apply;

import io.tpa.component.PatroniApi;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.operation.GroupHealth;
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
            actions.add(new Action(title(), targets, "rolling restart, replicas first ("
                    + state.restarts().values().stream().distinct().reduce((a, b) -> a + "; " + b).orElse("pending restart") + ")",
                    false, () -> {
                for (DeployedNode node : restart) {
                    // Patroni applies a reload or a configuration change on its next cycle: wait until it
                    // says a restart is pending; a node that never says so needs none.
                    try {
                        Wait.until("for " + node.name() + " to report a pending restart", PENDING,
                                () -> state.patroni(node).status().pendingRestart());
                    } catch (Wait.WaitTimeout e) {
                        continue;
                    }
                    state.patroni(node).restart();
                    Wait.until("for " + node.name() + " to run again after its restart", Duration.ofSeconds(120),
                            () -> state.patroni(node).status().isRunning());
                }
            }));
        }
        return actions;
    }
}
