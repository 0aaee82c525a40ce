package io.tpa.operation.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.error.UserError;
import io.tpa.model.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitTest {
    @TempDir
    Path directory;

    @Test
    void writesAValidConfigAndAHistoryThatIgnoresSecrets() throws Exception {
        Init.Created created = Init.run(directory.resolve("My Group"), null, 2, "local", Init.Format.YAML);
        assertThat(created.group()).isEqualTo("my-group");
        assertThat(created.nodes()).isEqualTo(3);
        var spec = SpecLoader.load(directory.resolve("My Group")).spec();
        assertThat(spec.allNodes()).hasSize(3);
        assertThat(Files.readString(directory.resolve("My Group/.gitignore"))).contains("secrets.json");
        assertThat(Files.isDirectory(directory.resolve("My Group/.git"))).isTrue();
    }

    @Test
    void jsonWorksToo() {
        Init.run(directory, "demo", 0, "local", Init.Format.JSON);
        assertThat(SpecLoader.load(directory).spec().allNodes()).hasSize(1);
    }

    @Test
    void sshPlatformGetsANodePerServer() {
        for (Init.Format format : Init.Format.values()) {
            Path group = directory.resolve(format.name());
            Init.Created created = Init.run(group, "fleet", 2, "ssh", format, null, null, java.util.List.of("10.0.0.11", "10.0.0.12"));
            assertThat(created.nodes()).isEqualTo(2);
            var spec = SpecLoader.load(group).spec();
            assertThat(spec.platform()).isEqualTo("ssh");
            assertThat(spec.ssh().identityFile()).isEqualTo("~/.ssh/id_ed25519");
            assertThat(spec.allNodes()).extracting(io.tpa.model.NodeSpec::host).containsExactly("10.0.0.11", "10.0.0.12");
        }
    }

    @Test
    void sshPlatformNeedsDistinctServers() {
        assertThatThrownBy(() -> Init.run(directory.resolve("a"), "fleet", 2, "ssh", Init.Format.YAML, null, null, java.util.List.of()))
                .isInstanceOf(UserError.class).hasMessageContaining("--hosts");
        assertThatThrownBy(() -> Init.run(directory.resolve("b"), "fleet", 2, "ssh", Init.Format.YAML, null, null,
                java.util.List.of("10.0.0.11", "10.0.0.11"))).isInstanceOf(UserError.class).hasMessageContaining("named twice");
        assertThatThrownBy(() -> Init.run(directory.resolve("c"), "fleet", 2, "local", Init.Format.YAML, null, null,
                java.util.List.of("10.0.0.11"))).isInstanceOf(UserError.class).hasMessageContaining("--platform ssh");
    }

    @Test
    void refusesToOverwriteAConfig() {
        Init.run(directory, "demo", 1, "local", Init.Format.YAML);
        assertThatThrownBy(() -> Init.run(directory, "demo", 1, "local", Init.Format.YAML))
                .isInstanceOf(UserError.class).hasMessageContaining("tpa.yml already exists");
    }

    @Test
    void refusesBadNames() {
        assertThatThrownBy(() -> Init.run(directory, "Demo_1", 1, "local", Init.Format.YAML))
                .isInstanceOf(UserError.class).hasMessageContaining("--name 'Demo_1'");
    }

    @Test
    void aUserSuppliedCaSignsTheGroupsCertificates() throws Exception {
        io.tpa.security.CertificateAuthority mine = io.tpa.security.CertificateAuthority.create("corporate");
        Path certificate = Files.writeString(directory.resolve("ca.crt"), mine.certificatePem());
        Path key = Files.writeString(directory.resolve("ca.key"), mine.privateKeyPem());
        Path group = directory.resolve("group");
        Init.run(group, "demo", 1, "local", Init.Format.YAML, certificate, key);
        assertThat(Files.readString(group.resolve("tls/ca.crt"))).isEqualTo(mine.certificatePem());
        var secrets = new io.tpa.workspace.GroupDirectory(group).secrets();
        assertThat(secrets.get(io.tpa.model.SecretNames.CA_KEY)).isEqualTo(mine.privateKeyPem());
        assertThat(Files.readString(group.resolve("secrets.enc"))).doesNotContain("PRIVATE KEY");
    }

    @Test
    void aCaWhoseKeyDoesNotMatchOrThatIsNoCaIsRefused() throws Exception {
        io.tpa.security.CertificateAuthority one = io.tpa.security.CertificateAuthority.create("one");
        io.tpa.security.CertificateAuthority other = io.tpa.security.CertificateAuthority.create("other");
        Path certificate = Files.writeString(directory.resolve("ca.crt"), one.certificatePem());
        Path wrongKey = Files.writeString(directory.resolve("other.key"), other.privateKeyPem());
        assertThatThrownBy(() -> Init.run(directory.resolve("a"), "demo", 1, "local", Init.Format.YAML, certificate, wrongKey))
                .isInstanceOf(UserError.class).hasMessageContaining("does not belong to the CA certificate");

        var leaf = one.issue("leaf", java.util.List.of("127.0.0.1"), java.time.Duration.ofDays(800));
        Path leafCertificate = Files.writeString(directory.resolve("leaf.crt"), leaf.certificatePem());
        Path leafKey = Files.writeString(directory.resolve("leaf.key"), leaf.privateKeyPem());
        assertThatThrownBy(() -> Init.run(directory.resolve("b"), "demo", 1, "local", Init.Format.YAML, leafCertificate, leafKey))
                .isInstanceOf(UserError.class).hasMessageContaining("not a CA certificate");
        assertThatThrownBy(() -> Init.run(directory.resolve("c"), "demo", 1, "local", Init.Format.YAML, certificate, null))
                .isInstanceOf(UserError.class).hasMessageContaining("--ca-cert and --ca-key go together");
    }
}
