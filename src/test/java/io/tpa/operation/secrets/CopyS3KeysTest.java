package io.tpa.operation.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.model.BackupSpec;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Roles;
import io.tpa.model.SecretNames;
import io.tpa.model.SizeSpec;
import io.tpa.security.SecretKeys;
import io.tpa.workspace.GroupDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A group restored or forked from a group with its backups in S3 gets the source's keys to the store, and only those. */
class CopyS3KeysTest {
    private static final Map<String, String> SOURCE_SECRETS = Map.of(Roles.SUPERUSER, "source-password",
            SecretNames.BACKUP_S3_KEY_ID, "AKIDEXAMPLE", SecretNames.BACKUP_S3_KEY_SECRET, "wJalrXUtnFEMI-secret");

    @TempDir
    Path root;

    private static Deployment source(BackupSpec backup) {
        DeployedNode node = new DeployedNode("pg1", "main", "127.20.0.1", new SizeSpec("small", 1, 2.0, 20), true, Map.of(), true, null);
        return new Deployment(Deployment.FORMAT_VERSION, "sales", "sales-abc123", "local", "/var/lib/tpa/groups/sales-abc123",
                new Deployment.Postgres(15, List.of(), null), new Deployment.Patroni(null, false),
                null, backup, List.of(new DeployedCluster("main", "dc1", true, "main", "pg1", Map.of(), List.of(node))));
    }

    private GroupDirectory target() throws Exception {
        return new GroupDirectory(Files.createDirectories(root.resolve("copy")), new SecretKeys(null, root.resolve("config/tpa/secrets.key")));
    }

    @Test
    void theNewGroupGetsTheKeysEncryptedAndPasswordsOfItsOwn() throws Exception {
        BackupSpec s3 = new BackupSpec(new BackupSpec.Repository("s3", null, null, null, "b", "minio.example.com", null, "us-east-1", "path", null), null,
                null, null).resolved().withRepositoryPath("/sales-abc123");
        GroupDirectory target = target();

        Secrets.copyS3Keys(source(s3), SOURCE_SECRETS, target);

        assertThat(target.secrets()).containsEntry(SecretNames.BACKUP_S3_KEY_ID, "AKIDEXAMPLE")
                .containsEntry(SecretNames.BACKUP_S3_KEY_SECRET, "wJalrXUtnFEMI-secret");
        assertThat(target.secrets().get(Roles.SUPERUSER)).isNotEqualTo("source-password");
        assertThat(Files.readString(target.path().resolve(GroupDirectory.SECRETS))).doesNotContain("wJalrXUtnFEMI-secret");
    }

    @Test
    void aSourceWithALocalRepositoryGivesNothing() throws Exception {
        GroupDirectory target = target();

        Secrets.copyS3Keys(source(new BackupSpec(null, null, null, null).resolved().withRepositoryPath("/srv/backup")), SOURCE_SECRETS, target);
        Secrets.copyS3Keys(source(null), SOURCE_SECRETS, target);

        assertThat(target.hasSecrets()).isFalse();
    }
}
