package io.tpa.component;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.BackupSpec;
import io.tpa.model.Catalog;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Json;
import io.tpa.model.Roles;
import io.tpa.model.SecretNames;
import io.tpa.model.SizeSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A group with backups: every node archives through pgBackRest, and replicas are restored from the newest backup first. */
class PatroniBackupTest {
    private static final Map<String, String> PASSWORDS = Map.of(Roles.SUPERUSER, "s", Roles.REPLICATION, "r", Roles.REWIND, "w",
            SecretNames.PATRONI_API, "a");
    private static final String BASE = "/var/lib/tpa/groups/sales-abc123";

    private static JsonNode rendered(BackupSpec backup) throws Exception {
        DeployedNode node = new DeployedNode("pg2", "main", "127.20.0.2", new SizeSpec("small", 1, 2.0, 20), true, Map.of(), true, null);
        Deployment deployment = new Deployment(Deployment.FORMAT_VERSION, "sales", "sales-abc123", "local", BASE,
                new Deployment.Postgres(15, List.of(), null), new Deployment.Patroni(null, false),
                null, backup, List.of(new DeployedCluster("main", "dc1", true, "main", "pg1", Map.of(), List.of(node))));
        return Json.YAML.readTree(Patroni.config(deployment, node, PASSWORDS, List.of("127.0.0.1"), Catalog.load(), false));
    }

    @Test
    void everyNodeArchivesToTheRepositoryAndReplicasAreRestoredFromTheNewestBackupFirst() throws Exception {
        BackupSpec backup = new BackupSpec(null, null, null, null).resolved().withRepositoryPath("/var/lib/tpa/backup/sales-abc123");
        JsonNode postgresql = rendered(backup).path("postgresql");
        String config = BASE + "/nodes/pg2/pgbackrest.conf";

        assertThat(postgresql.path("parameters").path("archive_mode").asText()).isEqualTo("on");
        assertThat(postgresql.path("parameters").path("archive_command").asText())
                .isEqualTo("/usr/bin/pgbackrest --config=" + config + " --stanza=sales archive-push %p");
        assertThat(postgresql.path("recovery_conf").path("restore_command").asText())
                .isEqualTo("/usr/bin/pgbackrest --config=" + config + " --stanza=sales archive-get %f \"%p\"");
        assertThat(postgresql.path("create_replica_methods")).extracting(JsonNode::asText).containsExactly("pgbackrest", "basebackup");
        assertThat(postgresql.path("pgbackrest").path("command").asText()).isEqualTo("/bin/sh -c '/bin/mkdir -p -m 0700 " + BASE
                + "/nodes/pg2/pgdata && exec /usr/bin/pgbackrest --config=" + config + " --stanza=sales --type=preserve --log-level-console=warn "
                + "restore'");
        assertThat(postgresql.path("pgbackrest").path("no_params").asBoolean()).isTrue();
    }

    @Test
    void withoutBackupsNothingArchivesAndReplicasCopyThePrimary() throws Exception {
        JsonNode postgresql = rendered(null).path("postgresql");

        assertThat(postgresql.path("parameters").has("archive_command")).isFalse();
        assertThat(postgresql.has("recovery_conf")).isFalse();
        assertThat(postgresql.path("create_replica_methods")).extracting(JsonNode::asText).containsExactly("basebackup");
    }

    @Test
    void theRepositoryIsEncryptedWithThePassphraseFromTheSecretsAndLocksAreTheGroups() {
        BackupSpec backup = new BackupSpec(null, null, null, null).resolved().withRepositoryPath("/var/lib/tpa/backup/sales-abc123");
        DeployedNode node = new DeployedNode("pg1", "main", "127.20.0.1", new SizeSpec("small", 1, 2.0, 20), true, Map.of(), true, null);
        Deployment deployment = new Deployment(Deployment.FORMAT_VERSION, "sales", "sales-abc123", "local", BASE,
                new Deployment.Postgres(15, List.of(), null), new Deployment.Patroni(null, false),
                null, backup, List.of(new DeployedCluster("main", "dc1", true, "main", "pg1", Map.of(), List.of(node))));

        String text = PgBackRest.config(deployment, node, Map.of(SecretNames.BACKUP_CIPHER, "secret-passphrase"));

        assertThat(text).contains("repo1-path=/var/lib/tpa/backup/sales-abc123\n", "repo1-retention-full=2\n", "repo1-cipher-type=aes-256-cbc\n",
                "repo1-cipher-pass=secret-passphrase\n", "lock-path=" + BASE + "/pgbackrest-lock\n", "[sales]\n",
                "pg1-path=" + BASE + "/nodes/pg1/pgdata\n");
    }
}
