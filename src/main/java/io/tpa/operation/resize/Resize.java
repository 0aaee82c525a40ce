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
import io.tpa.host.Platform;
import io.tpa.operation.Platforms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Changes the size of a node or of every node of a cluster. The disk is checked first ({@link DiskCheck}). The
 * parameters that follow from the size are recomputed and rolled out replicas first; the primary then hands over
 * to a restarted replica instead of restarting, so writes pause for one switchover at most.
 */
public final class Resize {
    private Resize() {
    }

    /**
     * What a resize did, and what the user should know of it on this machine.
     *
     * @param notes one sentence each: how the disk was checked on the local platform, why sizes are not OS limits
     */
    public record Outcome(ConfigChange.Outcome change, List<String> notes) {
        public Outcome {
            notes = List.copyOf(notes);
        }
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
        Platform platform = Platforms.forDeployment(directory, deployment);
        List<String> notes = new ArrayList<>();
        DiskCheck.check(deployment, nodes, size, wanted, platform::host).ifPresent(notes::add);
        ConfigChange.Outcome change = ConfigChange.run(directory,
                editor -> node != null ? editor.setNodeSize(node, size) : editor.setClusterSize(cluster, size), dryRun, listener,
                new Apply.Options("resize " + (node != null ? node : cluster) + " to " + size, Apply.Confirmation.NO, true));
        String limits = limits(deployment);
        if (limits != null) {
            notes.add(limits);
        }
        return new Outcome(change, notes);
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
