package io.tpa.operation.apply;

import java.util.List;

/** What apply would change, in the order it would change it. */
public record Plan(String group, List<Action.Change> changes, List<String> notes) {
    public Plan {
        notes = List.copyOf(notes);
    }

    public Plan(String group, List<Action.Change> changes) {
        this(group, changes, List.of());
    }

    public boolean hasChanges() {
        return !changes.isEmpty();
    }
}
