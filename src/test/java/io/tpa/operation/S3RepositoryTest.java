package io.tpa.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.error.UserError;
import io.tpa.model.BackupSpec;
import io.tpa.model.GroupSpec;
import io.tpa.model.LoadedSpec;
import io.tpa.model.SecretNames;
import io.tpa.model.SpecLoader;
import io.tpa.workspace.GroupDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A group whose repository is an S3 bucket: where in the bucket by default, and the one line when its keys are missing. */
class S3RepositoryTest {
    private static final String CONFIG = """
            name: sales
            backup:
              repository:
                type: s3
                bucket: sales-backups
                endpoint: minio.example.com
                region: us-east-1
            clusters: [{name: main, nodes: [{name: pg1}]}]
            """;

    @TempDir
    Path dir;

    private LoadedSpec load() throws IOException {
        Files.writeString(dir.resolve("tpa.yml"), CONFIG);
        return SpecLoader.load(dir);
    }

    @Test
    void theRepositoryIsTheGroupKeyInsideTheBucketWithPgBackRestsDefaults() throws IOException {
        GroupSpec spec = load().spec();

        BackupSpec backup = Resolver.backup(spec, "/var/lib/tpa/groups/sales-abc123", "sales-abc123");

        assertThat(backup.repository().path()).isEqualTo("/sales-abc123");
        assertThat(backup.repository().port()).isEqualTo(443);
        assertThat(backup.repository().uriStyle()).isEqualTo("host");
        assertThat(backup.repository().describe()).isEqualTo("s3://sales-backups/sales-abc123 (minio.example.com)");
    }

    @Test
    void missingKeysAreOneLineThatNamesTheSecretAndHowToSetIt() throws IOException {
        LoadedSpec loaded = load();
        GroupDirectory directory = new GroupDirectory(dir);

        assertThatThrownBy(() -> GroupContext.requireS3Credentials(directory, loaded, Map.of()))
                .isInstanceOfSatisfying(UserError.class, error -> {
                    assertThat(error.exitCode()).isEqualTo(UserError.BAD_INPUT);
                    assertThat(error.getMessage()).isEqualTo(dir.resolve("tpa.yml") + ":4:5: backup.repository.type: s3 needs the secret "
                            + "backup.s3_key_id, which the group's secrets lack; set it with `tpa secrets set " + dir
                            + " backup.s3_key_id` (it reads the value from standard input)");
                });
        assertThatThrownBy(() -> GroupContext.requireS3Credentials(directory, loaded, Map.of(SecretNames.BACKUP_S3_KEY_ID, "AKID")))
                .hasMessageContaining("needs the secret backup.s3_key_secret").hasMessageNotContaining("AKID");
        GroupContext.requireS3Credentials(directory, loaded, Map.of(SecretNames.BACKUP_S3_KEY_ID, "AKID", SecretNames.BACKUP_S3_KEY_SECRET, "s"));
    }
}
