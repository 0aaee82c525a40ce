package io.tpa.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.model.DesiredState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The desired state is read from the group's files alone: no server is reached to build it. */
class DesiredStateTest {
    @TempDir
    Path dir;

    @Test
    void anSshGroupWhoseServersAreUnreachableStillHasADesiredState() throws IOException {
        // nothing listens on these loopback addresses: a session would fail to reach them, the desired state never tries
        Files.writeString(dir.resolve("tpa.yml"), """
                name: demo
                platform: ssh
                clusters:
                  - name: main
                    nodes:
                      - name: pg1
                        host: 127.0.0.251
                      - name: pg2
                        host: 127.0.0.252
                """);
        DesiredState desired = new GroupDirectory(dir).desired();
        assertThat(desired.group()).isEqualTo("demo");
        assertThat(desired.previous()).isEmpty();
        assertThat(desired.spec().failover()).as("a default filled in").isEqualTo("standard");
        assertThat(desired.spec().clusters().get(0).nodes()).extracting(node -> node.name()).containsExactly("pg1", "pg2");
        assertThat(desired.loaded().where("clusters[0].nodes[1]")).endsWith("tpa.yml:8:9");
    }
}
