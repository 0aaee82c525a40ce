package io.tpa.operation.cost;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Today's cost (the deployment record) beside the cost of what {@code tpa plan} would deploy (the config), line by
 * line, with the difference. A group not deployed yet costs nothing today.
 *
 * @param deployed false when the group has no deployment record
 * @param lines    every line of either side, planned order first, then what only today has (removed nodes)
 */
public record WhatIf(
        String cloud,
        String region,
        String currency,
        @com.fasterxml.jackson.annotation.JsonProperty("prices_read") String pricesRead,
        boolean deployed,
        List<Change> lines,
        @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal today,
        @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal planned,
        @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal difference) {

    /**
     * One component of one node, today and planned.
     *
     * @param change what changes on a compute line: the instance before and after, "added" or "removed"; else null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Change(String cluster, String node, String component, String change,
                         @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal today,
                         @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal planned,
                         @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal difference) {
    }

    private record Key(String cluster, String node, String component) {
    }

    private record Side(NodeCost node, CostLine line) {
    }

    static WhatIf of(Optional<Estimate> today, Estimate planned) {
        Map<Key, Side> before = sides(today);
        Map<Key, Side> after = sides(Optional.of(planned));
        List<Key> keys = new ArrayList<>(after.keySet());
        before.keySet().stream().filter(key -> !after.containsKey(key)).forEach(keys::add);
        BigDecimal zero = BigDecimal.ZERO.setScale(Amounts.SCALE);
        List<Change> lines = new ArrayList<>();
        for (Key key : keys) {
            Side was = before.get(key);
            Side will = after.get(key);
            BigDecimal todayAmount = was == null ? zero : was.line().amount();
            BigDecimal plannedAmount = will == null ? zero : will.line().amount();
            lines.add(new Change(key.cluster(), key.node(), key.component(), change(key, was, will), todayAmount, plannedAmount,
                    plannedAmount.subtract(todayAmount)));
        }
        BigDecimal todayTotal = lines.stream().map(Change::today).reduce(zero, BigDecimal::add);
        BigDecimal plannedTotal = lines.stream().map(Change::planned).reduce(zero, BigDecimal::add);
        return new WhatIf(planned.cloud(), planned.region(), planned.currency(), planned.pricesRead(), today.isPresent(),
                List.copyOf(lines), todayTotal, plannedTotal, plannedTotal.subtract(todayTotal));
    }

    private static String change(Key key, Side was, Side will) {
        if (!key.component().equals("compute")) {
            return null;
        }
        if (was == null) {
            return "added: " + will.node().instance();
        }
        if (will == null) {
            return "removed: " + was.node().instance();
        }
        return was.node().instance().equals(will.node().instance()) ? null : was.node().instance() + " -> " + will.node().instance();
    }

    private static Map<Key, Side> sides(Optional<Estimate> estimate) {
        Map<Key, Side> sides = new LinkedHashMap<>();
        estimate.ifPresent(e -> e.clusters().forEach(cluster -> cluster.nodes().forEach(node -> node.lines().forEach(line ->
                sides.put(new Key(cluster.name(), node.name(), line.component()), new Side(node, line))))));
        return sides;
    }
}
