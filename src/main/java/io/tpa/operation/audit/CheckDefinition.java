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
 * @param compliance   the compliance policy that sets up what the check needs ({@code cis}), or null when tpa's
 *                     defaults do: on a group without that policy, a failure is reported as a warning
 */
public record CheckDefinition(
        String id,
        String title,
        String severity,
        Map<Standard, List<String>> controls,
        String remediation,
        String manualReason,
        boolean always,
        String compliance) {

    public CheckDefinition {
        controls = Map.copyOf(controls);
    }

    public boolean automated() {
        return manualReason == null;
    }

    /** True when a failure on a group under this compliance policy is a warning: only another policy sets the check up. */
    public boolean onlyWarnsUnder(String groupCompliance) {
        return compliance != null && !compliance.equals(groupCompliance);
    }

    public boolean supports(Standard standard) {
        return always || controls.containsKey(standard);
    }

    /** The controls of one standard this check supports (empty when none). */
    public List<String> controls(Standard standard) {
        return controls.getOrDefault(standard, List.of());
    }
}
