package io.tpa.operation.cost;

import io.tpa.error.UserError;
import io.tpa.model.DesiredState;
import io.tpa.model.PriceCatalog;
import io.tpa.workspace.GroupDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code tpa cost}: the monthly cost of a group on the clouds of the price catalog and on the user's premises. It reads
 * only the group's files (the desired state: config, catalog, deployment record) and reaches no host.
 */
public final class Cost {
    /** What {@code --cloud} accepts. */
    public static final List<String> CLOUDS = List.of("aws", "gcp", "azure", "onprem");

    private Cost() {
    }

    /**
     * The cost of the group in dir.
     *
     * @param cloud  one of {@link #CLOUDS}; null for the three clouds side by side (and on premises when the group has
     *               a {@value OnPremRates#FILE})
     * @param whatIf true to price what apply would deploy beside what runs today
     */
    public static CostReport run(Path dir, String cloud, boolean whatIf) {
        GroupDirectory directory = new GroupDirectory(dir);
        DesiredState desired = directory.desired();
        return report(desired, tariffs(directory.path(), cloud), whatIf);
    }

    static CostReport report(DesiredState desired, List<Tariff> tariffs, boolean whatIf) {
        Shape planned = Shape.planned(desired);
        Optional<Shape> today = desired.previous().map(Shape::deployed);
        List<Estimate> estimates = new ArrayList<>();
        List<WhatIf> whatIfs = new ArrayList<>();
        List<Estimate> priced = new ArrayList<>();
        for (Tariff tariff : tariffs) {
            if (whatIf) {
                Optional<Estimate> before = today.map(shape -> Estimator.estimate(shape, GroupDirectory.RECORD, tariff));
                Estimate after = Estimator.estimate(planned, "tpa.yml", tariff);
                before.ifPresent(priced::add);
                priced.add(after);
                whatIfs.add(WhatIf.of(before, after));
            } else {
                Estimate estimate = today.isPresent() ? Estimator.estimate(today.get(), GroupDirectory.RECORD, tariff)
                        : Estimator.estimate(planned, "tpa.yml", tariff);
                priced.add(estimate);
                estimates.add(estimate);
            }
        }
        return new CostReport(desired.group(), estimates, whatIfs, notes(desired, priced, whatIf));
    }

    private static List<String> notes(DesiredState desired, List<Estimate> priced, boolean whatIf) {
        List<String> notes = new ArrayList<>();
        if (!whatIf) {
            notes.add(desired.previous().isPresent() ? "priced from " + GroupDirectory.RECORD + ": what the last apply deployed "
                    + "(tpa cost --what-if prices tpa.yml beside it)" : "not deployed yet: priced from tpa.yml, what tpa apply would deploy");
        } else if (desired.previous().isEmpty()) {
            notes.add("not deployed yet (no " + GroupDirectory.RECORD + "): today's cost is 0");
        }
        notes.add("compute on a cloud: the cheapest instance type of the catalog with at least the node's vCPUs and memory, "
                + "730 hours a month, on-demand Linux list prices without discounts or taxes; on premises: the rates of pricing.yml");
        notes.add("transfer: every replica and standby leader receives " + Estimator.WAL_REWRITES_PER_MONTH
                + " x its disk size of WAL a month across zones (an assumption, see docs/pricing.md)");
        notes.add("backups: the primary cluster's repository priced as object storage (0 without a backup: section); monitoring: 0, "
                + "tpa deploys no monitoring server");
        List<String> unverified = unverified(priced, PriceCatalog.load());
        if (!unverified.isEmpty()) {
            notes.add("not verified on a stored page (verified: false in the catalog, see docs/pricing.md): " + String.join(", ", unverified));
        }
        return notes;
    }

    /** The catalog prices behind these estimates that no stored page showed, as "aws r6i.large". */
    static List<String> unverified(List<Estimate> priced, PriceCatalog catalog) {
        Set<String> names = new LinkedHashSet<>();
        for (Estimate estimate : priced) {
            if (!catalog.providers().containsKey(estimate.cloud())) {
                continue;
            }
            PriceCatalog.Provider provider = catalog.provider(estimate.cloud());
            Map<String, PriceCatalog.Provenance> provenances = provider.provenances();
            List<String> used = new ArrayList<>();
            estimate.clusters().forEach(cluster -> cluster.nodes().forEach(node -> used.add(node.instance())));
            used.addAll(List.of("block storage", "object storage", "cross-zone transfer"));
            used.stream().filter(name -> provenances.containsKey(name) && !provenances.get(name).verified())
                    .forEach(name -> names.add(estimate.cloud() + " " + name));
        }
        return List.copyOf(names);
    }

    private static List<Tariff> tariffs(Path dir, String cloud) {
        PriceCatalog catalog = PriceCatalog.load();
        if (cloud == null) {
            List<Tariff> all = new ArrayList<>();
            PriceCatalog.CLOUDS.forEach(name -> all.add(new CloudTariff(catalog.provider(name))));
            OnPremRates.read(dir).ifPresent(all::add);
            return all;
        }
        if (cloud.equals("onprem")) {
            return List.of(OnPremRates.require(dir));
        }
        if (!PriceCatalog.CLOUDS.contains(cloud)) {
            throw new UserError("--cloud: unknown cloud '" + cloud + "'; use one of " + String.join(", ", CLOUDS));
        }
        return List.of(new CloudTariff(catalog.provider(cloud)));
    }
}
