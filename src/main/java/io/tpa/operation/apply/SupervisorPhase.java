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
        return ApplyState.each(List.copyOf(state.hosts().entrySet()), entry -> {
            DeployedNode first = entry.getValue().get(0);
            if (state.services(first).isRunning()) {
                return null;
            }
            return new Action(title(), entry.getKey().name(), "start the group's supervisor", false,
                    () -> state.services(first).ensureRunning());
        });
    }
}
