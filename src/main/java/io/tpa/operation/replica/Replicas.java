package io.tpa.operation.replica;

import io.tpa.error.UserError;
import io.tpa.model.ClusterSpec;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.GroupSpec;
import io.tpa.model.NodeSpec;
import io.tpa.operation.ConfigChange;
import io.tpa.operation.GroupAccess;
import io.tpa.operation.apply.Apply;
import io.tpa.operation.apply.ApplyListener;
import io.tpa.workspace.GroupDirectory;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/** Adding and removing replicas: config edits applied through the one apply path. */
public final class Replicas {
    private Replicas() {
    }

    /**
     * A replica to add.
     *
     * @param cluster null for the primary cluster
     * @param name    null for the next free pgN
     * @param size    null for the group's default size
     * @param host    the server it runs on: required on the ssh platform, refused elsewhere
     */
    public record NewReplica(String cluster, String name, String size, String host) {
    }

    /** Adds a replica: it is cloned from the primary and joins streaming; no other node restarts. */
    public static ConfigChange.Outcome add(Path directory, String clusterName, String name, String size, boolean dryRun,
                                           ApplyListener listener) {
        return add(directory, new NewReplica(clusterName, name, size, null), false, dryRun, listener);
    }

    /**
     * Adds a replica: it is cloned from the primary and joins streaming; no other node restarts.
     *
     * @param trustNewHosts on the ssh platform, record the host key of a server not in known_hosts yet
     */
    public static ConfigChange.Outcome add(Path directory, NewReplica replica, boolean trustNewHosts, boolean dryRun, ApplyListener listener) {
        String clusterName = replica.cluster();
        String name = replica.name();
        String size = replica.size();
        GroupSpec spec = new GroupDirectory(directory).load().spec();
        boolean ssh = "ssh".equals(spec.platform());
        if (ssh && replica.host() == null) {
            throw new UserError("--host: on the ssh platform a new replica needs the server it runs on; name it with --host ADDRESS");
        }
        if (!ssh && replica.host() != null) {
            throw new UserError("--host " + replica.host() + ": only nodes of the ssh platform run on servers of their own; "
                    + "group " + spec.name() + " runs on the " + (spec.platform() == null ? "local" : spec.platform()) + " platform");
        }
        ClusterSpec cluster = clusterName == null ? spec.primaryCluster() : spec.clusters().stream()
                .filter(c -> c.name().equals(clusterName)).findFirst()
                .orElseThrow(() -> new UserError("--cluster " + clusterName + ": no such cluster; clusters: "
                        + spec.clusters().stream().map(ClusterSpec::name).collect(Collectors.joining(", "))));
        Set<String> taken = spec.allNodes().stream().map(NodeSpec::name).collect(Collectors.toSet());
        String node = name != null ? name : nextName(taken);
        if (taken.contains(node)) {
            throw new UserError("--name " + node + ": the group already has a node of that name");
        }
        return ConfigChange.run(directory, editor -> editor.addNode(cluster.name(), node, size, replica.host()), dryRun, listener,
                new Apply.Options("replica add " + node, Apply.Confirmation.NO, false, trustNewHosts));
    }

    /** Removes a replica: services stopped, slot dropped, data and address removed, etcd membership adjusted. */
    public static ConfigChange.Outcome remove(Path directory, String node, boolean yes, boolean dryRun, ApplyListener listener) {
        Deployment deployment = GroupAccess.applied(directory);
        DeployedNode target = deployment.node(node).orElseThrow(() -> new UserError(node + ": no such node in group "
                + deployment.group() + "; nodes: " + deployment.nodes().stream().map(DeployedNode::name).collect(Collectors.joining(", "))));
        DeployedCluster cluster = deployment.clusterOf(target);
        if (GroupAccess.open(directory).health().leader(cluster).map(target::equals).orElse(false)) {
            throw new UserError(UserError.FAILED, node + " is the primary of cluster " + cluster.name()
                    + "; switch over first (`tpa switchover " + directory + "`), then remove it");
        }
        return ConfigChange.run(directory, editor -> editor.removeNode(node), dryRun, listener,
                new Apply.Options("replica remove " + node, yes ? Apply.Confirmation.YES : Apply.Confirmation.NO, false));
    }

    static String nextName(Set<String> taken) {
        int number = 1;
        while (taken.contains("pg" + number)) {
            number++;
        }
        return "pg" + number;
    }
}
