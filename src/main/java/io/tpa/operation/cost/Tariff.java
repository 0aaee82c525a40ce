package io.tpa.operation.cost;

import io.tpa.model.SizeSpec;
import java.math.BigDecimal;

/**
 * The rates one place to run a group charges: a cloud of the price catalog, or the user's own premises.
 * Every amount is a decimal; nothing here rounds.
 */
public interface Tariff {
    /** {@code aws}, {@code gcp}, {@code azure} or {@code onprem}. */
    String cloud();

    /** The region the prices are for, or a description of the place. */
    String region();

    String currency();

    /** When the prices were read (or set), for the heading. */
    String pricesDate();

    /** Where the prices come from, for the heading. */
    String pricesFile();

    /** What runs a node of this size and what it costs a month. */
    Compute compute(SizeSpec size);

    BigDecimal blockStoragePerGbMonth();

    BigDecimal objectStoragePerGbMonth();

    BigDecimal transferPerGb();

    /**
     * The machine a node runs on and its monthly price.
     *
     * @param instance the instance type, or a description of an on-premises machine
     * @param detail   how the amount was reached, for humans
     */
    public record Compute(String instance, BigDecimal monthly, String detail) {
    }
}
