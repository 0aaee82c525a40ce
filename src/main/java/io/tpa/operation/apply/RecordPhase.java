package io.tpa.operation.apply;

import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Json;
import java.util.List;

/** The group directory holds the deployment record of what now runs. */
final class RecordPhase implements Phase {
    /** A former primary cluster that a promotion could not reach, to record as fenced; null when none. */
    private final String fencedCluster;

    RecordPhase() {
        this(null);
    }

    RecordPhase(String fencedCluster) {
        this.fencedCluster = fencedCluster;
    }

    @Override
    public String title() {
        return "record";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        Deployment resolved = fencedCluster == null ? state.context().deployment()
                : fenced(state.context().deployment(), state.context().previous().orElseThrow(), fencedCluster);
        // A rolling restart may have handed a primary over: record who leads now.
        Deployment record = InstalledPackages.recorded(state.context(), livePrimaries(resolved, state.health()));
        String wanted = Json.write(record);
        if (wanted.equals(state.context().directory().deploymentText())) {
            return List.of();
        }
        return List.of(new Action(title(), record.group(), "write the deployment record", false, () -> {
            state.context().directory().ensureGitignore();
            state.context().directory().writeDeployment(record);
        }));
    }

    static Deployment livePrimaries(Deployment deployment, io.tpa.operation.GroupHealth health) {
        List<DeployedCluster> clusters = deployment.clusters().stream().map(cluster -> health.leader(cluster)
                .filter(leader -> !leader.name().equals(cluster.primary()))
                .map(leader -> new DeployedCluster(cluster.name(), cluster.location(), cluster.primaryCluster(), cluster.scope(),
                        leader.name(), cluster.parameters(), cluster.nodes(), cluster.fenced()))
                .orElse(cluster)).toList();
        return clusters.equals(deployment.clusters()) ? deployment : deployment.withClusters(clusters);
    }

    /**
     * The record after a promotion that could not reach the former primary cluster: that cluster is marked
     * fenced, and the etcd members stay as they run (nothing was started or stopped; the next apply moves them).
     */
    static Deployment fenced(Deployment deployment, Deployment previous, String fencedCluster) {
        List<DeployedCluster> clusters = deployment.clusters().stream().map(cluster -> new DeployedCluster(cluster.name(),
                cluster.location(), cluster.primaryCluster(), cluster.scope(), cluster.primary(), cluster.parameters(),
                cluster.nodes().stream().map(node -> previous.node(node.name()).map(before -> node.withEtcd(before.etcd()))
                        .orElse(node)).toList(),
                cluster.name().equals(fencedCluster))).toList();
        return deployment.withClusters(clusters);
    }
}
