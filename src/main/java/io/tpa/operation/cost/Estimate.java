package io.tpa.operation.cost;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.List;

/**
 * The monthly cost of a group on one cloud (or on premises): by cluster, node and component, with the day the
 * prices were read. The total is the sum of the clusters' totals, which are the sums of the lines shown.
 *
 * @param basis       what was priced: {@code deployment.json} (what the last apply deployed) or {@code tpa.yml} (what
 *                    apply would deploy)
 * @param pricesRead  the day the newest price used was read (the catalog), or the day on-premises rates were set
 * @param pricesFrom  the file the prices come from
 */
public record Estimate(
        String cloud,
        String basis,
        String region,
        String currency,
        @JsonProperty("prices_read") String pricesRead,
        @JsonProperty("prices_from") String pricesFrom,
        List<ClusterCost> clusters,
        @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal total) {

    public Estimate(String cloud, String basis, String region, String currency, String pricesRead, String pricesFrom,
                    List<ClusterCost> clusters) {
        this(cloud, basis, region, currency, pricesRead, pricesFrom, List.copyOf(clusters),
                clusters.stream().map(ClusterCost::total).reduce(BigDecimal.ZERO.setScale(Amounts.SCALE), BigDecimal::add));
    }
}
