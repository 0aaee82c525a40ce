package io.tpa.component;

import io.tpa.host.ServiceDefinition;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.MonitoringSpec;

/**
 * What tpa writes into the group directory ({@value #DIRECTORY}/) for a group with {@code monitoring:}, for a Prometheus
 * of your own (or the tests'): a configuration that scrapes every node's exporters and Patroni over HTTPS with the group's
 * CA, one file_sd target file per group, and tpa's alert rules ({@code monitoring/alerts.yml} in the jar).
 *
 * <p>Every target carries the labels {@code group}, {@code cluster}, {@code node} and {@code service} ({@code postgres},
 * {@code node} or {@code patroni}); the alert rules group by them. Two jobs read the same target files and keep their own
 * services: {@value #EXPORTERS_JOB} (basic auth, the password in {@value #PASSWORD_FILE} next to the configuration,
 * which you write: it is git-ignored) and {@value #PATRONI_JOB} (no password: Patroni's {@code GET /metrics} needs none).
 *
 * <p>The node that {@code monitoring.prometheus} names (the monitoring role) runs Prometheus on the same files, copied
 * into its directory ({@code BASE/nodes/NODE/prometheus/}, next to {@code tls/}, so {@code ../tls/ca.crt} is the node's
 * CA file), with the password file written by tpa (0600). It serves on the node's address, port
 * {@value MonitoringSpec#PROMETHEUS_PORT}, HTTPS with basic auth through the exporters' web configuration.
 */
public final class PrometheusConfig {
    /** The directory in the group directory. */
    public static final String DIRECTORY = "monitoring";
    public static final String CONFIG_FILE = "prometheus.yml";
    public static final String RULES_FILE = "alerts.yml";
    public static final String TARGETS_DIRECTORY = "targets";
    /** The scrape user's password, next to the configuration; not written by tpa (git-ignored). */
    public static final String PASSWORD_FILE = "prometheus.password";
    public static final String EXPORTERS_JOB = "tpa-exporters";
    public static final String PATRONI_JOB = "tpa-patroni";

    private PrometheusConfig() {
    }

    /** The target file's path in the monitoring directory: one per group, named after it. */
    public static String targetsFile(Deployment deployment) {
        return TARGETS_DIRECTORY + "/" + deployment.group() + ".yml";
    }

    /** prometheus.yml: paths relative to it (Prometheus resolves them from the configuration's directory). */
    public static String config(MonitoringSpec monitoring) {
        return """
                # Written by tpa from the group's tpa.yml (monitoring); changes made here are overwritten.
                # Before starting Prometheus with it, write the exporters' password (0600):
                #   (umask 077; tpa secrets show DIR %5$s > DIR/%6$s/%1$s)
                global:
                  scrape_interval: %2$s
                  evaluation_interval: %2$s
                rule_files:
                  - %3$s
                scrape_configs:
                  - job_name: %7$s
                    scheme: https
                    tls_config:
                      ca_file: ../tls/ca.crt
                    basic_auth:
                      username: %5$s
                      password_file: %1$s
                    file_sd_configs:
                      - files: ["%4$s/*.yml"]
                    relabel_configs:
                      - source_labels: [service]
                        regex: postgres|node
                        action: keep
                  - job_name: %8$s
                    scheme: https
                    tls_config:
                      ca_file: ../tls/ca.crt
                    file_sd_configs:
                      - files: ["%4$s/*.yml"]
                    relabel_configs:
                      - source_labels: [service]
                        regex: patroni
                        action: keep
                """.formatted(PASSWORD_FILE, monitoring.scrapeInterval(), RULES_FILE, TARGETS_DIRECTORY, MonitoringSpec.SCRAPE_USER,
                DIRECTORY, EXPORTERS_JOB, PATRONI_JOB);
    }

    /** The group's target file: every node's postgres_exporter, node_exporter and Patroni, with their labels. */
    public static String targets(Deployment deployment) {
        StringBuilder targets = new StringBuilder("# Written by tpa: every node of group " + deployment.group() + " (file_sd).\n");
        for (DeployedCluster cluster : deployment.clusters()) {
            for (DeployedNode node : cluster.nodes()) {
                target(targets, deployment, cluster, node, "postgres", MonitoringSpec.POSTGRES_EXPORTER_PORT);
                target(targets, deployment, cluster, node, "node", MonitoringSpec.NODE_EXPORTER_PORT);
                target(targets, deployment, cluster, node, "patroni", Deployment.PATRONI_PORT);
            }
        }
        return targets.toString();
    }

    private static void target(StringBuilder targets, Deployment deployment, DeployedCluster cluster, DeployedNode node, String service, int port) {
        targets.append("- targets: [\"").append(node.address()).append(':').append(port).append("\"]\n")
                .append("  labels:\n")
                .append("    group: \"").append(deployment.group()).append("\"\n")
                .append("    cluster: \"").append(cluster.name()).append("\"\n")
                .append("    node: \"").append(node.name()).append("\"\n")
                .append("    service: \"").append(service).append("\"\n");
    }

    public static String serverServiceName(DeployedNode node) {
        return "prometheus-" + node.name();
    }

    /** Prometheus' files on the monitoring node: configuration, rules, targets, password file, and its data. */
    public static String serverDirectory(Deployment deployment, DeployedNode node) {
        return NodeLayout.of(deployment.baseDirectory(), node.name()).directory() + "/prometheus";
    }

    /** Prometheus on the monitoring node: 15 days of metrics, the exporters' TLS and basic auth on its own UI and API. */
    public static ServiceDefinition serverService(Deployment deployment, DeployedNode node, String user) {
        String directory = serverDirectory(deployment, node);
        return new ServiceDefinition(serverServiceName(node), java.util.List.of("/usr/bin/prometheus",
                "--config.file=" + directory + "/" + CONFIG_FILE,
                "--storage.tsdb.path=" + directory + "/data",
                "--storage.tsdb.retention.time=15d",
                "--web.listen-address=" + node.address() + ":" + MonitoringSpec.PROMETHEUS_PORT,
                "--web.config.file=" + Exporters.webConfigFile(deployment, node),
                "--log.level=warn"), user, java.util.Map.of(), directory,
                NodeLayout.of(deployment.baseDirectory(), node.name()).logDirectory() + "/prometheus.log", 330);
    }

    /** tpa's alert rules, as the jar holds them. */
    public static String rules() {
        return Exporters.resource("monitoring/" + RULES_FILE);
    }
}
