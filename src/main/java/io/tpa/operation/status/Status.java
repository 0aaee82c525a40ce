package io.tpa.operation.status;

import io.tpa.component.NodeLayout;
import io.tpa.component.PatroniApi.MemberStatus;
import io.tpa.host.Platform;
import io.tpa.security.CertificateAuthority;
import java.time.Duration;
import java.time.Instant;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.operation.GroupAccess;
import io.tpa.operation.GroupHealth;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the state of every node of an applied group from its Patroni. */
public final class Status {
    private Status() {
    }

    /** The whole status, backups included (their check switches WAL on the primary: not for a refresh every few seconds). */
    public static GroupStatus of(Path directory) {
        return read(directory, true);
    }

    /** The status for a view that refreshes every few seconds (tpa status --watch, the UI): without the backups' check. */
    public static GroupStatus live(Path directory) {
        return read(directory, false);
    }

    private static GroupStatus read(Path directory, boolean backups) {
        GroupAccess access = GroupAccess.open(directory);
        Deployment deployment = access.deployment();
        GroupHealth health = access.health();
        List<GroupStatus.ClusterStatus> clusters = new ArrayList<>();
        for (DeployedCluster cluster : deployment.clusters()) {
            Optional<DeployedNode> leader = health.leader(cluster);
            Long leaderPosition = leader.flatMap(l -> health.member(l.name())).map(MemberStatus::walPosition).orElse(null);
            List<GroupStatus.NodeStatus> nodes = new ArrayList<>();
            for (DeployedNode node : cluster.nodes()) {
                Optional<MemberStatus> member = health.member(node.name());
                String role = member.map(m -> m.isPrimary() ? "primary" : m.isStandbyLeader() ? "standby_leader" : "replica")
                        .orElse("replica");
                String state = member.map(MemberStatus::state).orElse("down");
                Long lag = null;
                if (member.isPresent() && role.equals("replica") && leaderPosition != null && member.get().walPosition() != null) {
                    lag = Math.max(0, leaderPosition - member.get().walPosition());
                }
                nodes.add(new GroupStatus.NodeStatus(node.name(), role, state, node.address(), Deployment.POSTGRES_PORT,
                        member.map(MemberStatus::timeline).filter(t -> t > 0).orElse(null), lag));
            }
            clusters.add(new GroupStatus.ClusterStatus(cluster.name(), cluster.location(), nodes));
        }
        boolean endpoints = access.directory().load().spec().endpoints() != null;
        return new GroupStatus(deployment.group(), clusters, certificateWarnings(deployment, access.platform()),
                endpoints ? EndpointsStatus.read(deployment) : null, backups && deployment.backup() != null ? BackupStatus.read(access, health) : null);
    }

    /** A warning for each node whose certificate expires within 30 days (or cannot be read). */
    static List<String> certificateWarnings(Deployment deployment, Platform platform) {
        List<String> warnings = new ArrayList<>();
        Instant soon = Instant.now().plus(Duration.ofDays(30));
        for (DeployedNode node : deployment.nodes()) {
            String file = NodeLayout.of(deployment.baseDirectory(), node.name()).tlsDirectory() + "/server.crt";
            Optional<String> pem = platform.host(node.address()).readFile(file);
            if (pem.isEmpty()) {
                warnings.add(node.name() + ": no certificate at " + file + "; run `tpa apply`");
                continue;
            }
            Instant expiry = CertificateAuthority.parseCertificate(pem.get()).getNotAfter().toInstant();
            if (expiry.isBefore(soon)) {
                warnings.add(node.name() + ": certificate expires " + expiry.toString().substring(0, 10)
                        + "; renew it with `tpa rotate-certs`");
            }
        }
        return warnings;
    }
}
