package io.tpa.operation.apply;

import io.tpa.model.DeployedNode;
import io.tpa.operation.GroupHealth;
import io.tpa.wait.Wait;
import java.time.Duration;
import java.util.List;

/** Every cluster has one running primary and every replica streams from it. Changes nothing; apply waits for it. */
final class HealthPhase implements Phase {
    static final Duration READY = Duration.ofSeconds(180);

    @Override
    public String title() {
        return "health";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        return List.of();
    }

    @Override
    public void settle(ApplyState state) {
        Wait.until("for every replica to stream from its primary", READY, () -> {
            GroupHealth health = state.health();
            String why = health.whyNotHealthy();
            if (why != null) {
                // A Patroni that chose etcd's API too early would wait on etcd until the timeout: restart it now.
                for (DeployedNode node : state.context().deployment().nodes()) {
                    if (health.member(node.name()).map(member -> !member.isRunning()).orElse(true)) {
                        state.etcdReadiness().restartIfStuck(node);
                    }
                }
            }
            return why;
        });
    }
}
