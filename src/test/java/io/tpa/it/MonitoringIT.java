package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.DeployedNode;
import io.tpa.model.Json;
import io.tpa.wait.Wait;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * A group with `monitoring:`, as an operator's Prometheus sees it: every node's postgres_exporter answers over TLS with
 * basic auth with real metrics of the group (pg_up 1, the replication lag series), node_exporter and Patroni's /metrics
 * answer, nothing listens on another address, the monitoring node's Prometheus (on the configuration tpa also writes into
 * the group directory, which promtool accepts) scrapes every target, and a stopped replica makes TpaReplicaNotStreaming
 * fire. Removing the section removes the exporters, Prometheus and the files.
 */
class MonitoringIT {
    private static final String CONFIG = TestGroup.config("monitoring", 2, "monitoring:\n  scrape_interval: 2s\n  prometheus: pg2\n");

    @Test
    void prometheusScrapesTheGroupAndAStoppedReplicaFiresAnAlert() throws Exception {
        try (TestGroup group = TestGroup.create(CONFIG)) {
            Tpa.Result apply = group.apply();
            assertThat(apply.stdout()).contains("start postgres_exporter", "start node_exporter", "start Prometheus", "write monitoring/prometheus.yml");
            HttpClient https = https(group.directory.resolve("tls/ca.crt"));
            String password = Tpa.run("secrets", "show", group.path(), "prometheus").stdout().strip();
            assertThat(password).hasSize(32);
            String primaryName = "";
            for (JsonNode node : group.status().path("clusters").get(0).path("nodes")) {
                if (node.path("role").asText().equals("primary")) {
                    primaryName = node.path("name").asText();
                }
            }
            DeployedNode primary = primaryName.equals("pg1") ? group.node("pg1") : group.node("pg2");
            DeployedNode replica = primary.name().equals("pg1") ? group.node("pg2") : group.node("pg1");

            // postgres_exporter: logged in (pg_up 1), the primary's view of the replica's lag, the replica's own.
            Wait.until("for both postgres_exporters to serve tpa's replication series", Duration.ofSeconds(30), () ->
                    metrics(https, primary, 9187, password).contains("tpa_replication_is_replica")
                            && metrics(https, replica, 9187, password).contains("tpa_replication_streaming"));
            String primaryMetrics = get(https, primary, 9187, password).body();
            assertThat(primaryMetrics).contains("\npg_up 1\n", "pg_stat_replication_pg_wal_lsn_diff{application_name=\"" + replica.name() + "\"",
                    "tpa_replication_is_replica{server=\"" + primary.address() + ":5432\"} 0", "tpa_database_xid_age{datname=\"app\"",
                    "pg_settings_max_connections");
            String replicaMetrics = get(https, replica, 9187, password).body();
            assertThat(replicaMetrics).contains("\npg_up 1\n", "tpa_replication_is_replica{server=\"" + replica.address() + ":5432\"} 1",
                    "tpa_replication_streaming{server=\"" + replica.address() + ":5432\"} 1", "tpa_replication_lag_seconds{");
            // Basic auth: no password, or a wrong one, gets nothing.
            assertThat(get(https, primary, 9187, null).statusCode()).isEqualTo(401);
            assertThat(get(https, primary, 9100, password + "x").statusCode()).isEqualTo(401);
            // node_exporter: the host's metrics and the certificate's expiry; Patroni: who leads.
            assertThat(get(https, replica, 9100, password).body()).contains("node_filesystem_avail_bytes", "tpa_certificate_expiry_timestamp_seconds{certificate=\"node\"}");
            // (Python's client, as Prometheus would: Java's HttpClient gets no answer from Patroni's Python server over TLS.)
            Tpa.Result patroni = Tpa.exec(List.of("python3", "-c", "import ssl, sys, urllib.request; sys.stdout.write(urllib.request.urlopen("
                    + "sys.argv[1], context=ssl.create_default_context(cafile=sys.argv[2]), timeout=10).read().decode())",
                    "https://" + primary.address() + ":8008/metrics", group.directory.resolve("tls/ca.crt").toString()), 30);
            assertThat(patroni.stdout()).as(patroni.output()).contains("patroni_primary{scope=\"main\"} 1");
            // Bound to the node's address only.
            assertThatThrownBy(() -> https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:9187/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
            // Run as the service user; the monitoring role's password is on no command line.
            String monitorPassword = Tpa.run("secrets", "show", group.path(), "tpa_monitor").stdout().strip();
            for (String service : List.of("postgres-exporter-", "node-exporter-")) {
                String pid = supervisorctl(group, "pid", service + primary.name()).stdout().strip();
                assertThat(Tpa.exec(List.of("ps", "-o", "user=", "-p", pid), 10).stdout().strip()).isEqualTo("postgres");
                assertThat(Files.readString(Path.of("/proc", pid, "cmdline"))).doesNotContain(monitorPassword, password);
            }
            assertThat(group.tpa("apply").stdout()).contains("No changes");

            // tpa rotate-certs: the exporters present the new certificate without a restart, and its expiry is the metric's.
            String before = expiryMetric(get(https, replica, 9100, password).body());
            Tpa.Result rotate = group.tpa("rotate-certs");
            assertThat(rotate.exitCode()).as(rotate.output()).isZero();
            assertThat(rotate.stdout()).contains("monitoring");
            // (A new client: the first one's kept connection still runs the TLS session of the former certificate.)
            HttpResponse<String> rotated = get(https(group.directory.resolve("tls/ca.crt")), replica, 9100, password);
            java.security.cert.X509Certificate presented = (java.security.cert.X509Certificate) rotated.sslSession().orElseThrow()
                    .getPeerCertificates()[0];
            assertThat(expiryMetric(rotated.body())).isNotEqualTo(before)
                    .isEqualTo(Long.toString(presented.getNotAfter().toInstant().getEpochSecond()));

            // tpa status --watch: a frame a second, with every node's transactions per second from the second frame on.
            Process watch = Tpa.start("status", group.path(), "--watch", "1", "--json");
            List<String> frames = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread reader = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(watch.getInputStream(),
                    StandardCharsets.UTF_8)).lines().forEach(frames::add));
            reader.start();
            try {
                Wait.until("for two frames of tpa status --watch", Duration.ofSeconds(30), () -> frames.size() >= 2);
            } finally {
                watch.destroy();
                watch.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
            JsonNode second = Json.JSON.readTree(frames.get(1));
            assertThat(second.path("status").path("clusters").get(0).path("nodes")).hasSize(2);
            assertThat(second.path("tps").path(primary.name()).asDouble(-1)).as(frames.get(1)).isGreaterThanOrEqualTo(0);
            assertThat(second.path("tps").path(replica.name()).asDouble(-1)).as(frames.get(1)).isGreaterThanOrEqualTo(0);

            // The configuration in the group directory, with the password file it asks for, is what Prometheus accepts.
            Path monitoring = group.directory.resolve("monitoring");
            Files.writeString(Files.createFile(monitoring.resolve("prometheus.password"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), password);
            assertThat(Files.readString(group.directory.resolve(".gitignore"))).contains("monitoring/*.password");
            Tpa.Result check = Tpa.exec(List.of("promtool", "check", "config", monitoring.resolve("prometheus.yml").toString()), 30);
            assertThat(check.exitCode()).as(check.output()).isZero();

            // The monitoring node's Prometheus: HTTPS with basic auth, every target up, then a replica stopped.
            DeployedNode server = group.node("pg2");
            String prometheusPid = supervisorctl(group, "pid", "prometheus-" + server.name()).stdout().strip();
            assertThat(Tpa.exec(List.of("ps", "-o", "user=", "-p", prometheusPid), 10).stdout().strip()).isEqualTo("postgres");
            assertThat(prometheus(https, server, "targets", null).statusCode()).isEqualTo(401);
            Wait.until("for Prometheus to scrape the group's 6 targets", Duration.ofSeconds(30), () -> {
                JsonNode targets = api(https, server, password, "targets").path("activeTargets");
                List<String> down = new ArrayList<>();
                targets.forEach(target -> {
                    if (!target.path("health").asText().equals("up")) {
                        down.add(target.path("labels").path("node").asText() + "/" + target.path("labels").path("service").asText()
                                + ": " + target.path("health").asText() + " " + target.path("lastError").asText());
                    }
                });
                return targets.size() == 6 && down.isEmpty() ? null : targets.size() + " targets, down: " + down;
            });
            assertThat(firing(https, server, password)).isEmpty();

            long stopped = System.nanoTime();
            supervisorctl(group, "stop", "patroni-" + replica.name());
            Wait.until("for TpaReplicaNotStreaming to fire for " + replica.name(), Duration.ofSeconds(90), () ->
                    firing(https, server, password).contains("TpaReplicaNotStreaming " + replica.name()));
            double seconds = (System.nanoTime() - stopped) / 1e9;
            System.out.printf("TpaReplicaNotStreaming fired %.1f s after the replica stopped%n", seconds);
            assertThat(seconds).isGreaterThanOrEqualTo(30); // its `for: 30s`
            assertThat(firing(https, server, password)).doesNotContain("TpaNoPrimary main", "TpaMultiplePrimaries main");
            supervisorctl(group, "start", "patroni-" + replica.name());

            // Without the section: the exporters stop and tpa's files go (the operator's password file stays).
            group.writeConfig(TestGroup.config("monitoring", 2, ""));
            Tpa.Result removal = group.apply();
            assertThat(removal.stdout()).contains("stop and remove postgres_exporter and node_exporter and Prometheus",
                    "remove the Prometheus configuration, targets and alert rules");
            assertThatThrownBy(() -> get(https, primary, 9187, password)).isInstanceOf(ConnectException.class);
            assertThat(monitoring.resolve("prometheus.yml")).doesNotExist();
            assertThat(monitoring.resolve("targets")).doesNotExist();
            assertThat(group.tpa("plan").stdout()).contains("No changes");
        }
    }

    /** The alerts that fire, as "NAME NODE" (or "NAME CLUSTER" for a cluster's). */
    private static List<String> firing(HttpClient https, DeployedNode server, String password) {
        List<String> alerts = new ArrayList<>();
        api(https, server, password, "alerts").path("alerts").forEach(alert -> {
            if (alert.path("state").asText().equals("firing")) {
                JsonNode labels = alert.path("labels");
                alerts.add(labels.path("alertname").asText() + " " + (labels.has("node") ? labels.path("node") : labels.path("cluster")).asText());
            }
        });
        return alerts;
    }

    /** The data of an answer of Prometheus' API, empty while it does not answer. */
    private static JsonNode api(HttpClient https, DeployedNode server, String password, String path) {
        try {
            return Json.JSON.readTree(prometheus(https, server, path, password).body()).path("data");
        } catch (IOException e) {
            return Json.JSON.createObjectNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> prometheus(HttpClient https, DeployedNode server, String path, String password)
            throws IOException, InterruptedException {
        return send(https, URI.create("https://" + server.address() + ":9090/api/v1/" + path), password);
    }

    /** The value of tpa_certificate_expiry_timestamp_seconds in node_exporter's page, as a whole number. */
    private static String expiryMetric(String page) {
        return page.lines().filter(line -> line.startsWith("tpa_certificate_expiry_timestamp_seconds{"))
                .map(line -> Long.toString((long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))))
                .findFirst().orElseThrow(() -> new AssertionError("no certificate expiry in node_exporter's page"));
    }

    /** The metrics page, or "" while it does not answer. */
    private static String metrics(HttpClient https, DeployedNode node, int port, String password) {
        try {
            return get(https, node, port, password).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> get(HttpClient https, DeployedNode node, int port, String password) throws IOException, InterruptedException {
        return send(https, URI.create("https://" + node.address() + ":" + port + "/metrics"), password);
    }

    private static HttpResponse<String> send(HttpClient https, URI uri, String password) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (password != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("prometheus:" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            // Bounded: a request timeout alone does not end every stalled TLS exchange.
            return https.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).get(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new AssertionError(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(uri + " did not answer within 20 s");
        }
    }

    /** An HTTPS client that trusts the group's CA only. */
    private static HttpClient https(Path caCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caCertificate)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustManagers.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
    }

    private static Tpa.Result supervisorctl(TestGroup group, String... arguments) {
        List<String> command = new ArrayList<>(List.of("supervisorctl", "-c", group.deployment().baseDirectory() + "/supervisor/supervisord.conf"));
        command.addAll(List.of(arguments));
        return Tpa.exec(command, 150);
    }
}
