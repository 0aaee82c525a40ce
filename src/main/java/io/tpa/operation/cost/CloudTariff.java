package io.tpa.operation.cost;

import io.tpa.error.UserError;
import io.tpa.model.PriceCatalog;
import io.tpa.model.PriceCatalog.Instance;
import io.tpa.model.SizeSpec;
import java.math.BigDecimal;
import java.util.Comparator;

/** A cloud's rates from the price catalog: each node runs on the cheapest instance type that fits its size. */
record CloudTariff(PriceCatalog.Provider provider) implements Tariff {

    @Override
    public String cloud() {
        return provider.name();
    }

    @Override
    public String region() {
        return provider.region();
    }

    @Override
    public String currency() {
        return provider.currency();
    }

    @Override
    public String pricesDate() {
        return provider.pricesRead().toString();
    }

    @Override
    public String pricesFile() {
        return "catalog/prices/" + provider.name() + ".yml";
    }

    @Override
    public Compute compute(SizeSpec size) {
        Instance instance = provider.cheapestFitting(size).orElseThrow(() -> {
            Instance largest = provider.instances().stream().max(Comparator.comparing(Instance::memoryGb)
                    .thenComparingInt(Instance::cpus)).orElseThrow();
            return new UserError("no " + provider.name() + " instance in the price catalog has " + size.cpus() + " vCPUs and "
                    + Amounts.plain(BigDecimal.valueOf(size.memoryGb())) + " GB of memory (the largest is " + largest.name() + ": "
                    + largest.cpus() + " vCPUs, " + Amounts.plain(largest.memoryGb()) + " GB); choose a smaller size or add an "
                    + "instance to catalog/prices/" + provider.name() + ".yml (see docs/pricing.md)");
        });
        return new Compute(instance.name(), instance.monthly(),
                instance.name() + ": " + Amounts.plain(instance.hourly()) + "/h x " + PriceCatalog.HOURS_PER_MONTH + " h");
    }

    @Override
    public BigDecimal blockStoragePerGbMonth() {
        return provider.blockStorage().amount();
    }

    @Override
    public BigDecimal objectStoragePerGbMonth() {
        return provider.objectStorage().amount();
    }

    @Override
    public BigDecimal transferPerGb() {
        return provider.crossZoneTransfer().amount();
    }
}
