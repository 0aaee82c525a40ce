package io.tpa.component;

import io.tpa.host.Command;
import io.tpa.host.CommandResult;
import io.tpa.host.Host;
import io.tpa.host.ServiceDefinition;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.MonitoringSpec;
import io.tpa.model.Roles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The Prometheus exporters on every node of a group with {@code monitoring:}, both from Debian's packages, run by the
 * group's service manager as the service user and bound to the node's address only:
 * <ul>
 *   <li>postgres_exporter ({@value MonitoringSpec#POSTGRES_EXPORTER_PORT}) logs in to the node's own PostgreSQL as
 *       {@value Roles#MONITOR} (pg_monitor, nothing else) over TLS with {@code sslmode=verify-full} against the group's
 *       CA; its password is in a file only the service user reads ({@code DATA_SOURCE_PASS_FILE}), never on a command
 *       line. It adds tpa's own queries ({@code monitoring/queries.yml}: replication state and lag, transaction ID age).</li>
 *   <li>node_exporter ({@value MonitoringSpec#NODE_EXPORTER_PORT}) with its standard collectors, and a text file that
 *       tpa writes: when the node's certificate expires ({@value #CERTIFICATE_METRIC}).</li>
 * </ul>
 * Both serve HTTPS with the node's certificate and ask for HTTP basic auth (exporter-toolkit's {@code --web.config.file}):
 * user {@value MonitoringSpec#SCRAPE_USER}, whose bcrypt hash is in the web configuration. exporter-toolkit reads that
 * file on every request, so a new certificate or hash needs no restart.
 */
public final class Exporters {
    /** The metric (a Unix time) node_exporter reads from tpa's text file: when the node's certificate expires. */
    public static final String CERTIFICATE_METRIC = "tpa_certificate_expiry_timestamp_seconds";
    public static final String POSTGRES_LOG_FILE = "postgres_exporter.log";
    public static final String NODE_LOG_FILE = "node_exporter.log";
    /** bcrypt's cost for the basic auth hash: the exporters check it on every scrape, so not more than the usual 10. */
    static final int BCRYPT_COST = 10;

    private static final Pattern HASH = Pattern.compile("(?m)^\\s+" + MonitoringSpec.SCRAPE_USER + ":\\s*\"?([^\"\\s]+)\"?\\s*$");

    private Exporters() {
    }

    public static String postgresServiceName(DeployedNode node) {
        return "postgres-exporter-" + node.name();
    }

    public static String nodeServiceName(DeployedNode node) {
        return "node-exporter-" + node.name();
    }

    /** The exporters' files on a node: web configuration, password file, queries, text file directory. */
    public static String directory(Deployment deployment, DeployedNode node) {
        return NodeLayout.of(deployment.baseDirectory(), node.name()).directory() + "/exporters";
    }

    public static String webConfigFile(Deployment deployment, DeployedNode node) {
        return directory(deployment, node) + "/web.yml";
    }

    public static String passwordFile(Deployment deployment, DeployedNode node) {
        return directory(deployment, node) + "/postgres.password";
    }

    public static String queriesFile(Deployment deployment, DeployedNode node) {
        return directory(deployment, node) + "/queries.yml";
    }

    public static String textFileDirectory(Deployment deployment, DeployedNode node) {
        return directory(deployment, node) + "/textfile";
    }

    public static String certificateFile(Deployment deployment, DeployedNode node) {
        return textFileDirectory(deployment, node) + "/tpa.prom";
    }

    /** postgres_exporter: the data source in its environment, the password in a file. */
    public static ServiceDefinition postgresService(Deployment deployment, DeployedNode node, String user) {
        NodeLayout layout = NodeLayout.of(deployment.baseDirectory(), node.name());
        String dataSource = node.address() + ":" + Deployment.POSTGRES_PORT + "/postgres?sslmode=verify-full&sslrootcert="
                + layout.tlsDirectory() + "/ca.crt&application_name=postgres_exporter&connect_timeout=5";
        return new ServiceDefinition(postgresServiceName(node), List.of("/usr/bin/prometheus-postgres-exporter",
                "--web.listen-address=" + node.address() + ":" + MonitoringSpec.POSTGRES_EXPORTER_PORT,
                "--web.config.file=" + webConfigFile(deployment, node),
                "--extend.query-path=" + queriesFile(deployment, node),
                "--log.level=warn"), user,
                Map.of("DATA_SOURCE_URI", dataSource, "DATA_SOURCE_USER", Roles.MONITOR, "DATA_SOURCE_PASS_FILE", passwordFile(deployment, node)),
                directory(deployment, node), layout.logDirectory() + "/" + POSTGRES_LOG_FILE, 320);
    }

    public static ServiceDefinition nodeService(Deployment deployment, DeployedNode node, String user) {
        NodeLayout layout = NodeLayout.of(deployment.baseDirectory(), node.name());
        return new ServiceDefinition(nodeServiceName(node), List.of("/usr/bin/prometheus-node-exporter",
                "--web.listen-address=" + node.address() + ":" + MonitoringSpec.NODE_EXPORTER_PORT,
                "--web.config.file=" + webConfigFile(deployment, node),
                "--collector.textfile.directory=" + textFileDirectory(deployment, node),
                "--log.level=warn"), user, Map.of(), directory(deployment, node), layout.logDirectory() + "/" + NODE_LOG_FILE, 320);
    }

    /** exporter-toolkit's web configuration: the node's certificate, TLS 1.2 or later, basic auth for the scrape user. */
    public static String webConfig(Deployment deployment, DeployedNode node, String passwordHash) {
        String tls = NodeLayout.of(deployment.baseDirectory(), node.name()).tlsDirectory();
        return """
                # Written by tpa from the group's tpa.yml (monitoring); changes made here are overwritten.
                tls_server_config:
                  cert_file: %1$s/server.crt
                  key_file: %1$s/server.key
                  min_version: TLS12
                basic_auth_users:
                  %2$s: "%3$s"
                """.formatted(tls, MonitoringSpec.SCRAPE_USER, passwordHash);
    }

    /**
     * The bcrypt hash for the web configuration: the one {@code currentWebConfig} holds when it matches the password (a
     * new salt on every apply would rewrite the file every time), else a new one.
     */
    public static String passwordHash(String password, Optional<String> currentWebConfig) {
        if (currentWebConfig.isPresent()) {
            Matcher matcher = HASH.matcher(currentWebConfig.get());
            if (matcher.find() && matches(password, matcher.group(1))) {
                return matcher.group(1);
            }
        }
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, BCRYPT_COST);
    }

    /** Whether a bcrypt hash is the password's. */
    public static boolean matches(String password, String hash) {
        try {
            return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** tpa's queries for postgres_exporter. */
    public static String queries() {
        return resource("monitoring/queries.yml");
    }

    /** The text file node_exporter serves: when the node's certificate expires. */
    public static String certificateMetrics(Instant notAfter) {
        return "# HELP " + CERTIFICATE_METRIC + " When the node's TLS certificate (PostgreSQL, Patroni, the exporters) expires, "
                + "as a Unix time. Written by tpa.\n"
                + "# TYPE " + CERTIFICATE_METRIC + " gauge\n"
                + CERTIFICATE_METRIC + "{certificate=\"node\"} " + notAfter.getEpochSecond() + "\n";
    }

    static String resource(String name) {
        try (InputStream in = Exporters.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fetches an HTTPS page on the node's own host, verifying the group's CA, with basic auth when a password is given. */
    private static final String FETCH = String.join("\n",
            "import base64, os, ssl, sys, urllib.request",
            "context = ssl.create_default_context(cafile=sys.argv[2])",
            "request = urllib.request.Request(sys.argv[1])",
            "password = os.environ.get('TPA_SCRAPE_PASSWORD')",
            "if password:",
            "    token = base64.b64encode((sys.argv[3] + ':' + password).encode()).decode()",
            "    request.add_header('Authorization', 'Basic ' + token)",
            "with urllib.request.urlopen(request, context=context, timeout=10) as response:",
            "    sys.stdout.write(response.read().decode())",
            "");

    /** The metrics page of a node's service at this port, as Prometheus gets it (HTTPS, the group's CA, basic auth). */
    public static CommandResult scrape(Host host, Deployment deployment, DeployedNode node, int port, String scrapePassword) {
        String tls = NodeLayout.of(deployment.baseDirectory(), node.name()).tlsDirectory();
        Command fetch = Command.of("python3", "-c", FETCH, "https://" + node.address() + ":" + port + "/metrics", tls + "/ca.crt",
                        MonitoringSpec.SCRAPE_USER)
                .as(host.serviceUser())
                .withEnvironment(scrapePassword == null ? Map.of() : Map.of("TPA_SCRAPE_PASSWORD", scrapePassword))
                .withTimeout(Duration.ofSeconds(20));
        return host.run(fetch);
    }

    /** Null when both exporters of the node answer with their metrics and postgres_exporter reaches PostgreSQL, else why not. */
    public static String whyUnhealthy(Host host, Deployment deployment, DeployedNode node, String scrapePassword) {
        CommandResult postgres = scrape(host, deployment, node, MonitoringSpec.POSTGRES_EXPORTER_PORT, scrapePassword);
        if (!postgres.ok()) {
            return node.name() + ": postgres_exporter does not answer (" + postgres.lastErrorLine() + ")";
        }
        if (!postgres.stdout().contains("\npg_up 1\n")) {
            return node.name() + ": postgres_exporter does not reach PostgreSQL yet (pg_up is not 1)";
        }
        CommandResult system = scrape(host, deployment, node, MonitoringSpec.NODE_EXPORTER_PORT, scrapePassword);
        if (!system.ok()) {
            return node.name() + ": node_exporter does not answer (" + system.lastErrorLine() + ")";
        }
        return system.stdout().contains(CERTIFICATE_METRIC) ? null : node.name() + ": node_exporter does not serve " + CERTIFICATE_METRIC + " yet";
    }
}
