package io.tpa.operation.audit;

import java.util.List;
import java.util.Map;

/**
 * A check as catalog/audit.yml describes it.
 *
 * @param severity     high, medium or low
 * @param controls     per standard, the controls the check supports (a standard it does not support is absent)
 * @param remediation  what a tpa user does about a failure
 * @param manualReason why a person must review it, or null when it is automated
 * @param always       true when it belongs to every standard
 */
public record CheckDefinition(
        String id,
        String title,
        String severity,
        Map<Standard, List<String>> controls,
        String remediation,
        String manualReason,
        boolean always) {

    public CheckDefinition {
        controls = Map.copyOf(controls);
    }

    public boolean automated() {
        return manualReason == null;
    }

    public boolean supports(Standard standard) {
        return always || controls.containsKey(standard);
    }

    /** The controls of one standard this check supports (empty when none). */
    public List<String> controls(Standard standard) {
        return controls.getOrDefault(standard, List.of());
    }
}
