package io.tpa.operation.backup;

import io.tpa.component.BackupRepository;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.operation.GroupAccess;
import io.tpa.operation.GroupHealth;
import io.tpa.host.Platform;
import java.nio.file.Path;

/** {@code tpa backups}: what the group's repository holds, read through the primary's pgBackRest (else the first node's). */
public final class Backups {
    private Backups() {
    }

    /**
     * @param group      the group's name
     * @param repository where the repository is
     * @param contents   what pgBackRest says it holds
     */
    public record Listing(String group, String repository, BackupRepository contents) {
    }

    public static Listing list(Path directory) {
        GroupAccess access = GroupAccess.open(directory);
        Deployment deployment = Backup.requireBackups(directory, access.deployment());
        return new Listing(deployment.group(), deployment.backup().repository().location(), read(access));
    }

    /** The repository's contents, read on the server of the primary cluster's primary (or its first node). */
    static BackupRepository read(GroupAccess access) {
        Deployment deployment = access.deployment();
        DeployedNode reader = reader(deployment, access.health());
        Platform platform = access.platform();
        return BackupRepository.read(platform.host(reader.address()), deployment, reader);
    }

    public static DeployedNode reader(Deployment deployment, GroupHealth health) {
        var cluster = deployment.primaryCluster();
        return health.leader(cluster).orElse(cluster.primaryNode());
    }
}
