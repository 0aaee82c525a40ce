package io.tpa.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The price catalog under {@code catalog/prices/}: on-demand list prices of one region of each cloud provider
 * (instances, block storage, object storage, transfer between zones). Every price carries the page it was read from
 * and the day it was read. Amounts are {@link BigDecimal}s read from decimal strings, never floating point.
 * Read from the classpath, like {@link Catalog}, so the jar carries it.
 *
 * @param providers the clouds by name ({@code aws}, {@code gcp}, {@code azure}), in that order
 */
public record PriceCatalog(Map<String, Provider> providers) {

    /** The clouds the catalog prices, in the order tpa shows them. */
    public static final List<String> CLOUDS = List.of("aws", "gcp", "azure");

    /** Hours in a month, as every provider's monthly figures count them. */
    public static final BigDecimal HOURS_PER_MONTH = BigDecimal.valueOf(730);

    /**
     * Where a figure comes from.
     *
     * @param source   the page the figure was read from
     * @param read     the day it was read
     * @param derived  how the figure follows from another figure of the file, when it was computed rather than read
     * @param verified false when no copy of a page showing the figure could be read that day (see docs/pricing.md)
     */
    public record Provenance(String source, LocalDate read, String derived, boolean verified) {
    }

    /** An instance type with its hourly on-demand Linux price. */
    public record Instance(String name, String family, int cpus, BigDecimal memoryGb, BigDecimal hourly, Provenance provenance) {

        /** True when the instance has at least the size's vCPUs and memory. */
        public boolean fits(SizeSpec size) {
            return cpus >= size.cpus() && memoryGb.compareTo(BigDecimal.valueOf(size.memoryGb())) >= 0;
        }

        /** Its price for a month of {@link #HOURS_PER_MONTH} hours. */
        public BigDecimal monthly() {
            return hourly.multiply(HOURS_PER_MONTH);
        }
    }

    /** A price per unit (GB-month of storage, GB transferred) and what it is the price of. */
    public record UnitPrice(String name, BigDecimal amount, Provenance provenance) {
    }

    /**
     * One cloud's prices in one region.
     *
     * @param listPrices the provider's own page of list prices, to check the figures against
     */
    public record Provider(String name, String region, String currency, String listPrices, List<Instance> instances,
                           UnitPrice blockStorage, UnitPrice objectStorage, UnitPrice crossZoneTransfer) {

        /** The cheapest instance that fits the size (the first in the file among equals), if any does. */
        public Optional<Instance> cheapestFitting(SizeSpec size) {
            return instances.stream().filter(instance -> instance.fits(size))
                    .min(Comparator.comparing(Instance::hourly));
        }

        /** Every price of the provider with its provenance, by a label that names it. */
        public Map<String, Provenance> provenances() {
            Map<String, Provenance> all = new LinkedHashMap<>();
            instances.forEach(instance -> all.put(instance.name(), instance.provenance()));
            all.put("block storage", blockStorage.provenance());
            all.put("object storage", objectStorage.provenance());
            all.put("cross-zone transfer", crossZoneTransfer.provenance());
            return all;
        }

        /** The day the newest of its prices was read. */
        public LocalDate pricesRead() {
            return provenances().values().stream().map(Provenance::read).max(Comparator.naturalOrder()).orElseThrow();
        }
    }

    private static PriceCatalog cached;

    public static synchronized PriceCatalog load() {
        if (cached == null) {
            Map<String, Provider> providers = new LinkedHashMap<>();
            for (String cloud : CLOUDS) {
                providers.put(cloud, provider(resource("catalog/prices/" + cloud + ".yml")));
            }
            cached = new PriceCatalog(java.util.Collections.unmodifiableMap(providers));
        }
        return cached;
    }

    /** The prices of a cloud of {@link #CLOUDS}. */
    public Provider provider(String cloud) {
        Provider provider = providers.get(cloud);
        if (provider == null) {
            throw new IllegalArgumentException("no price catalog for " + cloud);
        }
        return provider;
    }

    private static Provider provider(JsonNode document) {
        List<Instance> instances = new ArrayList<>();
        document.get("instances").forEach(node -> instances.add(new Instance(node.get("name").asText(), node.get("family").asText(),
                node.get("cpus").asInt(), new BigDecimal(node.get("memory_gb").asText()), decimal(node, "hourly"), provenance(node))));
        return new Provider(document.get("provider").asText(), document.get("region").asText(), document.get("currency").asText(),
                document.get("list_prices").asText(), List.copyOf(instances),
                unitPrice(document.get("block_storage"), "per_gb_month"),
                unitPrice(document.get("object_storage"), "per_gb_month"),
                unitPrice(document.get("cross_zone_transfer"), "per_gb"));
    }

    private static UnitPrice unitPrice(JsonNode node, String field) {
        return new UnitPrice(node.get("name").asText(), decimal(node, field), provenance(node));
    }

    /** A price as written: a decimal string (a YAML number would pass through a double first). */
    private static BigDecimal decimal(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalStateException("price catalog: " + field + " of " + node.path("name").asText()
                    + " must be a quoted decimal string");
        }
        return new BigDecimal(value.asText());
    }

    private static Provenance provenance(JsonNode node) {
        JsonNode read = node.get("read");
        return new Provenance(node.path("source").asText(null), read == null ? null : LocalDate.parse(read.asText()),
                node.path("derived").asText(null), node.path("verified").asBoolean(true));
    }

    private static JsonNode resource(String name) {
        try (InputStream in = PriceCatalog.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("catalog file missing from the build: " + name);
            }
            return Json.YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
