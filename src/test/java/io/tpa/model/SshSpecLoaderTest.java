package io.tpa.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.error.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ssh platform's part of the config: hosts, logins, and the failover profile. */
class SshSpecLoaderTest {
    @TempDir
    Path dir;

    // Hosts

    @Test
    void aNodeWithoutAHostIsRefusedOnTheSshPlatform() throws IOException {
        assertProblem("""
                name: demo
                platform: ssh
                clusters:
                  - name: main
                    nodes:
                      - name: pg1
                        host: 10.0.0.11
                      - name: pg2
                """, "tpa.yml:8:9: clusters[0].nodes[1]: node 'pg2' names no host; on the ssh platform add host: "
                + "with the address or DNS name of its server");
    }

    @Test
    void twoNodesOnOneHostAreRefusedNamingTheFirstUse() throws IOException {
        assertProblem("""
                name: demo
                platform: ssh
                clusters:
                  - name: main
                    nodes:
                      - name: pg1
                        host: 10.0.0.11
                  - name: dr
                    nodes:
                      - name: pg2
                        host: 10.0.0.11
                """, "tpa.yml:11:9: clusters[1].nodes[0].host: host '10.0.0.11' already runs clusters[0].nodes[0] (line 6); "
                + "every node needs a server of its own");
    }

    @Test
    void hostNamesDifferingOnlyInCaseAreOneHost() throws IOException {
        assertProblem("""
                name: demo
                platform: ssh
                clusters:
                  - name: main
                    nodes:
                      - name: pg1
                        host: db1.example.com
                      - name: pg2
                        host: DB1.Example.com
                """, "tpa.yml:9:9: clusters[0].nodes[1].host: host 'DB1.Example.com' already runs clusters[0].nodes[0] "
                + "(line 6); every node needs a server of its own");
    }

    @Test
    void aHostOnTheLocalPlatformIsRefused() throws IOException {
        assertProblem("""
                name: demo
                clusters:
                  - name: main
                    nodes:
                      - name: pg1
                        host: 10.0.0.11
                """, "tpa.yml:6:9: clusters[0].nodes[0].host: nodes run on hosts of their own only on the ssh platform; "
                + "remove host, or set platform: ssh");
    }

    // Logins

    @Test
    void anSshLoginOnTheLocalPlatformIsRefused() throws IOException {
        assertProblem("""
                name: demo
                platform: local
                ssh:
                  user: admin
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """, "tpa.yml:3:1: ssh: ssh logins are for the ssh platform; remove ssh, or set platform: ssh");
    }

    @Test
    void aNodesSshLoginOnTheLocalPlatformIsRefused() throws IOException {
        assertProblem("""
                name: demo
                clusters:
                  - name: main
                    nodes:
                      - name: pg1
                        ssh: {user: admin}
                """, "tpa.yml:6:9: clusters[0].nodes[0].ssh: ssh logins are for the ssh platform; remove ssh, "
                + "or set platform: ssh");
    }

    @Test
    void anUnknownKeyUnderSshIsRefusedByTheSchema() throws IOException {
        assertProblem("""
                name: demo
                platform: ssh
                ssh:
                  identity: x
                clusters:
                  - name: main
                    nodes:
                      - name: pg1
                        host: 10.0.0.11
                """, "tpa.yml:4:3: ssh: unknown key 'identity'; did you mean 'identity_file'? "
                + "(allowed here: user, port, identity_file)");
    }

    @Test
    void everyNodeGetsACompleteLoginWithTheNodesOwnFieldsFirst() throws IOException {
        write("""
                name: demo
                platform: ssh
                ssh:
                  port: 2222
                  identity_file: keys/tpa_ed25519
                clusters:
                  - name: main
                    nodes:
                      - name: pg1
                        host: 10.0.0.11
                      - name: pg2
                        host: 10.0.0.12
                        ssh: {user: admin}
                """);

        GroupSpec loaded = SpecLoader.load(dir).spec();
        assertThat(loaded.allNodes().get(1).ssh()).isEqualTo(new SshSpec("admin", null, null));

        GroupSpec resolved = Defaults.resolve(loaded, Catalog.load());

        assertThat(resolved.platform()).isEqualTo("ssh");
        assertThat(resolved.ssh()).isEqualTo(new SshSpec("root", 2222, "keys/tpa_ed25519"));
        assertThat(resolved.allNodes()).extracting(NodeSpec::host).containsExactly("10.0.0.11", "10.0.0.12");
        assertThat(resolved.allNodes()).extracting(NodeSpec::ssh).containsExactly(
                new SshSpec("root", 2222, "keys/tpa_ed25519"),
                new SshSpec("admin", 2222, "keys/tpa_ed25519"));
    }

    @Test
    void withoutAnySshLoginTheDefaultsApply() throws IOException {
        write("""
                name: demo
                platform: ssh
                clusters:
                  - name: main
                    nodes:
                      - name: pg1
                        host: 10.0.0.11
                      - name: pg2
                        host: db2.example.com
                        ssh: {port: 2200}
                """);

        GroupSpec resolved = Defaults.resolve(SpecLoader.load(dir).spec(), Catalog.load());

        assertThat(resolved.allNodes()).extracting(NodeSpec::ssh).containsExactly(
                new SshSpec("root", 22, "~/.ssh/id_ed25519"),
                new SshSpec("root", 2200, "~/.ssh/id_ed25519"));
    }

    @Test
    void theLocalPlatformResolvesToNoLogins() throws IOException {
        write("""
                name: demo
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """);

        GroupSpec resolved = Defaults.resolve(SpecLoader.load(dir).spec(), Catalog.load());

        assertThat(resolved.ssh()).isNull();
        assertThat(resolved.allNodes()).extracting(NodeSpec::ssh).containsOnlyNulls();
    }

    // Failover

    @Test
    void failoverDefaultsToStandard() throws IOException {
        write("""
                name: demo
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """);

        GroupSpec loaded = SpecLoader.load(dir).spec();

        assertThat(loaded.failover()).isNull();
        assertThat(Defaults.resolve(loaded, Catalog.load()).failover()).isEqualTo("standard");
    }

    @Test
    void failoverAcceptsFast() throws IOException {
        write("""
                name: demo
                failover: fast
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """);

        GroupSpec loaded = SpecLoader.load(dir).spec();

        assertThat(loaded.failover()).isEqualTo("fast");
        assertThat(Defaults.resolve(loaded, Catalog.load()).failover()).isEqualTo("fast");
    }

    @Test
    void anUnknownFailoverProfileIsRefusedByTheSchema() throws IOException {
        assertProblem("""
                name: demo
                failover: quick
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """, "tpa.yml:2:1: failover: unknown value 'quick'; allowed values: standard, fast");
    }

    // Helpers

    private void assertProblem(String yaml, String expectedMessage) throws IOException {
        write(yaml);

        assertThatThrownBy(() -> SpecLoader.load(dir))
                .isInstanceOfSatisfying(UserError.class, error -> {
                    assertThat(error.exitCode()).isEqualTo(UserError.BAD_INPUT);
                    assertThat(error.getMessage()).isEqualTo(dir + "/" + expectedMessage).doesNotContain("\n");
                });
    }

    private void write(String content) throws IOException {
        Files.writeString(dir.resolve("tpa.yml"), content);
    }
}
