package io.tpa.operation;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.host.Platform;
import io.tpa.host.SshLogin;
import io.tpa.model.Catalog;
import io.tpa.model.ClusterSpec;
import io.tpa.model.Defaults;
import io.tpa.model.GroupSpec;
import io.tpa.model.NodeSpec;
import io.tpa.model.SshSpec;
import io.tpa.security.SecretKeys;
import io.tpa.workspace.GroupDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a node's ssh settings become a login, and which platform a config gets. */
class PlatformsTest {
    private static final Path HOME = Path.of(System.getProperty("user.home"));

    @TempDir
    Path root;

    @Test
    void aRelativeIdentityFileIsInTheGroupDirectory() {
        Path group = root.resolve("sales");

        SshLogin login = Platforms.login(group, new SshSpec("admin", 2222, "keys/tpa_ed25519"));

        assertThat(login.identityFile()).isEqualTo(group.toAbsolutePath().resolve("keys/tpa_ed25519"));
        assertThat(login.user()).isEqualTo("admin");
        assertThat(login.port()).isEqualTo(2222);
        assertThat(Platforms.login(group, new SshSpec(null, null, "../shared/key")).identityFile())
                .isEqualTo(root.toAbsolutePath().resolve("shared/key"));
    }

    @Test
    void aRelativeGroupDirectoryIsMadeAbsolute() {
        SshLogin login = Platforms.login(Path.of("sales"), new SshSpec(null, null, "key"));

        assertThat(login.identityFile()).isAbsolute().isEqualTo(Path.of("sales").toAbsolutePath().resolve("key"));
    }

    @Test
    void aTildeIdentityFileIsInTheHomeDirectory() {
        SshLogin login = Platforms.login(root, new SshSpec(null, null, "~/x"));

        assertThat(login.identityFile()).isEqualTo(HOME.resolve("x"));
        assertThat(login.identityFile().startsWith(root)).isFalse();
    }

    @Test
    void anAbsoluteIdentityFileStays() {
        SshLogin login = Platforms.login(root, new SshSpec(null, null, "/etc/tpa/id_ed25519"));

        assertThat(login.identityFile()).isEqualTo(Path.of("/etc/tpa/id_ed25519"));
    }

    @Test
    void withoutSettingsTheDefaultsApply() {
        SshLogin login = Platforms.login(root, null);

        assertThat(login.user()).isEqualTo("root");
        assertThat(login.port()).isEqualTo(22);
        assertThat(login.identityFile()).isEqualTo(HOME.resolve(".ssh/id_ed25519"));
        assertThat(login.isRootLogin()).isTrue();

        SshLogin partial = Platforms.login(root, new SshSpec("admin", null, null));
        assertThat(partial.user()).isEqualTo("admin");
        assertThat(partial.port()).isEqualTo(22);
        assertThat(partial.identityFile()).isEqualTo(HOME.resolve(".ssh/id_ed25519"));
    }

    @Test
    void aLocalConfigGetsTheLocalPlatform() {
        GroupSpec spec = Defaults.resolve(new GroupSpec("demo", null, null, null,
                List.of(new ClusterSpec("main", null, List.of(new NodeSpec("pg1", null))))), Catalog.load());

        Platform platform = Platforms.forGroup(directory(), spec, Optional.empty(), false);

        assertThat(platform.name()).isEqualTo("local");
    }

    @Test
    void anSshConfigGetsTheSshPlatformWithTheNodesHosts() {
        GroupSpec spec = Defaults.resolve(new GroupSpec("demo", "ssh", null, null, List.of(new ClusterSpec("main", null, List.of(
                new NodeSpec("pg1", null, null, "10.0.0.11", null),
                new NodeSpec("pg2", null, null, "10.0.0.12", null))))), Catalog.load());

        Platform platform = Platforms.forGroup(directory(), spec, Optional.empty(), false);

        assertThat(platform.name()).isEqualTo("ssh");
        assertThat(platform.assignAddresses("demo-abc", List.of("pg1", "pg2"), Map.of(), false))
                .containsExactly(Map.entry("pg1", "10.0.0.11"), Map.entry("pg2", "10.0.0.12"));
    }

    private GroupDirectory directory() {
        return new GroupDirectory(root.resolve("group"), new SecretKeys(null, root.resolve("config/tpa/secrets.key")));
    }
}
