package io.tpa.operation.apply;

import java.util.List;

/**
 * What an apply did.
 *
 * @param commit the commit that recorded it in the group's history, or null when nothing changed
 */
public record ApplyResult(String group, List<Action.Change> changes, double seconds, String commit) {
    public boolean changed() {
        return !changes.isEmpty();
    }
}
