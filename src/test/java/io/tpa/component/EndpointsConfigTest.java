package io.tpa.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.host.ServiceDefinition;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.EndpointsSpec;
import io.tpa.model.SizeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What HAProxy and pgbouncer are told: routes by Patroni's answers, TLS on every hop, auth_query, never root. */
class EndpointsConfigTest {
    private static final EndpointsSpec ENDPOINTS = new EndpointsSpec("transaction", 20, 500, "16MB");

    private static DeployedNode node(String name, String address) {
        return new DeployedNode(name, "main", address, new SizeSpec("small", 1, 2.0, 20), true, Map.of(), true, null);
    }

    private static final Deployment DEPLOYMENT = new Deployment(Deployment.FORMAT_VERSION, "sales", "sales-abc123", "ssh",
            "/var/lib/tpa/groups/sales-abc123", new Deployment.Postgres(15, List.of(), null), new Deployment.Patroni(null, false),
            null, null, List.of(new DeployedCluster("main", "main", true, "main", "pg1", Map.of(),
            List.of(node("pg1", "10.0.0.11"), node("pg2", "10.0.0.12"), node("pg3", "10.0.0.13")))));
    private static final DeployedNode PG2 = DEPLOYMENT.node("pg2").orElseThrow();

    @Test
    void haproxyRoutesByPatronisAnswersOverTls() {
        String config = Haproxy.config(DEPLOYMENT, PG2, ENDPOINTS);
        assertThat(config).contains(
                "bind 10.0.0.12:5000", "bind 10.0.0.12:5001", "bind 10.0.0.12:5002", "bind 10.0.0.12:5003",
                "http-check send meth GET uri /primary",
                "http-check send meth GET uri /replica?lag=16777216",
                "server pg1 10.0.0.11:5432 check check-ssl port 8008 verify required ca-file "
                        + "/var/lib/tpa/groups/sales-abc123/nodes/pg2/tls/ca.crt verifyhost pg1",
                "server pg3-primary 10.0.0.13:5432 backup track rw/pg3",
                "server pg1 10.0.0.11:6432 track rw/pg1",
                "server pg2 10.0.0.12:6432 track ro/pg2",
                "server pg2-primary 10.0.0.12:6432 backup track rw/pg2",
                "on-marked-down shutdown-sessions",
                "expose-fd listeners",
                "server-state-file /var/lib/tpa/groups/sales-abc123/nodes/pg2/haproxy/haproxy.state",
                "load-server-state-from-file global",
                "maxconn 500");
        assertThat(config).doesNotContain("user ", "group ", "daemon");
    }

    @Test
    void haproxyRunsAsMasterAndWorkersInTheForegroundAsTheServiceUser() {
        ServiceDefinition service = Haproxy.service(DEPLOYMENT, PG2, "postgres");
        assertThat(service.command()).containsExactly("/usr/sbin/haproxy", "-W", "-db", "-f",
                "/var/lib/tpa/groups/sales-abc123/nodes/pg2/haproxy/haproxy.cfg");
        assertThat(service.user()).isEqualTo("postgres");
        assertThat(service.name()).isEqualTo("haproxy-pg2");
    }

    @Test
    void pgbouncerLooksUsersUpAndSpeaksTlsOnBothSides() {
        String config = Pgbouncer.config(DEPLOYMENT, PG2, ENDPOINTS);
        String tls = "/var/lib/tpa/groups/sales-abc123/nodes/pg2/tls";
        assertThat(config).contains(
                "* = host=10.0.0.12 port=5432",
                "listen_addr = 10.0.0.12",
                "listen_port = 6432",
                "auth_type = scram-sha-256",
                "auth_user = tpa_pgbouncer",
                "auth_query = SELECT usename, passwd FROM tpa_pgbouncer.lookup($1)",
                "pool_mode = transaction",
                "default_pool_size = 20",
                "max_client_conn = 500",
                "client_tls_sslmode = require",
                "client_tls_cert_file = " + tls + "/server.crt",
                "server_tls_sslmode = verify-full",
                "server_tls_ca_file = " + tls + "/ca.crt");
        assertThat(Pgbouncer.authFileContent("se\"cret")).isEqualTo("\"tpa_pgbouncer\" \"se\"\"cret\"\n");
        assertThat(Pgbouncer.service(DEPLOYMENT, PG2, "postgres").command())
                .containsExactly("/usr/sbin/pgbouncer", "/var/lib/tpa/groups/sales-abc123/nodes/pg2/pgbouncer/pgbouncer.ini");
    }

    @Test
    void theLookupFunctionReturnsNoSuperuserAndRunsWithAFixedSearchPath() {
        String sql = Pgbouncer.lookupSql();
        assertThat(sql).contains("SECURITY DEFINER SET search_path = pg_catalog, pg_temp", "NOT s.usesuper AND NOT s.userepl",
                "REVOKE ALL ON FUNCTION \"tpa_pgbouncer\".lookup(text) FROM PUBLIC",
                "GRANT EXECUTE ON FUNCTION \"tpa_pgbouncer\".lookup(text) TO \"tpa_pgbouncer\"",
                "REVOKE ALL ON SCHEMA \"tpa_pgbouncer\" FROM PUBLIC");
        assertThat(Pgbouncer.LOOKUP_DATABASES).contains("template1");
    }

    @Test
    void haproxyAcceptsItsConfiguration() throws Exception {
        Path haproxy = Path.of("/usr/sbin/haproxy");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(haproxy), "HAProxy is installed");
        Path base = Files.createTempDirectory("tpa-haproxy-");
        try {
            // The CA file must exist and hold a certificate for HAProxy to accept the configuration.
            io.tpa.security.CertificateAuthority authority = io.tpa.security.CertificateAuthority.create("sales");
            Deployment local = new Deployment(Deployment.FORMAT_VERSION, "sales", "sales-abc123", "local", base.toString(),
                    new Deployment.Postgres(15, List.of(), null), new Deployment.Patroni(null, false),
                    null, null, DEPLOYMENT.clusters());
            Path tls = base.resolve("nodes/pg2/tls");
            Files.createDirectories(tls);
            Files.writeString(tls.resolve("ca.crt"), authority.certificatePem());
            Path file = base.resolve("haproxy.cfg");
            Files.writeString(file, Haproxy.config(local, PG2, ENDPOINTS).replace("10.0.0.12:500", "127.0.0.1:500"));
            Process check = new ProcessBuilder(haproxy.toString(), "-c", "-f", file.toString()).redirectErrorStream(true).start();
            String output = new String(check.getInputStream().readAllBytes());
            assertThat(check.waitFor()).as(output).isZero();
        } finally {
            try (var files = Files.walk(base)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
