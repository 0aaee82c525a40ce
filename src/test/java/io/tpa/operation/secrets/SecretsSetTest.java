package io.tpa.operation.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.error.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tpa secrets set: only the secrets tpa cannot generate, one line of input, and the value never in a message. */
class SecretsSetTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheS3KeysCanBeSet() {
        assertThatThrownBy(() -> Secrets.set(dir, "postgres", "hunter2"))
                .isInstanceOfSatisfying(UserError.class, error -> assertThat(error.exitCode()).isEqualTo(UserError.BAD_INPUT))
                .hasMessage("secret 'postgres': not one that can be set; the secrets you set are backup.s3_key_id, backup.s3_key_secret "
                        + "(tpa generates the others)")
                .hasMessageNotContaining("hunter2");
        assertThat(dir.resolve("secrets.enc")).doesNotExist();
    }

    @Test
    void theValueIsOneLineOfStandardInput() {
        assertThatThrownBy(() -> Secrets.set(dir, "backup.s3_key_secret", "\n"))
                .hasMessageStartingWith("secret backup.s3_key_secret: expected one line on standard input, got nothing; pipe the value in");
        assertThatThrownBy(() -> Secrets.set(dir, "backup.s3_key_secret", "first-line\nsecond-line\n"))
                .hasMessageContaining("got several lines").hasMessageNotContaining("first-line");
        assertThat(dir.resolve("secrets.enc")).doesNotExist();
    }

    @Test
    void aDirectoryThatIsNoGroupIsRefused() {
        Path missing = dir.resolve("nowhere");

        assertThatThrownBy(() -> Secrets.set(missing, "backup.s3_key_id", "AKID")).hasMessageContaining("no such group directory");
        assertThat(Files.exists(missing)).isFalse();
    }
}
