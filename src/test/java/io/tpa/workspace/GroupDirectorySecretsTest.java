package io.tpa.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.model.Json;
import io.tpa.model.Roles;
import io.tpa.security.SecretKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupDirectorySecretsTest {
    @TempDir
    Path root;

    private Path directory;
    private GroupDirectory group;

    @BeforeEach
    void group() throws Exception {
        directory = Files.createDirectories(root.resolve("group"));
        group = new GroupDirectory(directory, new SecretKeys(null, root.resolve("config/tpa/secrets.key")));
    }

    @Test
    void aNewGroupGetsAPasswordForEveryRoleWithoutSavingThem() {
        Map<String, String> secrets = group.secrets();

        assertThat(secrets.keySet()).containsExactlyElementsOf(Roles.ALL).contains(Roles.MONITOR, Roles.APPLICATION);
        assertThat(secrets.values()).allSatisfy(password -> assertThat(password).hasSize(32).matches("[A-Za-z0-9]+"));
        assertThat(group.hasSecrets()).isFalse();
        assertThat(directory.resolve(GroupDirectory.SECRETS)).doesNotExist();
    }

    @Test
    void savedSecretsAreEncryptedOwnerOnlyAndIgnoredByGit() throws Exception {
        Map<String, String> secrets = group.secrets();
        secrets.put("tls.ca_key", "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n");
        group.saveSecrets(secrets);

        assertThat(group.hasSecrets()).isTrue();
        assertThat(group.secrets()).containsExactlyInAnyOrderEntriesOf(secrets);
        Path file = directory.resolve("secrets.enc");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String raw = Files.readString(file, StandardCharsets.ISO_8859_1);
        secrets.values().forEach(value -> assertThat(raw).doesNotContain(value));
        assertThat(Files.readAllLines(directory.resolve(".gitignore"))).contains("secrets.enc", "secrets.json", ".tpa/");
    }

    @Test
    void clearSecretsFromAnOlderTpaAreReadThenEncryptedAtTheNextSaveAndRemoved() throws Exception {
        Map<String, String> clear = new LinkedHashMap<>();
        clear.put(Roles.SUPERUSER, "OldSuperuserPasswordInClear00001");
        clear.put(Roles.REPLICATION, "OldReplicationPasswordInClear002");
        clear.put(Roles.REWIND, "OldRewindPasswordInClear00000003");
        Files.writeString(directory.resolve("secrets.json"), Json.write(clear));
        Files.setPosixFilePermissions(directory.resolve("secrets.json"), PosixFilePermissions.fromString("rw-------"));

        assertThat(group.hasSecrets()).as("nothing encrypted yet").isFalse();
        assertThat(group.hasClearSecrets()).isTrue();
        assertThat(group.secrets()).as("the old passwords, not new ones").containsExactlyInAnyOrderEntriesOf(clear);

        group.saveSecrets(group.secrets());

        assertThat(directory.resolve("secrets.json")).doesNotExist();
        assertThat(group.hasClearSecrets()).isFalse();
        assertThat(group.hasSecrets()).isTrue();
        assertThat(group.secrets()).containsExactlyInAnyOrderEntriesOf(clear);
        String raw = Files.readString(directory.resolve("secrets.enc"), StandardCharsets.ISO_8859_1);
        clear.values().forEach(value -> assertThat(raw).doesNotContain(value));
    }

    @Test
    void anEncryptedFileWinsOverAClearOneLeftBehind() throws Exception {
        Map<String, String> current = Map.of(Roles.SUPERUSER, "CurrentPassword00000000000000001");
        group.saveSecrets(current);
        Files.writeString(directory.resolve("secrets.json"), Json.write(Map.of(Roles.SUPERUSER, "StalePassword")));

        assertThat(group.secrets()).containsExactlyInAnyOrderEntriesOf(current);
        group.saveSecrets(group.secrets());
        assertThat(directory.resolve("secrets.json")).doesNotExist();
    }

    @Test
    void anOlderGitignoreGetsTheMissingLinesAndKeepsItsOwn() throws Exception {
        Path gitignore = directory.resolve(".gitignore");
        Files.writeString(gitignore, "# Written by tpa: secrets and local state never go into the history.\nsecrets.json\n.tpa/\n*.log");

        group.ensureGitignore();
        String once = Files.readString(gitignore);
        group.ensureGitignore();

        assertThat(Files.readString(gitignore)).as("a second run adds nothing").isEqualTo(once);
        assertThat(once.lines()).contains("secrets.json", ".tpa/", "*.log", "secrets.enc");
        assertThat(once.lines().filter(".tpa/"::equals)).hasSize(1);
        assertThat(once).endsWith("\n");
    }

    @Test
    void aNewGitignoreIgnoresSecretsAndState() throws Exception {
        group.ensureGitignore();

        assertThat(Files.readString(directory.resolve(".gitignore"))).isEqualTo(GroupDirectory.GITIGNORE);
    }
}
