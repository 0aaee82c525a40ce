package io.tpa.operation.cost;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.math.BigDecimal;
import java.util.List;

/** A cluster's monthly cost: its nodes, and their sum. */
public record ClusterCost(String name, List<NodeCost> nodes, @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal total) {

    public ClusterCost(String name, List<NodeCost> nodes) {
        this(name, List.copyOf(nodes), nodes.stream().map(NodeCost::total).reduce(BigDecimal.ZERO.setScale(Amounts.SCALE), BigDecimal::add));
    }
}
