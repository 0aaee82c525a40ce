package io.tpa.operation.apply;

import io.tpa.host.Host;
import io.tpa.model.DeployedNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every host runs the group's service manager. */
final class SupervisorPhase implements Phase {
    @Override
    public String title() {
        return "supervisor";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        List<Action> actions = new ArrayList<>();
        for (Map.Entry<Host, List<DeployedNode>> entry : state.hosts().entrySet()) {
            DeployedNode first = entry.getValue().get(0);
            if (!state.services(first).isRunning()) {
                actions.add(new Action(title(), entry.getKey().name(), "start the group's supervisor", false,
                        () -> state.services(first).ensureRunning()));
            }
        }
        return actions;
    }
}
