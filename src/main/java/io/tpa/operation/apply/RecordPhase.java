package io.tpa.operation.apply;

import io.tpa.model.Json;
import java.util.List;

/** The group directory holds the deployment record of what now runs. */
final class RecordPhase implements Phase {
    @Override
    public String title() {
        return "record";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        String wanted = Json.write(state.context().deployment());
        if (wanted.equals(state.context().directory().deploymentText())) {
            return List.of();
        }
        return List.of(new Action(title(), state.context().deployment().group(), "write the deployment record", false, () -> {
            state.context().directory().ensureGitignore();
            state.context().directory().writeDeployment(state.context().deployment());
        }));
    }
}
