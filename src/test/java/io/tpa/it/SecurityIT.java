package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.model.DeployedNode;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** The attacks and mistakes a trusted deployment must refuse, tried for real against a running group. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {
    private static final String OUTSIDER = "127.20.250.250";
    private TestGroup group;
    private final List<String> outputs = new ArrayList<>();

    @BeforeAll
    void applyGroup() {
        group = TestGroup.create(TestGroup.config("secure", 2, "access:\n  networks: [10.9.0.0/16]\n"));
        outputs.add(group.apply().output());
    }

    @AfterAll
    void destroyGroup() {
        if (group != null) {
            group.close();
        }
    }

    private String url(String node, String extra) {
        return "jdbc:postgresql://" + group.node(node).address() + ":5432/postgres?connectTimeout=5" + extra;
    }

    @Test
    @Order(1)
    void aConnectionWithoutTlsIsRefused() {
        assertThatThrownBy(() -> DriverManager.getConnection(url("pg1", "&sslmode=disable"), "postgres", group.superuserPassword()).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("no pg_hba.conf entry").hasMessageContaining("no encryption");
    }

    @Test
    @Order(2)
    void aWrongPasswordIsRefused() {
        String verify = "&sslmode=verify-full&sslrootcert=" + group.directory.resolve("tls/ca.crt");
        assertThatThrownBy(() -> DriverManager.getConnection(url("pg1", verify), "postgres", "not-the-password").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        assertThatThrownBy(() -> DriverManager.getConnection(url("pg1", verify), "app", group.superuserPassword()).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
    }

    @Test
    @Order(3)
    void aServerWithAnotherCertificateIsNotTrusted() {
        // verify-full against the system's CAs (not the group's): the node's certificate is refused.
        assertThatThrownBy(() -> DriverManager.getConnection(url("pg1", "&sslmode=verify-full&sslrootcert=/etc/ssl/certs/ca-certificates.crt"),
                "postgres", group.superuserPassword()).close()).isInstanceOf(SQLException.class);
    }

    @Test
    @Order(4)
    void replicationFromAnAddressOutsideTheTopologyIsRefused() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("user", "replicator");
        properties.setProperty("password", secret("replicator"));
        properties.setProperty("replication", "database");
        properties.setProperty("assumeMinServerVersion", "10");
        properties.setProperty("preferQueryMode", "simple");
        properties.setProperty("sslmode", "verify-full");
        properties.setProperty("sslrootcert", group.directory.resolve("tls/ca.crt").toString());
        properties.setProperty("localSocketAddress", OUTSIDER);
        assertThatThrownBy(() -> DriverManager.getConnection(url("pg1", ""), properties).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("no pg_hba.conf entry").hasMessageContaining(OUTSIDER);
        // From inside the topology the same credentials are admitted.
        properties.remove("localSocketAddress");
        try (Connection inside = DriverManager.getConnection(url("pg1", ""), properties)) {
            assertThat(inside.isValid(5)).isTrue();
        }
    }

    @Test
    @Order(5)
    void applicationsAreAdmittedOnlyFromTheirNetworksAndOnlyAsApp() throws SQLException {
        try (Connection connection = group.connect("pg1");
             ResultSet rules = connection.createStatement().executeQuery(
                     "SELECT type, database[1], user_name[1], address, netmask, auth_method FROM pg_hba_file_rules ORDER BY line_number")) {
            List<String> lines = new ArrayList<>();
            while (rules.next()) {
                lines.add(String.join(" ", rules.getString(1), rules.getString(2), rules.getString(3),
                        String.valueOf(rules.getString(4)), String.valueOf(rules.getString(5)), rules.getString(6)));
            }
            assertThat(lines).contains("hostssl app app 10.9.0.0 255.255.0.0 scram-sha-256");
            assertThat(lines).allMatch(line -> line.endsWith("scram-sha-256"));
            assertThat(lines).noneMatch(line -> line.startsWith("host "));
            assertThat(lines).noneMatch(line -> line.contains("0.0.0.0"));
        }
    }

    @Test
    @Order(6)
    void patroniRefusesASwitchoverWithoutCredentials() throws Exception {
        DeployedNode primary = group.node("pg1");
        String body = "{\"leader\": \"pg1\", \"candidate\": \"pg2\"}";
        assertThat(post(primary, "/switchover", body, null)).isEqualTo(401);
        assertThat(post(primary, "/switchover", body, "tpa:wrong-password")).isEqualTo(401);
        assertThat(post(primary, "/restart", "{}", null)).isEqualTo(401);
        assertThat(group.status().path("clusters").get(0).path("nodes").get(0).path("role").asText()).isEqualTo("primary");
    }

    @Test
    @Order(7)
    void secretsAndKeysAreUnreadableToOtherUsers() throws Exception {
        Path secrets = group.directory.resolve("secrets.enc");
        assertThat(Files.getPosixFilePermissions(secrets)).extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        String node = group.deployment().baseDirectory() + "/nodes/pg1";
        for (String file : List.of(secrets.toString(), node + "/tls/server.key", node + "/patroni.yml", node + "/etcd-tls/server.key")) {
            Tpa.Result read = Tpa.exec(List.of("runuser", "-u", "nobody", "--", "cat", file), 10);
            assertThat(read.exitCode()).as("nobody reads %s", file).isNotZero();
            assertThat(read.stderr()).contains("Permission denied");
        }
        assertThat(Files.readString(secrets)).doesNotContain(group.superuserPassword()).contains("AES-256-GCM");
    }

    @Test
    @Order(8)
    void noSecretAppearsInAnyOutputLogOrCommit() throws IOException {
        outputs.add(group.tpa("status").output());
        outputs.add(group.tpa("plan").output());
        outputs.add(group.tpa("show").output());
        outputs.add(group.tpa("connect-string").output());
        outputs.add(group.tpa("rotate-certs").output());
        List<String> secrets = new ArrayList<>();
        for (String role : List.of("postgres", "replicator", "rewinder", "tpa_monitor", "app")) {
            secrets.add(secret(role));
        }
        StringBuilder logs = new StringBuilder();
        Path base = Path.of(group.deployment().baseDirectory());
        try (Stream<Path> files = Files.walk(base)) {
            for (Path file : files.filter(f -> (f.toString().endsWith(".log") || f.toString().endsWith(".json")) && Files.isRegularFile(f)).toList()) {
                logs.append(Files.readString(file, StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(logs.length()).as("the group wrote logs").isPositive();
        String history = group.everythingEverCommitted();
        for (String secret : secrets) {
            assertThat(secret).hasSizeGreaterThanOrEqualTo(20);
            assertThat(String.join("\n", outputs)).doesNotContain(secret);
            assertThat(logs.toString()).doesNotContain(secret);
            assertThat(history).doesNotContain(secret);
        }
    }

    private String secret(String role) {
        Tpa.Result result = Tpa.run("secrets", "show", group.path(), role);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.stdout().strip();
    }

    private int post(DeployedNode node, String path, String body, String credentials) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var in = Files.newInputStream(group.directory.resolve("tls/ca.crt"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        managers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, managers.getTrustManagers(), null);
        HttpsURLConnection connection = (HttpsURLConnection) new URL("https://" + node.address() + ":8008" + path).openConnection();
        connection.setSSLSocketFactory(context.getSocketFactory());
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setConnectTimeout(3000);
        connection.setReadTimeout(10000);
        if (credentials != null) {
            connection.setRequestProperty("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        connection.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        int status = connection.getResponseCode();
        ((HttpURLConnection) connection).disconnect();
        return status;
    }
}
