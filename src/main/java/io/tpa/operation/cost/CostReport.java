package io.tpa.operation.cost;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What {@code tpa cost} prints: the group's monthly cost on each cloud asked for, or with {@code --what-if} today's
 * cost beside the planned one, and the assumptions behind the figures.
 *
 * @param estimates  the cost per cloud (empty with --what-if)
 * @param whatIfs    today against planned, per cloud (empty without --what-if)
 * @param notes      the assumptions and caveats to print under the figures
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CostReport(String group, List<Estimate> estimates, @JsonProperty("what_if") List<WhatIf> whatIfs, List<String> notes) {
    public CostReport {
        estimates = List.copyOf(estimates);
        whatIfs = List.copyOf(whatIfs);
        notes = List.copyOf(notes);
    }
}
