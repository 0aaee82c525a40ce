package io.tpa.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.host.Command;
import io.tpa.host.LocalHost;
import io.tpa.model.BackupSpec;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.SecretNames;
import io.tpa.model.SizeSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A repository in an S3 bucket: pgBackRest's options, its keys only where they must be. */
class PgBackRestS3Test {
    private static final String BASE = "/var/lib/tpa/groups/sales-abc123";
    private static final Map<String, String> SECRETS = Map.of(SecretNames.BACKUP_CIPHER, "secret-passphrase",
            SecretNames.BACKUP_S3_KEY_ID, "AKIDEXAMPLE", SecretNames.BACKUP_S3_KEY_SECRET, "wJalrXUtnFEMI-secret");

    private static BackupSpec s3(String uriStyle, String caFile, Integer port) {
        return new BackupSpec(new BackupSpec.Repository("s3", null, null, null, "sales-backups", "s3.eu-west-1.amazonaws.com", port, "eu-west-1", uriStyle,
                caFile), null, null, null).resolved().withRepositoryPath("/sales-abc123");
    }

    private static Deployment deployment(BackupSpec backup, DeployedNode node) {
        return new Deployment(Deployment.FORMAT_VERSION, "sales", "sales-abc123", "local", BASE,
                new Deployment.Postgres(15, List.of(), null), new Deployment.Patroni(null, false),
                null, backup, List.of(new DeployedCluster("main", "dc1", true, "main", "pg1", Map.of(), List.of(node))));
    }

    private static final DeployedNode NODE = new DeployedNode("pg1", "main", "127.20.0.1", new SizeSpec("small", 1, 2.0, 20), true, Map.of(),
            true, null);

    @Test
    void theNodesConfigurationNamesTheBucketWithPgBackRestsDefaultsAndTheKeysFromTheSecrets() {
        String text = PgBackRest.config(deployment(s3(null, null, null), NODE), NODE, SECRETS);

        assertThat(text).contains("repo1-type=s3\n", "repo1-path=/sales-abc123\n", "repo1-s3-bucket=sales-backups\n",
                "repo1-s3-endpoint=s3.eu-west-1.amazonaws.com\n", "repo1-storage-port=443\n", "repo1-s3-region=eu-west-1\n",
                "repo1-s3-uri-style=host\n", "repo1-s3-key=AKIDEXAMPLE\n", "repo1-s3-key-secret=wJalrXUtnFEMI-secret\n",
                "repo1-retention-full=2\n", "repo1-cipher-type=aes-256-cbc\n", "repo1-cipher-pass=secret-passphrase\n", "[sales]\n");
        assertThat(text).doesNotContain("repo1-storage-ca-file").doesNotContain("repo1-storage-verify-tls");
    }

    @Test
    void aSelfHostedStoreIsVerifiedWithItsCaFile() {
        String text = PgBackRest.config(deployment(s3("path", "/etc/ssl/store-ca.crt", 9000), NODE), NODE, SECRETS);

        assertThat(text).contains("repo1-s3-uri-style=path\n", "repo1-storage-port=9000\n", "repo1-storage-ca-file=/etc/ssl/store-ca.crt\n");
    }

    @Test
    void theSchedulerAndARestoreReadTheSameBucket() {
        BackupSpec backup = s3("path", null, 9000);
        Deployment deployment = deployment(backup, NODE);

        assertThat(BackupScheduler.pgbackrestConfig(deployment, SECRETS)).contains("repo1-type=s3\n", "repo1-s3-bucket=sales-backups\n",
                "repo1-path=/sales-abc123\n", "repo1-s3-key-secret=wJalrXUtnFEMI-secret\n");
        assertThat(PgBackRest.restoreConfig(backup, SECRETS, "sales", NodeLayout.of("/var/lib/tpa/groups/copy-def456", "pg1")))
                .contains("repo1-type=s3\n", "repo1-path=/sales-abc123\n", "repo1-s3-key=AKIDEXAMPLE\n", "[sales]\n");
    }

    @Test
    void aLocalRepositoryHasNoS3Options() {
        BackupSpec local = new BackupSpec(null, null, null, null).resolved().withRepositoryPath("/var/lib/tpa/backup/sales-abc123");

        assertThat(PgBackRest.repository(local, SECRETS)).containsEntry("repo1-path", "/var/lib/tpa/backup/sales-abc123")
                .doesNotContainKeys("repo1-type", "repo1-s3-key", "repo1-s3-key-secret");
        assertThat(local.repository().describe()).isEqualTo("/var/lib/tpa/backup/sales-abc123");
    }

    @Test
    void theBucketCheckKeepsTheKeysOutOfTheCommandLine() {
        Command command = PgBackRest.s3List(new LocalHost(), s3("path", null, 9000), SECRETS, "archive/sales");

        assertThat(command.argv()).containsExactly(PgBackRest.BINARY, "--no-config", "--log-level-console=warn", "--io-timeout=2", "repo-ls",
                "archive/sales");
        assertThat(String.join(" ", command.argv())).doesNotContain("AKIDEXAMPLE").doesNotContain("wJalrXUtnFEMI-secret");
        assertThat(command.environment()).containsEntry("PGBACKREST_REPO1_S3_KEY", "AKIDEXAMPLE")
                .containsEntry("PGBACKREST_REPO1_S3_KEY_SECRET", "wJalrXUtnFEMI-secret").containsEntry("PGBACKREST_REPO1_TYPE", "s3")
                .containsEntry("PGBACKREST_REPO1_S3_URI_STYLE", "path").containsEntry("PGBACKREST_LOG_LEVEL_FILE", "off");
    }

    @Test
    void messagesNameTheBucketAndThePathInIt() {
        assertThat(s3(null, null, null).repository().describe()).isEqualTo("s3://sales-backups/sales-abc123 (s3.eu-west-1.amazonaws.com)");
        assertThat(s3("path", null, 9000).repository().describe()).isEqualTo("s3://sales-backups/sales-abc123 (s3.eu-west-1.amazonaws.com:9000)");
    }
}
