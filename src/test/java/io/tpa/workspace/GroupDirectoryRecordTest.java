package io.tpa.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.model.Deployment;
import io.tpa.model.Json;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A group directory applied by an older tpa holds a record of format 1: it is read, and written again in the current format. */
class GroupDirectoryRecordTest {
    @TempDir
    Path dir;

    @Test
    void aVersion1RecordIsReadAndWrittenInTheCurrentFormat() throws Exception {
        try (InputStream in = GroupDirectoryRecordTest.class.getClassLoader().getResourceAsStream("records/deployment-v1.json")) {
            Files.copy(in, dir.resolve(GroupDirectory.RECORD));
        }
        GroupDirectory group = new GroupDirectory(dir);

        Deployment deployment = group.deployment().orElseThrow();
        assertThat(deployment.postgresVersion()).isEqualTo(17);
        assertThat(deployment.node("pg1").orElseThrow().packages()).containsEntry("postgresql-17", "17.12-0+deb13u1");

        group.writeDeployment(deployment);
        assertThat(Json.JSON.readTree(group.deploymentText()).path("format_version").asInt()).isEqualTo(Deployment.FORMAT_VERSION);
        assertThat(group.deployment()).contains(deployment);
    }
}
