package io.tpa.operation.apply;

import java.util.List;

/**
 * A named part of apply that achieves one thing ("etcd is running", "Patroni configuration is
 * current"). It looks at the facts and returns only the actions still needed, none when that
 * part has converged; the same method serves plan and apply, so they cannot disagree.
 */
public interface Phase {
    String title();

    List<Action> plan(ApplyState state);

    /** After its actions ran (apply only, never in a plan): waits for what they started to settle. */
    default void settle(ApplyState state) {
    }
}
