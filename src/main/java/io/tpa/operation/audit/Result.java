package io.tpa.operation.audit;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collection;

/**
 * The outcome of a check on a node, or across the nodes of a group. {@link #WARN} is a failure of a check that only
 * a compliance policy the group does not use satisfies: reported with its remedy, it does not fail the audit.
 */
public enum Result {
    PASS, FAIL, WARN, MANUAL, NOT_APPLICABLE;

    @JsonValue
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The result of a check across nodes: it fails when it fails on any node; it warns when it warns on any other;
     * it is manual when a person must review any node; it passes when it passes on some node and does not apply to
     * the others. With no node to check, it fails: nothing was shown to hold.
     */
    public static Result across(Collection<Result> results) {
        if (results.isEmpty() || results.contains(FAIL)) {
            return FAIL;
        }
        if (results.contains(WARN)) {
            return WARN;
        }
        if (results.contains(MANUAL)) {
            return MANUAL;
        }
        return results.contains(PASS) ? PASS : NOT_APPLICABLE;
    }
}
