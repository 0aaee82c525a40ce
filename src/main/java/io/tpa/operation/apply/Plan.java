package io.tpa.operation.apply;

import java.util.List;

/** What apply would change, in the order it would change it. */
public record Plan(String group, List<Action.Change> changes) {
    public boolean hasChanges() {
        return !changes.isEmpty();
    }
}
