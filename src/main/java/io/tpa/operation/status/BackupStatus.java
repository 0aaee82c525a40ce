package io.tpa.operation.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tpa.component.BackupRepository;
import io.tpa.component.BackupRepository.BackupSet;
import io.tpa.component.ComponentException;
import io.tpa.component.PgBackRest;
import io.tpa.host.Host;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Roles;
import io.tpa.operation.GroupAccess;
import io.tpa.operation.GroupHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The backups of a group that keeps them, as {@code tpa status} shows them: whether archiving works now
 * ({@code pgbackrest check} on the primary: it switches WAL and waits until the segment reaches the repository), and the
 * newest backup with its age.
 *
 * @param repository      where the repository is
 * @param archiving       null when {@code pgbackrest check} passed, else its error
 * @param backups         how many backups the repository holds
 * @param newest          the newest backup's label (null when none)
 * @param newestType      its type
 * @param newestAgeSeconds how long ago it ended
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupStatus(String repository, String archiving, int backups, String newest, @JsonProperty("newest_type") String newestType,
                           @JsonProperty("newest_age_seconds") Long newestAgeSeconds) {

    public static BackupStatus read(GroupAccess access, GroupHealth health) {
        Deployment deployment = access.deployment();
        DeployedCluster cluster = deployment.primaryCluster();
        Optional<DeployedNode> primary = health.leader(cluster);
        DeployedNode reader = primary.orElse(cluster.primaryNode());
        Host host = access.platform().host(reader.address());
        String archiving;
        if (primary.isEmpty()) {
            archiving = "no running primary archives WAL";
        } else {
            try {
                PgBackRest.run(host, PgBackRest.command(host, deployment, reader, access.secrets().get(Roles.SUPERUSER), Duration.ofSeconds(90),
                        "check"));
                archiving = null;
            } catch (ComponentException e) {
                archiving = e.getMessage();
            }
        }
        try {
            BackupRepository repository = BackupRepository.read(host, deployment, reader);
            Optional<BackupSet> newest = repository.newest();
            return new BackupStatus(deployment.backup().repository().location(), archiving, repository.backups().size(),
                    newest.map(BackupSet::label).orElse(null), newest.map(BackupSet::type).orElse(null),
                    newest.map(b -> Duration.between(b.stop(), Instant.now()).toSeconds()).orElse(null));
        } catch (ComponentException e) {
            return new BackupStatus(deployment.backup().repository().location(), archiving == null ? e.getMessage() : archiving, 0, null, null, null);
        }
    }
}
