package io.tpa.operation.resize;

import io.tpa.error.UserError;
import io.tpa.model.Catalog;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.SizeSpec;
import io.tpa.operation.ConfigChange;
import io.tpa.operation.GroupAccess;
import io.tpa.operation.apply.Apply;
import io.tpa.operation.apply.ApplyListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Changes the size of a node or of every node of a cluster. The parameters that follow from the
 * size are recomputed and rolled out replicas first; the primary then hands over to a restarted
 * replica instead of restarting, so writes pause for one switchover at most.
 */
public final class Resize {
    private Resize() {
    }

    /** What a resize did, and what it could not do on this machine. */
    public record Outcome(ConfigChange.Outcome change, String limits) {
    }

    public static Outcome run(Path directory, String node, String cluster, String size, boolean dryRun, ApplyListener listener) {
        if ((node == null) == (cluster == null)) {
            throw new UserError("name a NODE or --cluster C to resize, not both");
        }
        Catalog catalog = Catalog.load();
        SizeSpec wanted = catalog.sizes().get(size);
        if (wanted == null) {
            throw new UserError("--size " + size + ": no such size; sizes: " + String.join(", ", catalog.sizes().keySet()));
        }
        Deployment deployment = GroupAccess.applied(directory);
        List<DeployedNode> nodes = node != null
                ? List.of(deployment.node(node).orElseThrow(() -> new UserError(node + ": no such node; nodes: "
                        + deployment.nodes().stream().map(DeployedNode::name).collect(Collectors.joining(", ")))))
                : deployment.cluster(cluster).orElseThrow(() -> new UserError("--cluster " + cluster + ": no such cluster")).nodes();
        checkDisk(deployment, nodes, wanted);
        ConfigChange.Outcome change = ConfigChange.run(directory,
                editor -> node != null ? editor.setNodeSize(node, size) : editor.setClusterSize(cluster, size), dryRun, listener,
                new Apply.Options("resize " + (node != null ? node : cluster) + " to " + size, Apply.Confirmation.NO, true));
        return new Outcome(change, limits(deployment));
    }

    /** Growing disks must fit: the growth is checked against the free space where the group keeps its data. */
    static void checkDisk(Deployment deployment, List<DeployedNode> nodes, SizeSpec wanted) {
        long growthGb = nodes.stream().mapToLong(n -> Math.max(0, wanted.diskGb() - n.size().diskGb())).sum();
        if (growthGb == 0 || !deployment.platform().equals("local")) {
            return;
        }
        try {
            Path base = Path.of(deployment.baseDirectory());
            long freeGb = Files.getFileStore(Files.exists(base) ? base : base.getRoot()).getUsableSpace() / (1024L * 1024 * 1024);
            if (growthGb > freeGb) {
                throw new UserError(UserError.FAILED, "the new size needs " + growthGb + " GB more disk on this machine but only "
                        + freeGb + " GB are free under " + base + "; free space or choose a smaller size");
            }
        } catch (IOException e) {
            throw new UserError(UserError.FAILED, "cannot check free disk space: " + e.getMessage());
        }
    }

    /** On the local platform, whether sizes can become OS limits here, and if not, why. */
    static String limits(Deployment deployment) {
        if (!deployment.platform().equals("local")) {
            return null;
        }
        try {
            String controllers = Files.readString(Path.of("/sys/fs/cgroup/cgroup.controllers"));
            if (controllers.contains("memory") && controllers.contains("cpu")) {
                return "cgroup v2 is available, but this version of tpa does not set CPU and memory limits yet; "
                        + "sizes set PostgreSQL's parameters only";
            }
        } catch (IOException e) {
            // not a cgroup v2 machine
        }
        return "this machine has no cgroup v2 hierarchy with the memory and cpu controllers, so sizes are not enforced as "
                + "OS limits; they set PostgreSQL's parameters only";
    }
}
