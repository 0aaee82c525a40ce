package io.tpa.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.error.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretKeysTest {
    @TempDir
    Path directory;

    @Test
    void theKeyFileLivesUnderXdgConfigHome() {
        SecretKeys keys = SecretKeys.of(Map.of("XDG_CONFIG_HOME", directory.resolve("xdg").toString(), "HOME", "/nowhere"), "/nowhere");

        assertThat(keys.keyFile()).isEqualTo(directory.resolve("xdg/tpa/secrets.key"));
    }

    @Test
    void elseUnderHomeDotConfigIgnoringARelativeXdgConfigHome() {
        assertThat(SecretKeys.of(Map.of("HOME", directory.toString()), "/nowhere").keyFile())
                .isEqualTo(directory.resolve(".config/tpa/secrets.key"));
        assertThat(SecretKeys.of(Map.of("HOME", directory.toString(), "XDG_CONFIG_HOME", "relative"), "/nowhere").keyFile())
                .isEqualTo(directory.resolve(".config/tpa/secrets.key"));
        assertThat(SecretKeys.of(Map.of(), directory.toString()).keyFile()).isEqualTo(directory.resolve(".config/tpa/secrets.key"));
    }

    @Test
    void theFirstNeedCreatesARandomKeyOnlyItsOwnerCanRead() throws Exception {
        SecretKeys keys = SecretKeys.of(Map.of("HOME", directory.toString()), "/nowhere");
        assertThat(keys.existing()).isEmpty();

        SecretKeys.Key key = keys.obtain();

        Path file = directory.resolve(".config/tpa/secrets.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(32);
        assertThat(key.source()).isEqualTo(file.toString());
        assertThat(keys.obtain().id()).as("the same key the next time").isEqualTo(key.id());
        assertThat(SecretKeys.of(Map.of("HOME", directory.resolve("other").toString()), "/nowhere").obtain().id())
                .as("another user's key differs").isNotEqualTo(key.id());
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void theEnvironmentVariableTakesPrecedenceOverTheKeyFile() {
        SecretKeys fileKeys = SecretKeys.of(Map.of("HOME", directory.toString()), "/nowhere");
        String fileKeyId = fileKeys.obtain().id();
        String value = Base64.getEncoder().encodeToString(new byte[32]);

        SecretKeys keys = SecretKeys.of(Map.of("HOME", directory.toString(), SecretKeys.ENVIRONMENT_VARIABLE, value), "/nowhere");

        assertThat(keys.obtain().id()).isNotEqualTo(fileKeyId);
        assertThat(keys.obtain().source()).isEqualTo("$TPA_SECRETS_KEY");
        assertThat(keys.source()).isEqualTo("$TPA_SECRETS_KEY");
    }

    @Test
    void theEnvironmentVariableNeverCreatesAKeyFile() {
        SecretKeys keys = SecretKeys.of(Map.of("HOME", directory.toString(),
                SecretKeys.ENVIRONMENT_VARIABLE, Base64.getEncoder().encodeToString(new byte[32])), "/nowhere");
        keys.obtain();

        assertThat(keys.keyFile()).doesNotExist();
    }

    @Test
    void aValueThatIsNotA256BitKeyIsRefused() {
        for (String value : new String[] {"not base64!", Base64.getEncoder().encodeToString(new byte[16])}) {
            SecretKeys keys = new SecretKeys(value, directory.resolve("secrets.key"));
            assertThatThrownBy(keys::obtain).isInstanceOf(UserError.class)
                    .hasMessageStartingWith("$TPA_SECRETS_KEY does not hold a secrets key").hasMessageContaining("base64 of 32 bytes");
        }
    }

    @Test
    void aKeyFileOthersCanReadIsRefused() throws Exception {
        SecretKeys keys = new SecretKeys(null, directory.resolve("tpa/secrets.key"));
        keys.obtain();
        Files.setPosixFilePermissions(keys.keyFile(), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(keys::existing).isInstanceOf(UserError.class).hasMessageContaining("chmod 600 " + keys.keyFile());
    }
}
