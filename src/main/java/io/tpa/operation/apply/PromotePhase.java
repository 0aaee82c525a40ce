package io.tpa.operation.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tpa.component.ComponentException;
import io.tpa.component.PatroniApi.MemberStatus;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Json;
import io.tpa.operation.GroupHealth;
import io.tpa.wait.Wait;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The config's primary cluster is the primary cluster in the DCS too. When it is still a standby
 * cluster there (it was just moved first, by {@code tpa cluster promote} or by hand), it is promoted:
 * once no other cluster takes writes (the standby clusters phase demoted the former primary cluster)
 * and, when the former primary cluster answers, once its last WAL is replayed here, so no committed
 * transaction is lost. Its standby leader then becomes a writable primary on a new timeline.
 */
final class PromotePhase implements Phase {
    static final Duration CAUGHT_UP = Duration.ofSeconds(60);
    static final Duration PROMOTED = Duration.ofSeconds(90);

    @Override
    public String title() {
        return "promote";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        Optional<Deployment> previous = state.context().previous();
        Deployment deployment = state.context().deployment();
        Optional<DeployedCluster> primaryCluster = ClusterConfiguration.primaryCluster(deployment);
        if (previous.isEmpty() || primaryCluster.isEmpty() || deployment.clusters().size() == 1 && previous.get().clusters().size() == 1) {
            return List.of();
        }
        DeployedCluster cluster = primaryCluster.get();
        Optional<ObjectNode> configuration;
        try {
            configuration = ClusterConfiguration.read(state, cluster);
        } catch (ComponentException e) {
            if (state.dryRun()) {
                return List.of();
            }
            throw e;
        }
        // In a plan, the standby clusters phase has not demoted anything yet: the configuration still says standby.
        if (configuration.isEmpty() || !ClusterConfiguration.isStandby(configuration.get())) {
            return List.of();
        }
        Optional<DeployedCluster> former = ClusterConfiguration.primaryCluster(previous.get())
                .filter(c -> !c.name().equals(cluster.name())).flatMap(c -> deployment.cluster(c.name()));
        return List.of(new Action(title(), cluster.name(), "promote cluster " + cluster.name()
                + " (its standby leader becomes the primary, on a new timeline)", true, () -> promote(state, cluster, former)));
    }

    private static void promote(ApplyState state, DeployedCluster cluster, Optional<DeployedCluster> former) {
        Wait.until("for no other cluster to take writes before cluster " + cluster.name() + " is promoted", StandbyClustersPhase.DEMOTE, () -> {
            GroupHealth health = state.health();
            for (DeployedCluster other : state.context().deployment().clusters()) {
                Optional<DeployedNode> leader = health.leader(other);
                if (!other.equals(cluster) && leader.isPresent() && health.member(leader.get().name()).map(MemberStatus::isPrimary).orElse(false)) {
                    return "cluster " + other.name() + " still has a writable primary, " + leader.get().name();
                }
            }
            return null;
        });
        former.ifPresent(old -> Wait.until("for cluster " + cluster.name() + " to replay the last WAL of cluster " + old.name(), CAUGHT_UP, () -> {
            GroupHealth health = state.health();
            Optional<Long> last = health.leader(old).flatMap(l -> health.member(l.name())).map(MemberStatus::walPosition);
            if (last.isEmpty()) {
                // Restarting as a standby, its last position is not known yet; when none of it answers, nothing more can come.
                return old.nodes().stream().anyMatch(n -> health.member(n.name()).isPresent())
                        ? "cluster " + old.name() + " is restarting as a standby cluster" : null;
            }
            Optional<Long> here = health.leader(cluster).flatMap(l -> health.member(l.name())).map(MemberStatus::walPosition);
            return here.isPresent() && here.get() >= last.get() ? null
                    : "replayed " + here.map(String::valueOf).orElse("nothing") + " of " + last.get();
        }));
        long timeline = leaderStatus(state, cluster).map(MemberStatus::timeline).orElse(0L);
        ObjectNode patch = Json.JSON.createObjectNode();
        patch.putNull("standby_cluster");
        ClusterConfiguration.patch(state, cluster, patch);
        Wait.until("for cluster " + cluster.name() + " to have a writable primary on a new timeline", PROMOTED, () -> {
            Optional<MemberStatus> status = leaderStatus(state, cluster);
            if (status.isEmpty()) {
                return "no leader";
            }
            return status.get().isPrimary() && status.get().timeline() > timeline ? null
                    : "leader is " + status.get().role() + " on timeline " + status.get().timeline();
        });
    }

    private static Optional<MemberStatus> leaderStatus(ApplyState state, DeployedCluster cluster) {
        GroupHealth health = state.health();
        return health.leader(cluster).flatMap(leader -> health.member(leader.name()));
    }
}
