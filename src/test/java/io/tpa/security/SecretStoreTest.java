package io.tpa.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.error.UserError;
import io.tpa.model.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretStoreTest {
    private static final String PEM = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n";

    @TempDir
    Path directory;

    private SecretKeys keys(String name) {
        return new SecretKeys(null, directory.resolve(name + "/secrets.key"));
    }

    private Path file() {
        return directory.resolve("group/secrets.enc");
    }

    private static Map<String, String> secrets() {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("postgres", "Pa55wordForTheSuperuser4xKq9mZ2");
        secrets.put("app", "AppPasswordThatMustNotLeakZZ7y3");
        secrets.put("tls.ca_key", PEM);
        secrets.put("patroni.api", "näme with ünïcode, \"quotes\" and | pipes");
        return secrets;
    }

    @Test
    void whatIsWrittenReadsBack() {
        SecretStore store = new SecretStore(file(), keys("home"));
        store.write(secrets());

        assertThat(store.exists()).isTrue();
        assertThat(store.read()).containsExactlyInAnyOrderEntriesOf(secrets());
    }

    @Test
    void theFileHoldsNoSecretInClearAndNamesItsFormat() throws Exception {
        new SecretStore(file(), keys("home")).write(secrets());

        String raw = new String(Files.readAllBytes(file()), StandardCharsets.ISO_8859_1);
        for (String value : secrets().values()) {
            assertThat(raw).doesNotContain(value);
        }
        assertThat(raw).doesNotContain("postgres").doesNotContain("tls.ca_key").doesNotContain("PRIVATE KEY");
        JsonNode envelope = Json.JSON.readTree(file().toFile());
        assertThat(envelope.path("format").asInt()).isEqualTo(1);
        assertThat(envelope.path("cipher").asText()).isEqualTo("AES-256-GCM");
        assertThat(envelope.path("key").asText()).hasSize(16);
        assertThat(Base64.getDecoder().decode(envelope.path("nonce").asText())).hasSize(12);
    }

    @Test
    void everyWriteUsesANewNonce() throws Exception {
        SecretStore store = new SecretStore(file(), keys("home"));
        store.write(secrets());
        JsonNode first = Json.JSON.readTree(file().toFile());
        store.write(secrets());
        JsonNode second = Json.JSON.readTree(file().toFile());

        assertThat(second.path("nonce").asText()).isNotEqualTo(first.path("nonce").asText());
        assertThat(second.path("ciphertext").asText()).isNotEqualTo(first.path("ciphertext").asText());
    }

    @Test
    void onlyTheOwnerCanReadTheFile() throws Exception {
        new SecretStore(file(), keys("home")).write(secrets());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        try (var files = Files.list(file().getParent())) {
            assertThat(files).as("no temporary file left behind").containsExactly(file());
        }
    }

    @Test
    void aTamperedFileIsRejectedWithTheFileAndWhatToDo() throws Exception {
        new SecretStore(file(), keys("home")).write(secrets());
        JsonNode envelope = Json.JSON.readTree(file().toFile());
        byte[] ciphertext = Base64.getDecoder().decode(envelope.path("ciphertext").asText());
        ciphertext[3] ^= 0x01;
        ((com.fasterxml.jackson.databind.node.ObjectNode) envelope).put("ciphertext", Base64.getEncoder().encodeToString(ciphertext));
        Files.writeString(file(), Json.write(envelope));

        assertThatThrownBy(() -> new SecretStore(file(), keys("home")).read())
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith(file() + ": ")
                .hasMessageContaining("failed their integrity check")
                .hasMessageContaining("restore secrets.enc");
    }

    @Test
    void aChangedFormatFieldIsRejected() throws Exception {
        new SecretStore(file(), keys("home")).write(secrets());
        Files.writeString(file(), Files.readString(file()).replace("\"format\" : 1", "\"format\" : 2"));

        assertThatThrownBy(() -> new SecretStore(file(), keys("home")).read())
                .isInstanceOf(UserError.class).hasMessageContaining(file() + ": secrets format 2 is unknown");
    }

    @Test
    void anotherKeyIsRejectedWithBothKeyIds() {
        new SecretStore(file(), keys("home")).write(secrets());
        SecretKeys other = keys("elsewhere");
        other.obtain();

        assertThatThrownBy(() -> new SecretStore(file(), other).read())
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith(file() + ": encrypted with another key")
                .hasMessageContaining(other.keyFile().toString())
                .hasMessageContaining(SecretKeys.ENVIRONMENT_VARIABLE);
    }

    @Test
    void anotherKeyWithAForgedKeyIdStillFailsTheIntegrityCheck() throws Exception {
        SecretKeys other = keys("elsewhere");
        String otherId = other.obtain().id();
        new SecretStore(file(), keys("home")).write(secrets());
        JsonNode envelope = Json.JSON.readTree(file().toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) envelope).put("key", otherId);
        Files.writeString(file(), Json.write(envelope));

        assertThatThrownBy(() -> new SecretStore(file(), other).read())
                .isInstanceOf(UserError.class).hasMessageContaining("failed their integrity check");
    }

    @Test
    void withoutAnyKeyTheMessageSaysWhereOneWasLookedFor() {
        new SecretStore(file(), keys("home")).write(secrets());
        SecretKeys none = keys("nobody");

        assertThatThrownBy(() -> new SecretStore(file(), none).read())
                .isInstanceOf(UserError.class)
                .hasMessageContaining("there is no key to decrypt it")
                .hasMessageContaining(none.keyFile().toString());
        assertThat(none.keyFile()).as("reading never creates a key").doesNotExist();
    }

    @Test
    void somethingElseIsNotTakenForSecrets() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "postgres: hunter2\n");

        assertThatThrownBy(() -> new SecretStore(file(), keys("home")).read())
                .isInstanceOf(UserError.class).hasMessageStartingWith(file() + ": not a tpa secrets file");
    }

    @Test
    void theEnvironmentKeyWorksWithoutAnyKeyFile() {
        byte[] key = new byte[32];
        key[0] = 7;
        SecretKeys fromEnvironment = new SecretKeys(Base64.getEncoder().encodeToString(key), directory.resolve("unused/secrets.key"));
        new SecretStore(file(), fromEnvironment).write(secrets());

        assertThat(new SecretStore(file(), fromEnvironment).read()).containsExactlyInAnyOrderEntriesOf(secrets());
        assertThat(fromEnvironment.keyFile()).doesNotExist();
    }
}
