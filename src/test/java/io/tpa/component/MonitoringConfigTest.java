package io.tpa.component;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tpa.host.ServiceDefinition;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.MonitoringSpec;
import io.tpa.model.SizeSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What the exporters are told (their address, TLS, basic auth, the monitoring role without its password on any command
 * line), what tpa writes for Prometheus, and tpa's alert rules: promtool accepts the configuration and the rules, and
 * every rule passes its unit test (src/test/resources/monitoring/alerts-test.yml) with {@code promtool test rules}.
 */
class MonitoringConfigTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static DeployedNode node(String name, String cluster, String address) {
        return new DeployedNode(name, cluster, address, new SizeSpec("small", 1, 2.0, 20), true, Map.of(), true, null);
    }

    private static final Deployment DEPLOYMENT = new Deployment(Deployment.FORMAT_VERSION, "sales", "sales-abc123", "local",
            "/var/lib/tpa/groups/sales-abc123", new Deployment.Postgres(15, List.of(), null), new Deployment.Patroni(null, false),
            null, null, List.of(
            new DeployedCluster("main", "dc1", true, "main", "pg1", Map.of(), List.of(node("pg1", "main", "127.20.0.4"), node("pg2", "main", "127.20.0.5"))),
            new DeployedCluster("dr", "dc2", false, "dr", "dr1", Map.of(), List.of(node("dr1", "dr", "127.20.0.6")))));
    private static final DeployedNode PG2 = DEPLOYMENT.node("pg2").orElseThrow();

    @Test
    void postgresExporterLogsInAsTheMonitoringRoleOverVerifiedTlsWithItsPasswordInAFile() {
        ServiceDefinition service = Exporters.postgresService(DEPLOYMENT, PG2, "postgres");
        String directory = "/var/lib/tpa/groups/sales-abc123/nodes/pg2/exporters";
        assertThat(service.name()).isEqualTo("postgres-exporter-pg2");
        assertThat(service.user()).isEqualTo("postgres");
        assertThat(service.command()).containsExactly("/usr/bin/prometheus-postgres-exporter",
                "--web.listen-address=127.20.0.5:9187", "--web.config.file=" + directory + "/web.yml",
                "--extend.query-path=" + directory + "/queries.yml", "--log.level=warn");
        assertThat(service.environment()).containsEntry("DATA_SOURCE_USER", "tpa_monitor")
                .containsEntry("DATA_SOURCE_PASS_FILE", directory + "/postgres.password")
                .containsEntry("DATA_SOURCE_URI", "127.20.0.5:5432/postgres?sslmode=verify-full&sslrootcert="
                        + "/var/lib/tpa/groups/sales-abc123/nodes/pg2/tls/ca.crt&application_name=postgres_exporter&connect_timeout=5")
                .doesNotContainKey("DATA_SOURCE_NAME");
        assertThat(Exporters.passwordFile(DEPLOYMENT, PG2)).isEqualTo(directory + "/postgres.password");
    }

    @Test
    void nodeExporterServesTheCertificatesExpiryFromTpasTextFile() {
        ServiceDefinition service = Exporters.nodeService(DEPLOYMENT, PG2, "postgres");
        String directory = "/var/lib/tpa/groups/sales-abc123/nodes/pg2/exporters";
        assertThat(service.name()).isEqualTo("node-exporter-pg2");
        assertThat(service.command()).containsExactly("/usr/bin/prometheus-node-exporter",
                "--web.listen-address=127.20.0.5:9100", "--web.config.file=" + directory + "/web.yml",
                "--collector.textfile.directory=" + directory + "/textfile", "--log.level=warn");
        assertThat(Exporters.certificateMetrics(Instant.ofEpochSecond(1830912201)))
                .contains("# TYPE tpa_certificate_expiry_timestamp_seconds gauge\n")
                .endsWith("tpa_certificate_expiry_timestamp_seconds{certificate=\"node\"} 1830912201\n");
    }

    @Test
    void theMonitoringNodesPrometheusKeepsItsDataInTheNodesDirectoryBehindTheExportersAuth() {
        ServiceDefinition service = PrometheusConfig.serverService(DEPLOYMENT, PG2, "postgres");
        String node = "/var/lib/tpa/groups/sales-abc123/nodes/pg2";
        assertThat(service.name()).isEqualTo("prometheus-pg2");
        assertThat(service.user()).isEqualTo("postgres");
        assertThat(service.command()).containsExactly("/usr/bin/prometheus", "--config.file=" + node + "/prometheus/prometheus.yml",
                "--storage.tsdb.path=" + node + "/prometheus/data", "--storage.tsdb.retention.time=15d",
                "--web.listen-address=127.20.0.5:9090", "--web.config.file=" + node + "/exporters/web.yml", "--log.level=warn");
    }

    @Test
    void theWebConfigurationServesTlsAndKeepsAHashThatStillMatches() {
        String hash = Exporters.passwordHash("secret", Optional.empty());
        assertThat(hash).startsWith("$2y$10$");
        assertThat(Exporters.matches("secret", hash)).isTrue();
        assertThat(Exporters.matches("other", hash)).isFalse();
        String config = Exporters.webConfig(DEPLOYMENT, PG2, hash);
        assertThat(config).contains("cert_file: /var/lib/tpa/groups/sales-abc123/nodes/pg2/tls/server.crt",
                "key_file: /var/lib/tpa/groups/sales-abc123/nodes/pg2/tls/server.key", "min_version: TLS12",
                "basic_auth_users:\n  prometheus: \"" + hash + "\"").doesNotContain("secret");
        // The same password keeps its hash (no rewrite on every apply); a new password gets a new one.
        assertThat(Exporters.passwordHash("secret", Optional.of(config))).isEqualTo(hash);
        String changed = Exporters.passwordHash("new", Optional.of(config));
        assertThat(changed).isNotEqualTo(hash);
        assertThat(Exporters.matches("new", changed)).isTrue();
        assertThat(Exporters.passwordHash("secret", Optional.of("garbage"))).isNotEqualTo(hash);
    }

    @Test
    void theTargetFileListsEveryNodesThreeServicesWithTheirLabels() throws IOException {
        JsonNode targets = YAML.readTree(PrometheusConfig.targets(DEPLOYMENT));
        assertThat(PrometheusConfig.targetsFile(DEPLOYMENT)).isEqualTo("targets/sales.yml");
        assertThat(targets).hasSize(9);
        List<String> seen = new ArrayList<>();
        targets.forEach(target -> seen.add(target.path("targets").get(0).asText() + " " + target.path("labels").path("cluster").asText()
                + " " + target.path("labels").path("node").asText() + " " + target.path("labels").path("service").asText()
                + " " + target.path("labels").path("group").asText()));
        assertThat(seen).contains("127.20.0.5:9187 main pg2 postgres sales", "127.20.0.5:9100 main pg2 node sales",
                "127.20.0.5:8008 main pg2 patroni sales", "127.20.0.6:9187 dr dr1 postgres sales");
    }

    @Test
    void promtoolAcceptsTheConfigurationAndTheRules() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMTOOL), "promtool is installed (scripts/install-deps.sh)");
        Path group = Files.createTempDirectory("tpa-prometheus-");
        try {
            Path monitoring = group.resolve(PrometheusConfig.DIRECTORY);
            Files.createDirectories(monitoring.resolve(PrometheusConfig.TARGETS_DIRECTORY));
            Files.createDirectories(group.resolve("tls"));
            Files.writeString(group.resolve("tls/ca.crt"), io.tpa.security.CertificateAuthority.create("sales").certificatePem());
            Files.writeString(monitoring.resolve(PrometheusConfig.PASSWORD_FILE), "secret");
            Files.writeString(monitoring.resolve(PrometheusConfig.CONFIG_FILE), PrometheusConfig.config(new MonitoringSpec(null).resolved()));
            Files.writeString(monitoring.resolve(PrometheusConfig.RULES_FILE), PrometheusConfig.rules());
            Files.writeString(monitoring.resolve(PrometheusConfig.targetsFile(DEPLOYMENT)), PrometheusConfig.targets(DEPLOYMENT));
            assertThat(promtool(monitoring, "check", "config", PrometheusConfig.CONFIG_FILE)).contains("SUCCESS: 10 rules found");
            assertThat(PrometheusConfig.config(new MonitoringSpec("30s"))).contains("scrape_interval: 30s", "evaluation_interval: 30s");
        } finally {
            delete(group);
        }
    }

    @Test
    void everyAlertRulePassesItsPromtoolUnitTest() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMTOOL), "promtool is installed (scripts/install-deps.sh)");
        Path directory = Files.createTempDirectory("tpa-rules-");
        try {
            Files.writeString(directory.resolve("alerts.yml"), PrometheusConfig.rules());
            Files.writeString(directory.resolve("alerts-test.yml"), testFile());
            assertThat(promtool(directory, "test", "rules", "alerts-test.yml")).contains("SUCCESS");
            // The test can fail: a rule that fires later than its test expects is caught.
            Files.writeString(directory.resolve("alerts.yml"), PrometheusConfig.rules().replace("for: 2m", "for: 10m"));
            Process failing = new ProcessBuilder(PROMTOOL.toString(), "test", "rules", "alerts-test.yml").directory(directory.toFile())
                    .redirectErrorStream(true).start();
            String output = new String(failing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(failing.waitFor()).as(output).isNotZero();
            assertThat(output).contains("alertname: TpaReplicationLag");
        } finally {
            delete(directory);
        }
    }

    @Test
    void everyAlertRuleHasATestWhereItFiresAndTheHealthyGroupFiresNone() throws IOException {
        Set<String> rules = new TreeSet<>();
        YAML.readTree(PrometheusConfig.rules()).path("groups").forEach(group -> group.path("rules").forEach(rule -> rules.add(rule.path("alert").asText())));
        assertThat(rules).hasSize(10).contains("TpaBackupTooOld", "TpaNoPrimary", "TpaMultiplePrimaries", "TpaReplicaNotStreaming", "TpaReplicationLag",
                "TpaWalArchivingFailing", "TpaDiskFilling", "TpaConnectionsNearMax", "TpaCertificateExpiring", "TpaTransactionIdWraparound");
        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        YAML.readTree(testFile()).path("tests").forEach(test -> test.path("alert_rule_test").forEach(check -> {
            (check.path("exp_alerts").isEmpty() ? quiet : firing).add(check.path("alertname").asText());
        }));
        assertThat(firing).isEqualTo(rules);
        assertThat(quiet).isEqualTo(rules);
    }

    private static String testFile() throws IOException {
        return Files.readString(Path.of("src/test/resources/monitoring/alerts-test.yml"));
    }

    private static String promtool(Path directory, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("promtool %s:\n%s", String.join(" ", arguments), output).isZero();
        return output;
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
