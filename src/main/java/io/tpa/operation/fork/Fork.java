package io.tpa.operation.fork;

import io.tpa.component.NodeLayout;
import io.tpa.component.Patroni;
import io.tpa.component.PatroniApi.MemberStatus;
import io.tpa.component.Postgres;
import io.tpa.error.UserError;
import io.tpa.host.Command;
import io.tpa.host.FileOwner;
import io.tpa.host.Host;
import io.tpa.host.Platform;
import io.tpa.host.ServiceManager;
import io.tpa.host.ServiceState;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Json;
import io.tpa.model.LoadedSpec;
import io.tpa.model.NodeSpec;
import io.tpa.model.Roles;
import io.tpa.model.SpecLoader;
import io.tpa.operation.ConfigChange;
import io.tpa.operation.GroupAccess;
import io.tpa.operation.GroupHealth;
import io.tpa.operation.Platforms;
import io.tpa.operation.apply.Action;
import io.tpa.operation.apply.Apply;
import io.tpa.operation.apply.ApplyListener;
import io.tpa.operation.apply.ApplyResult;
import io.tpa.operation.apply.OperationProgress;
import io.tpa.operation.apply.Plan;
import io.tpa.operation.apply.Steps;
import io.tpa.wait.Wait;
import io.tpa.workspace.ConfigEditor;
import io.tpa.workspace.GroupDirectory;
import io.tpa.workspace.GroupHistory;
import io.tpa.workspace.GroupLock;
import io.tpa.workspace.ResumeMarker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code tpa fork}: a replica leaves its group and becomes the primary of a new, independent group with its own
 * directory, config, history, secrets and CA. Its data is the source's as of the fork; it is promoted on a new
 * timeline. The source keeps running with one replica fewer, and its config and history say so.
 *
 * <p>The steps, each skipped when the facts show it done, so that a fork killed half-way converges when run again:
 * <ol>
 *   <li>the new directory gets its config (the source's, reduced to the node's cluster with only that node, and
 *       renamed), a marker naming the source and node ({@value #MARKER}, git-ignored) and a history;</li>
 *   <li>under the source's lock, the node catches up with its primary, its Patroni stops (PostgreSQL shuts down
 *       cleanly as a replica), and its data directory moves (a rename) into the new group's base directory, as
 *       {@link NodeLayout#stagedDataDirectory()}; then the node leaves the source's config and the source's apply
 *       removes it as {@code tpa replica remove} would;</li>
 *   <li>the new group's apply bootstraps from the staged data (see {@link Patroni#config(Deployment, DeployedNode,
 *       java.util.Map, List, io.tpa.model.Catalog, boolean)}), then applies again to put the standard Patroni
 *       configuration back once the data is in place.</li>
 * </ol>
 */
public final class Fork {
    /** Marks a directory as the target of a fork (source, node), so that running the fork again resumes it. */
    static final String MARKER = ".tpa/fork.json";
    static final String PHASE = "fork";
    static final Duration CATCH_UP = Duration.ofSeconds(60);
    static final Duration SHUTDOWN = Duration.ofSeconds(150);

    private Fork() {
    }

    /**
     * What a fork did, or would do.
     *
     * @param steps      for a dry run, what would happen, in order
     * @param sourcePlan for a dry run, the source's apply once the node has left its config (null when it already has)
     * @param timeline   the new primary's timeline after the fork (null for a dry run)
     * @param changes    how many steps ran (0 when the fork was complete already)
     * @param commits    the commits made, in both histories
     */
    public record Result(String source, String sourceGroup, String node, String into, String group, boolean dryRun,
                         List<String> steps, Plan sourcePlan, Long timeline, double seconds, int changes, List<String> commits) {
    }

    /** The marker's content: where the fork came from, and when it began. */
    record Marker(String source, String node, String started) {
    }

