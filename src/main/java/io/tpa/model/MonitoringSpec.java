package io.tpa.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The group's monitoring ({@code monitoring:} in tpa.yml, opt-in): Prometheus exporters on every node (postgres_exporter,
 * node_exporter; Patroni's {@code /metrics} is always there), and in the group directory a Prometheus configuration with
 * one target file per group and tpa's alert rules.
 *
 * @param scrapeInterval how often the Prometheus configuration tpa writes scrapes the targets and evaluates the rules
 *                       ({@code 15s}, {@code 1m})
 * @param prometheus     the node that runs Prometheus on that configuration and rules (the monitoring role); null for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MonitoringSpec(@JsonProperty("scrape_interval") String scrapeInterval, String prometheus) {
    public static final String SCRAPE_INTERVAL = "15s";

    /** postgres_exporter on every node, on the node's address (its standard port). */
    public static final int POSTGRES_EXPORTER_PORT = 9187;
    /** node_exporter on every node, on the node's address (its standard port). */
    public static final int NODE_EXPORTER_PORT = 9100;
    /** The user Prometheus names (HTTP basic auth) to the exporters; its password is the group's secret of that name. */
    public static final String SCRAPE_USER = "prometheus";
    /** Prometheus on the monitoring node, on the node's address (its standard port). */
    public static final int PROMETHEUS_PORT = 9090;

    public MonitoringSpec(String scrapeInterval) {
        this(scrapeInterval, null);
    }

    /** Every key filled in with its default. */
    public MonitoringSpec resolved() {
        return new MonitoringSpec(scrapeInterval == null ? SCRAPE_INTERVAL : scrapeInterval, prometheus);
    }
}
