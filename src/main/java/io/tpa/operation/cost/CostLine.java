package io.tpa.operation.cost;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.math.BigDecimal;

/**
 * One component of a node's monthly cost.
 *
 * @param component compute, storage, backups, monitoring or transfer
 * @param detail    how the amount was reached: quantity times rate
 * @param amount    the amount shown, rounded to the cent
 */
public record CostLine(String component, String detail, @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount) {
    /** The components of every node, in the order they are shown. */
    public static final java.util.List<String> COMPONENTS = java.util.List.of("compute", "storage", "backups", "monitoring", "transfer");
}