    public static Result run(Path source, String node, Path into, String name, boolean dryRun, ApplyListener listener) {
        long start = System.nanoTime();
        OperationProgress progress = new OperationProgress(listener, start);
        GroupDirectory sourceGroup = new GroupDirectory(source);
        GroupDirectory newGroup = new GroupDirectory(into);
        Path sourcePath = sourceGroup.path();
        Path newPath = newGroup.path();
        if (newPath.startsWith(sourcePath) || sourcePath.startsWith(newPath)) {
            throw new UserError("--into " + into + ": the new group needs a directory of its own, outside " + sourcePath
                    + " and not containing it");
        }
        Deployment deployment = GroupAccess.applied(source);
        LoadedSpec sourceSpec = sourceGroup.load();
        Optional<Path> existingConfig = ResumeMarker.configFile(newPath);
        Optional<Marker> marker = ResumeMarker.read(newPath, MARKER, Marker.class);
        boolean resuming = existingConfig.isPresent()
                && marker.map(m -> m.source().equals(sourcePath.toString()) && m.node().equals(node)).orElse(false);
        if (existingConfig.isPresent() && !resuming) {
            throw new UserError("--into " + into + ": " + existingConfig.get() + " already exists; fork into a new or empty directory");
        }
        Optional<DeployedNode> deployed = deployment.node(node);
        if (!resuming && deployed.isEmpty()) {
            throw new UserError(node + ": no such node in group " + deployment.group() + "; nodes: "
                    + deployment.nodes().stream().map(DeployedNode::name).collect(Collectors.joining(", ")));
        }
        boolean inSourceConfig = hasNode(sourceSpec, node);
        if (!resuming && !deployed.get().promotable()) {
            throw new UserError(UserError.FAILED, node + " is marked promotable: false in " + sourceSpec.file() + ", and a fork makes it a primary; "
                    + "remove that mark, run `tpa apply " + source + "`, then fork it");
        }
        if (!resuming && !inSourceConfig) {
            throw new UserError(node + ": not in " + sourceSpec.file() + " any more (removed but not applied); put it back, or apply "
                    + "its removal with `tpa apply " + source + " --yes`");
        }

        String group;
        ConfigEditor newConfig = null;
        if (resuming) {
            group = newGroup.load().spec().name();
            if (name != null && !name.equals(group)) {
                throw new UserError("--name " + name + ": " + newPath + " holds an unfinished fork of " + node + " named " + group
                        + "; run again with --name " + group + " or without --name");
            }
        } else {
            group = name != null ? name : deployment.group() + "-" + node;
            try {
                newConfig = ConfigEditor.open(sourceSpec.file()).keepOnly(deployment.clusterOf(deployed.get()).name(), List.of(node));
            } catch (IllegalArgumentException e) {
                throw new UserError(sourceSpec.file() + ": " + e.getMessage());
            }
            try {
                newConfig = newConfig.renameGroup(group);
            } catch (IllegalArgumentException e) {
                throw new UserError((name != null ? "--name " + name : "the default name " + group + " (choose one with --name)")
                        + ": " + e.getMessage());
            }
        }

        Platform platform = Platforms.forDeployment(source, deployment);
        String newKey = newGroup.deployment().map(Deployment::key).orElseGet(() -> newGroup.newKey(group));
        String newBase = platform.baseDirectory(newKey);
        NodeLayout target = NodeLayout.of(newBase, node);
        Host host = platform.host(deployed.map(DeployedNode::address).orElse(deployment.nodes().get(0).address()));
        boolean runsInSource = deployed.isPresent() && !moved(host, target);
        if (runsInSource) {
            // Resumed, the node may be stopped already: the rest of the group must be healthy.
            GroupAccess access = GroupAccess.open(source);
            GroupHealth health = access.health();
            refuseUnlessReplicaOfHealthyGroup(source, deployment, deployed.get(), health,
                    resuming ? GroupHealth.read(without(deployment, node), access.http()) : health);
        }

        String configName = sourceSpec.file().getFileName().toString();
        if (dryRun) {
            List<String> steps = new ArrayList<>();
            if (!resuming) {
                steps.add("create " + newPath + ": " + configName + " for group " + group + " (cluster "
                        + deployment.clusterOf(deployed.get()).name() + " with " + node + " alone), and a git history");
            }
            if (runsInSource) {
                steps.add("in group " + deployment.group() + ": let " + node + " replay everything committed before the fork, stop its Patroni "
                        + "(PostgreSQL shuts down cleanly as a replica) and move its data directory to " + target.stagedDataDirectory());
            }
            Plan sourcePlan = null;
            if (inSourceConfig || deployed.isPresent()) {
                steps.add("remove " + node + " from " + sourceSpec.file() + " and apply group " + deployment.group()
                        + ": its services, replication slot, etcd membership, address and node directory go");
                if (inSourceConfig) {
                    sourcePlan = ConfigChange.run(source, editor -> editor.removeNode(node), true, ApplyListener.SILENT,
                            new Apply.Options(PHASE, Apply.Confirmation.YES, false)).plan();
                }
            }
            steps.add("apply group " + group + ": new secrets and CA; " + node + " starts from the moved data, ends recovery and is promoted "
                    + "on a new timeline; its roles get the new group's passwords");
            return new Result(sourcePath.toString(), deployment.group(), node, newPath.toString(), group, true, steps, sourcePlan, null,
                    seconds(start), 0, List.of());
        }

        // A step that fails says how to go on: the fork, run again, resumes where it stopped.
        String again = "run `tpa fork " + source + " " + node + " --into " + into + "` again";
        try {
            List<String> commits = new ArrayList<>();
            if (!resuming) {
                ConfigEditor config = newConfig;
                String message = "tpa fork: from " + sourcePath + " at " + Instant.now().truncatedTo(ChronoUnit.SECONDS);
                Steps.runInOrder(List.of(List.of(new Action(PHASE, group, "create " + newPath + " (" + configName + ", history)", false, () -> {
                    try (GroupLock ignored = newGroup.lock("fork")) {
                        if (ResumeMarker.configFile(newPath).isPresent()) {
                            throw new UserError("--into " + into + ": " + ResumeMarker.configFile(newPath).get() + " appeared meanwhile; fork into a new or empty directory");
                        }
                        // The marker first: once the config exists, running the fork again resumes instead of refusing the directory.
                        ResumeMarker.write(newPath, MARKER, new Marker(sourcePath.toString(), node, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
                        config.saveAs(newPath.resolve(configName));
                        newGroup.ensureGitignore();
                        io.tpa.operation.secrets.Secrets.copyS3Keys(deployment, sourceGroup.secrets(), newGroup);
                        if (new GroupHistory(newPath).commit(message)) {
                            commits.add(message);
                        }
                    }
                }))), progress);
            }

            if (deployed.isPresent() || inSourceConfig) {
                String message = "tpa fork: " + node + " left for " + newPath;
                ApplyResult left = Apply.apply(source, () -> {
                    // Under the source's lock: the facts again, as another command may have changed them.
                    Deployment current = GroupAccess.applied(source);
                    Optional<DeployedNode> member = current.node(node);
                    if (member.isPresent() && !moved(host, target)) {
                        stage(source, current, member.get(), platform, host, target, progress);
                    }
                    if (hasNode(sourceGroup.load(), node)) {
                        ConfigEditor.open(sourceGroup.load().file()).removeNode(node).save();
                        if (new GroupHistory(sourcePath).commit(message)) {
                            commits.add(message);
                        }
                    }
                }, progress, new Apply.Options(PHASE, Apply.Confirmation.YES, false));
                if (left.commit() != null) {
                    commits.add(left.commit());
                }
            }

            if (host.exists(target.stagedDataDirectory())) {
                Steps.runInOrder(List.of(List.of(new Action(PHASE, node, "clear the source's replication slots and Patroni cache from the moved data",
                        false, () -> tidy(host, target)))), progress);
            } else if (!host.exists(target.dataDirectory() + "/PG_VERSION")) {
                throw new UserError(UserError.FAILED, node + "'s forked data is neither staged in " + target.stagedDataDirectory() + " nor in place in "
                        + target.dataDirectory() + ", so group " + group + " has nothing to start from (`tpa destroy` deleted it, or a failed "
                        + "bootstrap moved it aside to " + target.dataDirectory() + "_<time>: move that back to " + target.stagedDataDirectory()
                        + " and run the fork again)");
            }
            // The first apply bootstraps from the staged data; the second puts the standard Patroni configuration back.
            for (int pass = 0; pass < 2; pass++) {
                ApplyResult result = Apply.apply(newPath, () -> { }, progress, new Apply.Options(PHASE, Apply.Confirmation.NO, false));
                if (result.commit() != null) {
                    commits.add(result.commit());
                }
                if (!result.changed()) {
                    break;
                }
            }
            Long timeline = GroupAccess.open(newPath).health().member(node).map(MemberStatus::timeline).orElse(null);
            return new Result(sourcePath.toString(), deployment.group(), node, newPath.toString(), group, false, List.of(), null, timeline,
                    seconds(start), progress.finished(), commits);
        } catch (UserError e) {
            throw new UserError(e.exitCode(), e.getMessage().replace("run `tpa apply` again", again).replace("run `tpa fork` again", again), e);
        }
    }

    /** The deployment as if the node were gone already. */
    private static Deployment without(Deployment deployment, String node) {
        List<DeployedCluster> clusters = deployment.clusters().stream().map(c -> new DeployedCluster(c.name(), c.location(), c.primaryCluster(),
                c.scope(), c.primary(), c.parameters(), c.nodes().stream().filter(n -> !n.name().equals(node)).toList(), c.fenced())).toList();
        return deployment.withClusters(clusters);
    }

    /** The node's data has left the source: staged in the new group, or already in place there. */
    private static boolean moved(Host host, NodeLayout target) {
        return host.exists(target.stagedDataDirectory()) || host.exists(target.dataDirectory() + "/PG_VERSION");
    }

    private static void refuseUnlessReplicaOfHealthyGroup(Path source, Deployment deployment, DeployedNode node, GroupHealth health,
                                                          GroupHealth required) {
        DeployedCluster cluster = deployment.clusterOf(node);
        if (health.leader(cluster).map(node::equals).orElse(false)) {
            throw new UserError(UserError.FAILED, node.name() + " is the primary of cluster " + cluster.name() + "; switch over first (`tpa switchover "
                    + source + "`), then fork it");
        }
        String why = required.whyNotHealthy();
        if (why != null) {
            throw new UserError(UserError.FAILED, "group " + deployment.group() + " is not healthy (" + why + "); fork only from a healthy group: "
                    + "see `tpa status " + source + "`");
        }
    }

    /**
     * The node catches up with its primary (everything committed before the fork), stops as a replica, and its data
     * directory moves to the new group's base directory. Called under the source's lock.
     */
    private static void stage(Path source, Deployment deployment, DeployedNode node, Platform platform, Host host, NodeLayout target,
                              ApplyListener listener) {
        GroupAccess access = GroupAccess.open(source);
        GroupHealth health = access.health();
        DeployedCluster cluster = deployment.clusterOf(node);
        Optional<DeployedNode> leader = health.leader(cluster);
        if (leader.map(node::equals).orElse(false)) {
            throw new UserError(UserError.FAILED, node.name() + " is the primary of cluster " + cluster.name() + "; switch over first (`tpa switchover "
                    + source + "`), then fork it");
        }
        NodeLayout layout = NodeLayout.of(deployment.baseDirectory(), node.name());
        if (!host.exists(layout.dataDirectory() + "/PG_VERSION")) {
            throw new UserError(UserError.FAILED, node.name() + " has no data in " + layout.dataDirectory() + " to fork; run `tpa apply " + source
                    + "` so that it clones its primary, then fork it");
        }
        String password = access.secrets().get(Roles.SUPERUSER);
        ServiceManager services = platform.serviceManager(host, deployment.key());
        List<List<Action>> steps = new ArrayList<>();
        boolean streaming = health.member(node.name()).map(MemberStatus::isRunning).orElse(false) && leader.isPresent();
        if (streaming) {
            DeployedNode primary = leader.get();
            steps.add(List.of(new Action(PHASE, node.name(), "replay everything " + primary.name() + " committed before the fork", false, () -> {
                String lsn = Postgres.query(platform.host(primary.address()), deployment, primary, password, "SELECT pg_current_wal_lsn()").get(0);
                Wait.until("for " + node.name() + " to replay " + primary.name() + "'s WAL up to " + lsn, CATCH_UP, () -> {
                    String[] replayed = Postgres.query(host, deployment, node, password,
                            "SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn, pg_last_wal_replay_lsn()").get(0).split("\\|");
                    return replayed[0].equals("t") ? null : "replayed up to " + replayed[1];
                });
            })));
        }
        steps.add(List.of(new Action(PHASE, node.name(), "stop Patroni (PostgreSQL shuts down cleanly as a replica)", false, () -> {
            Patroni.stopAndWait(services, host, deployment, node, SHUTDOWN);
        })));
        steps.add(List.of(new Action(PHASE, node.name(), "move its data directory to " + target.stagedDataDirectory(), false, () -> {
            String base = target.directory().substring(0, target.directory().lastIndexOf("/nodes/"));
            host.createDirectory(base, FileOwner.sharedDirectory(null));
            host.createDirectory(target.directory(), FileOwner.sharedDirectory(host.serviceUser()));
            // On one filesystem a rename: the data is never copied, and never half there.
            host.check(Command.of("mv", "-T", "--", layout.dataDirectory(), target.stagedDataDirectory()));
        })));
        Steps.runInOrder(steps, listener);
    }

    /**
     * What belongs to the source in the moved data goes: its replication slots (nothing is to keep WAL for them) and
     * Patroni's cache of the source's dynamic configuration. PostgreSQL is down, so removing slot directories is safe.
     */
    private static void tidy(Host host, NodeLayout target) {
        String data = target.stagedDataDirectory();
        host.remove(data + "/patroni.dynamic.json");
        host.check(Command.of("find", data + "/pg_replslot", "-mindepth", "1", "-delete"));
    }

    private static boolean hasNode(LoadedSpec spec, String node) {
        return spec.spec().allNodes().stream().map(NodeSpec::name).anyMatch(node::equals);
    }


    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
