package io.tpa.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.model.AccessSpec;
import io.tpa.model.BackupSpec;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.SecretNames;
import io.tpa.model.SizeSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A repository on a backup server: what the backup server's and the nodes' pgBackRest configurations say to each other
 * through pgBackRest's TLS server, and who reaches port 8432.
 */
class BackupServerTest {
    private static final String BASE = "/var/lib/tpa/groups/sales-abc123";
    private static final String SERVER = "10.0.0.20";
    private static final Map<String, String> SECRETS = Map.of(SecretNames.BACKUP_CIPHER, "passphrase");

    private static Deployment deployment() {
        SizeSpec small = new SizeSpec("small", 1, 2.0, 20);
        List<DeployedNode> nodes = List.of(
                new DeployedNode("pg1", "main", "10.0.0.11", small, true, Map.of(), true, null),
                new DeployedNode("pg2", "main", "10.0.0.12", small, true, Map.of(), true, null));
        BackupSpec backup = new BackupSpec(BackupSpec.Repository.server(null, SERVER, null), null, null, null).resolved()
                .withRepositoryPath("/var/lib/tpa/backup/sales-abc123");
        return new Deployment(Deployment.FORMAT_VERSION, "sales", "sales-abc123", "ssh", BASE,
                new Deployment.Postgres(17, List.of(), null), new Deployment.Patroni(null, false),
                AccessSpec.PRIVATE, backup, List.of(new DeployedCluster("main", "dc1", true, "main", "pg1", Map.of(), nodes)));
    }

    @Test
    void theBackupServerAcceptsEachNodeByNameAndReachesEachNodeThroughItsTlsServer() {
        Deployment deployment = deployment();
        List<String> lines = BackupScheduler.pgbackrestConfig(deployment, SECRETS).lines().toList();

        assertThat(lines).contains("repo1-path=/var/lib/tpa/backup/sales-abc123", "repo1-cipher-type=aes-256-cbc", "repo1-cipher-pass=passphrase",
                "tls-server-address=" + SERVER, "tls-server-port=8432",
                "tls-server-cert-file=" + BASE + "/backup/tls/server.crt",
                "pg1-host=10.0.0.11", "pg1-host-type=tls", "pg1-host-cert-file=" + BASE + "/backup/tls/server.crt",
                "pg1-path=" + BASE + "/nodes/pg1/pgdata", "pg2-host=10.0.0.12", "pg2-socket-path=" + BASE + "/nodes/pg2/run");
        // One line per client name: pgBackRest reads a comma in it as a list of stanzas, not of clients.
        assertThat(lines).containsSubsequence("tls-server-auth=pg1=sales", "tls-server-auth=pg2=sales");
        assertThat(lines).noneMatch(line -> line.startsWith("tls-server-auth=") && line.contains(","));
    }

    @Test
    void aNodeReachesTheRepositoryWithItsOwnCertificateAndAcceptsOnlyTheBackupServer() {
        Deployment deployment = deployment();
        DeployedNode pg2 = deployment.node("pg2").orElseThrow();
        List<String> lines = PgBackRest.config(deployment, pg2, SECRETS).lines().toList();
        String tls = BASE + "/nodes/pg2/tls";

        assertThat(lines).contains("repo1-host=" + SERVER, "repo1-host-type=tls", "repo1-host-cert-file=" + tls + "/server.crt",
                "repo1-host-key-file=" + tls + "/server.key", "repo1-host-ca-file=" + tls + "/ca.crt",
                // The TLS server works with its client's repository options: the path on the server and the passphrase.
                "repo1-path=/var/lib/tpa/backup/sales-abc123", "repo1-cipher-pass=passphrase",
                "tls-server-address=10.0.0.12", "tls-server-auth=backup.sales=sales", "pg1-path=" + BASE + "/nodes/pg2/pgdata");
        assertThat(BackupServer.commonName(deployment)).contains(".");
        assertThat(BackupServer.nodeService(deployment, pg2, "postgres").environment())
                .containsEntry("PGPASSFILE", BASE + "/nodes/pg2/pgbackrest.pgpass");
        assertThat(BackupServer.nodeService(deployment, pg2, "postgres").command()).endsWith("server");
    }

    @Test
    void onlyTheNodesReachTheBackupServerAndOnlyTheBackupServerReachesANode() {
        Deployment deployment = deployment();
        assertThat(BackupServer.firewallRules(deployment).lines().map(String::strip).toList())
                .containsSubsequence("tcp dport 8432 ip saddr { 10.0.0.11, 10.0.0.12 } accept", "tcp dport 8432 drop");
        String node = HostPreparation.firewallRules(deployment, List.of(deployment.node("pg1").orElseThrow()), List.of("192.0.2.10"));
        assertThat(node.lines().map(String::strip).toList())
                .containsSubsequence("tcp dport 8432 ip saddr { " + SERVER + " } accept", "tcp dport 8432 drop");
    }

    @Test
    void aLocalRepositoryGroupHasNoTlsServer() {
        SizeSpec small = new SizeSpec("small", 1, 2.0, 20);
        DeployedNode pg1 = new DeployedNode("pg1", "main", "127.20.0.1", small, true, Map.of(), true, null);
        BackupSpec local = new BackupSpec(null, null, null, null).resolved().withRepositoryPath("/var/lib/tpa/backup/sales-abc123");
        Deployment deployment = new Deployment(Deployment.FORMAT_VERSION, "sales", "sales-abc123", "local", BASE,
                new Deployment.Postgres(15, List.of(), null), new Deployment.Patroni(null, false),
                AccessSpec.PRIVATE, local, List.of(new DeployedCluster("main", "dc1", true, "main", "pg1", Map.of(), List.of(pg1))));

        assertThat(BackupServer.used(deployment)).isFalse();
        assertThat(PgBackRest.config(deployment, pg1, SECRETS)).doesNotContain("repo1-host", "tls-server");
        assertThat(HostPreparation.firewallRules(deployment, List.of(pg1), List.of())).doesNotContain("8432");
    }
}
