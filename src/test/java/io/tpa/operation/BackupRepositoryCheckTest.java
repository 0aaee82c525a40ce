package io.tpa.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.error.UserError;
import io.tpa.model.AccessSpec;
import io.tpa.model.BackupSpec;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.LoadedSpec;
import io.tpa.model.SizeSpec;
import io.tpa.model.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every node must reach the group's one repository: which repository type each platform takes, and a backup server's host. */
class BackupRepositoryCheckTest {
    @TempDir
    Path directory;

    private LoadedSpec loaded(String backup) throws Exception {
        Files.writeString(directory.resolve("tpa.yml"), "name: sales\nplatform: ssh\nbackup:\n" + backup
                + "clusters:\n  - name: main\n    nodes:\n      - {name: pg1, host: 10.0.0.11}\n");
        return SpecLoader.load(directory);
    }

    private static Deployment deployment(String platform, BackupSpec.Repository repository) {
        DeployedNode pg1 = new DeployedNode("pg1", "main", "10.0.0.11", new SizeSpec("small", 1, 2.0, 20), true, Map.of(), true, null);
        BackupSpec backup = new BackupSpec(repository, null, null, null).resolved().withRepositoryPath("/var/lib/tpa/backup/sales-abc123");
        return new Deployment(Deployment.FORMAT_VERSION, "sales", "sales-abc123", platform, "/var/lib/tpa/groups/sales-abc123",
                new Deployment.Postgres(17, List.of(), null), new Deployment.Patroni(null, false),
                AccessSpec.PRIVATE, backup, List.of(new DeployedCluster("main", "main", true, "main", "pg1", Map.of(), List.of(pg1))));
    }

    @Test
    void aLocalRepositoryOnTheSshPlatformIsRefusedAndTheBackupServerIsNamedAsTheWayOut() throws Exception {
        LoadedSpec loaded = loaded("  retention: {full: 2}\n");

        assertThatThrownBy(() -> GroupContext.requireReachableRepository(loaded, deployment("ssh", null)))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith(directory.resolve("tpa.yml") + ":3:")
                .hasMessageContaining("repository: {type: server, host: ADDRESS}");
    }

    @Test
    void aBackupServerOnTheLocalPlatformIsRefused() throws Exception {
        LoadedSpec loaded = loaded("  repository: {type: server, host: 10.0.0.20}\n");

        assertThatThrownBy(() -> GroupContext.requireReachableRepository(loaded,
                deployment("local", BackupSpec.Repository.server(null, "10.0.0.20", null))))
                .isInstanceOf(UserError.class).hasMessageContaining("a backup server is for the ssh platform").hasMessageContaining("type: local");
    }

    @Test
    void aBackupServerNeedsAHostOfItsOwn() throws Exception {
        LoadedSpec loaded = loaded("  repository: {type: server}\n");
        assertThatThrownBy(() -> GroupContext.requireReachableRepository(loaded,
                deployment("ssh", BackupSpec.Repository.server(null, null, null))))
                .isInstanceOf(UserError.class).hasMessageContaining("needs its server: add host: ADDRESS");

        LoadedSpec onANode = loaded("  repository: {type: server, host: 10.0.0.11}\n");
        assertThatThrownBy(() -> GroupContext.requireReachableRepository(onANode,
                deployment("ssh", BackupSpec.Repository.server(null, "10.0.0.11", null))))
                .isInstanceOf(UserError.class).hasMessageContaining("10.0.0.11 is node pg1's server");
    }

    @Test
    void aBackupServerOfTheSshPlatformIsAccepted() throws Exception {
        LoadedSpec loaded = loaded("  repository: {type: server, host: 10.0.0.20}\n");
        GroupContext.requireReachableRepository(loaded, deployment("ssh", BackupSpec.Repository.server(null, "10.0.0.20", null)));
        assertThat(deployment("ssh", BackupSpec.Repository.server(null, "10.0.0.20", null)).backup().repository().describe())
                .isEqualTo("10.0.0.20:/var/lib/tpa/backup/sales-abc123");
    }
}
