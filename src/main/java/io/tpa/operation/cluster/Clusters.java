package io.tpa.operation.cluster;

import io.tpa.component.Patroni;
import io.tpa.error.UserError;
import io.tpa.model.ClusterSpec;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.LoadedSpec;
import io.tpa.model.NodeSpec;
import io.tpa.model.SpecLoader;
import io.tpa.operation.GroupAccess;
import io.tpa.operation.GroupHealth;
import io.tpa.operation.apply.Apply;
import io.tpa.operation.apply.ApplyListener;
import io.tpa.operation.apply.ApplyResult;
import io.tpa.operation.apply.Plan;
import io.tpa.workspace.ConfigEditor;
import io.tpa.workspace.GroupDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The standby clusters of a group: add one, remove one, promote one in place of the primary cluster.
 * Each edits the config, then converges the group to it through the same phases as {@code tpa apply}
 * (under the group lock, committed), so a command killed half-way is finished by running it, or
 * {@code tpa apply}, again.
 */
public final class Clusters {
    private static final Pattern NUMBERED = Pattern.compile("pg(\\d+)");

    private Clusters() {
    }

    /** A cluster to add: its name, location and node names. */
    public record Addition(String cluster, String location, List<String> nodes, boolean alreadyInConfig) {
    }

    /** What a removal takes away. */
    public record Removal(String group, String cluster, List<String> nodes, List<String> services, List<String> directories,
                          List<String> addresses, String etcdKeys, String slot, String primaryCluster) {
    }

    // add

    /** The cluster {@code tpa cluster add} would add: nodes named pgN continuing the group's numbering, else NAME-1, NAME-2, ... */
    public static Addition addition(Path directory, String name, String location, int nodes) {
        if (nodes < 1) {
            throw new UserError("--nodes " + nodes + ": a cluster needs at least one node");
        }
        LoadedSpec loaded = SpecLoader.load(directory);
        Optional<ClusterSpec> existing = loaded.spec().clusters().stream().filter(c -> c.name().equals(name)).findFirst();
        if (existing.isPresent()) {
            // Added to the config by an earlier run that did not finish: finish it.
            return new Addition(name, existing.get().location(), existing.get().nodes().stream().map(NodeSpec::name).toList(), true);
        }
        List<String> names = loaded.spec().allNodes().stream().map(NodeSpec::name).toList();
        List<String> added = new ArrayList<>();
        if (!names.isEmpty() && names.stream().allMatch(n -> NUMBERED.matcher(n).matches())) {
            int highest = names.stream().map(NUMBERED::matcher).filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
            for (int i = 1; i <= nodes; i++) {
                added.add("pg" + (highest + i));
            }
        } else {
            for (int i = 1; i <= nodes; i++) {
                added.add(name + "-" + i);
            }
        }
        Addition addition = new Addition(name, location, added, false);
        edited(loaded, editor -> editor.addCluster(name, location, added)); // checks names now, before anything runs
        return addition;
    }

    /** Appends the cluster to the config and applies it: a standby cluster of the primary cluster. */
    public static ApplyResult add(Path directory, Addition addition, ApplyListener listener) {
        return Apply.apply(directory, "cluster add", () -> {
            if (!addition.alreadyInConfig()) {
                LoadedSpec loaded = SpecLoader.load(directory);
                edited(loaded, editor -> editor.addCluster(addition.cluster(), addition.location(), addition.nodes())).save();
            }
        }, listener, Apply.Confirmation.NO);
    }

    /** What apply would do with the cluster added, from a scratch copy of the group directory; the group is not touched. */
    public static Plan planAdd(Path directory, Addition addition) {
        LoadedSpec loaded = SpecLoader.load(directory);
        String text = addition.alreadyInConfig() ? read(loaded.file())
                : edited(loaded, editor -> editor.addCluster(addition.cluster(), addition.location(), addition.nodes())).text();
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("tpa-plan-");
            Path copy = scratch;
            for (String name : List.of(GroupDirectory.RECORD, GroupDirectory.SECRETS, GroupDirectory.CLEAR_SECRETS, GroupDirectory.CA_CERTIFICATE)) {
                Path source = new GroupDirectory(directory).path().resolve(name);
                if (Files.exists(source)) {
                    Files.createDirectories(copy.resolve(name).getParent());
                    Files.copy(source, copy.resolve(name));
                }
            }
            Files.writeString(copy.resolve(loaded.file().getFileName()), text);
            return Apply.plan(copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(scratch);
        }
    }

    // remove

