package io.tpa.operation.apply;

/**
 * One step of work that apply would do, on one node or on the whole group. Planning produces
 * actions without running them; applying runs the same actions.
 *
 * @param phase       the phase that planned it
 * @param target      the node (or nodes, or the group) it acts on
 * @param description what it does, for the plan and the progress lines
 * @param destructive true when it removes something a user may want to keep
 * @param work        what it does when applied
 */
public record Action(String phase, String target, String description, boolean destructive, Runnable work) {
    public Change change() {
        return new Change(phase, target, description, destructive);
    }

    /** An action as a plan shows it. */
    public record Change(String phase, String target, String action, boolean destructive) {
    }
}
