package io.tpa.operation.cost;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.math.BigDecimal;
import java.util.List;

/**
 * A node's monthly cost, by component.
 *
 * @param size     the node's size as tpa describes it
 * @param instance what it runs on: the cheapest instance type of the cloud that fits its size
 * @param role     primary or replica, which decides who receives replication traffic
 * @param total    the sum of the lines
 */
public record NodeCost(String name, String size, String instance, String role, List<CostLine> lines,
                       @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal total) {

    public NodeCost(String name, String size, String instance, String role, List<CostLine> lines) {
        this(name, size, instance, role, List.copyOf(lines),
                lines.stream().map(CostLine::amount).reduce(BigDecimal.ZERO.setScale(Amounts.SCALE), BigDecimal::add));
    }

    /** The line of a component. */
    public CostLine line(String component) {
        return lines.stream().filter(line -> line.component().equals(component)).findFirst().orElseThrow();
    }
}