    /** What removing the cluster takes away; refuses the primary cluster while others replicate from it, and the only cluster. */
    public static Removal removal(Path directory, String name) {
        Deployment deployment = GroupAccess.applied(directory);
        LoadedSpec loaded = SpecLoader.load(directory);
        DeployedCluster cluster = deployment.cluster(name).orElseThrow(() -> new UserError("there is no cluster '" + name
                + "' in group " + deployment.group() + "; its clusters are "
                + deployment.clusters().stream().map(DeployedCluster::name).collect(Collectors.joining(", "))));
        if (deployment.clusters().size() == 1) {
            throw new UserError("cluster " + name + " is the only cluster of group " + deployment.group()
                    + "; to take the whole group down, run `tpa destroy " + directory + " --yes`");
        }
        boolean firstInConfig = !loaded.spec().clusters().isEmpty() && loaded.spec().primaryCluster().name().equals(name);
        if (cluster.primaryCluster() || firstInConfig) {
            List<String> others = deployment.clusters().stream().filter(c -> !c.name().equals(name)).map(DeployedCluster::name).toList();
            throw new UserError("cluster " + name + " is the primary cluster and standby cluster" + (others.size() == 1 ? " " : "s ")
                    + String.join(", ", others) + " replicate from it; promote another cluster first (`tpa cluster promote "
                    + directory + " " + others.get(0) + "`), then remove it");
        }
        List<String> members = cluster.nodes().stream().filter(DeployedNode::etcdMember).map(DeployedNode::name).toList();
        if (!members.isEmpty()) {
            // Patroni 3.0.2 reads etcd3.hosts only when it starts: moving the members away would cut every node off its DCS.
            throw new UserError(UserError.FAILED, "cluster " + name + " runs the group's etcd member" + (members.size() == 1 ? " " : "s ")
                    + String.join(", ", members) + " (it was the primary cluster when the group was created); tpa cannot move etcd "
                    + "members yet without cutting Patroni off its DCS, so this cluster cannot be removed yet");
        }
        DeployedCluster primary = deployment.clusters().stream().filter(DeployedCluster::primaryCluster).findFirst().orElseThrow();
        List<String> services = new ArrayList<>();
        cluster.nodes().forEach(node -> {
            if (node.etcdMember()) {
                services.add("etcd-" + node.name());
            }
            services.add(Patroni.serviceName(node));
        });
        return new Removal(deployment.group(), name, cluster.nodes().stream().map(DeployedNode::name).toList(), services,
                cluster.nodes().stream().map(n -> deployment.baseDirectory() + "/nodes/" + n.name()).toList(),
                cluster.nodes().stream().map(n -> n.name() + " " + n.address()).toList(),
                Patroni.clusterPrefix(deployment, cluster), Patroni.standbySlot(name), primary.name());
    }

    /** Removes the cluster from the config, then applies: its nodes stop and lose their data, its keys and slot go. */
    public static ApplyResult remove(Path directory, Removal removal, ApplyListener listener) {
        return Apply.apply(directory, "cluster remove", () -> {
            LoadedSpec loaded = SpecLoader.load(directory);
            if (loaded.spec().clusters().stream().anyMatch(c -> c.name().equals(removal.cluster()))) {
                edited(loaded, editor -> editor.removeCluster(removal.cluster())).save();
            }
        }, listener, Apply.Confirmation.YES);
    }

    // promote

    /** What a promotion changes: the cluster promoted, the former primary cluster, and whether that one answers. */
    public record Promotion(String group, String cluster, String formerPrimary, boolean formerReachable) {
    }

    /** Checks the cluster can be promoted and whether the primary cluster answers (then it becomes a standby; else it is fenced). */
    public static Promotion promotion(Path directory, String name) {
        GroupAccess access = GroupAccess.open(directory);
        Deployment deployment = access.deployment();
        DeployedCluster cluster = deployment.cluster(name).orElseThrow(() -> new UserError("there is no cluster '" + name
                + "' in group " + deployment.group() + "; its clusters are "
                + deployment.clusters().stream().map(DeployedCluster::name).collect(Collectors.joining(", "))));
        if (cluster.primaryCluster()) {
            throw new UserError("cluster " + name + " is already the primary cluster of group " + deployment.group());
        }
        DeployedCluster former = deployment.clusters().stream().filter(DeployedCluster::primaryCluster).findFirst().orElseThrow();
        GroupHealth health = access.health();
        if (health.leader(cluster).isEmpty()) {
            throw new UserError(UserError.FAILED, "cluster " + name + " has no running standby leader to promote; see `tpa status "
                    + directory + "`, and run `tpa apply " + directory + "` to start it");
        }
        boolean reachable = former.nodes().stream().anyMatch(node -> health.member(node.name()).isPresent());
        return new Promotion(deployment.group(), name, former.name(), reachable);
    }

    /**
     * Moves the cluster first in the config, then converges: the former primary cluster is demoted to a standby
     * of it (when it answers; else only its DCS configuration changes and it is recorded fenced), the cluster is
     * promoted once it has replayed everything the former primary cluster wrote.
     */
    public static ApplyResult promote(Path directory, Promotion promotion, ApplyListener listener) {
        Runnable edit = () -> {
            LoadedSpec loaded = SpecLoader.load(directory);
            if (!loaded.spec().primaryCluster().name().equals(promotion.cluster())) {
                String text = read(loaded.file());
                boolean json = loaded.file().getFileName().toString().endsWith(".json");
                try {
                    write(loaded.file(), ClusterOrder.first(text, json, promotion.cluster()));
                } catch (IllegalArgumentException e) {
                    throw new UserError(loaded.file() + ": " + e.getMessage());
                }
            }
        };
        return promotion.formerReachable()
                ? Apply.apply(directory, "cluster promote", edit, listener, Apply.Confirmation.NO)
                : Apply.promoteWithout(directory, "cluster promote", edit, promotion.formerPrimary(), listener);
    }

    // config edits

    private static ConfigEditor edited(LoadedSpec loaded, java.util.function.UnaryOperator<ConfigEditor> edit) {
        try {
            return edit.apply(ConfigEditor.open(loaded.file()));
        } catch (IllegalArgumentException e) {
            throw new UserError(loaded.file() + ": " + e.getMessage());
        }
    }

    private static void write(Path file, String text) {
        try {
            Path temporary = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            Files.writeString(temporary, text);
            if (Files.exists(file)) {
                Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(file));
            }
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UserError(UserError.FAILED, "cannot write " + file + ": " + e.getMessage());
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a scratch directory under the temporary directory: nothing to keep
        }
    }
}
