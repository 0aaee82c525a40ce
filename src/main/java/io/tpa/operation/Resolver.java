package io.tpa.operation;

import io.tpa.component.CompliancePolicy;
import io.tpa.component.Etcd;
import io.tpa.component.PostgresTuning;
import io.tpa.error.UserError;
import io.tpa.host.Platform;
import io.tpa.model.Catalog;
import io.tpa.model.ClusterSpec;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.GroupSpec;
import io.tpa.model.NodeSpec;
import io.tpa.model.SizeSpec;
import io.tpa.workspace.GroupDirectory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns a config (defaults filled in) into a deployment: addresses, etcd members, parameters, primaries. */
public final class Resolver {
    /** How many etcd members a group of three nodes or more runs. */
    public static final int ETCD_MEMBERS = 3;

    private Resolver() {
    }

    /**
     * Resolves a config into a deployment.
     *
     * @param releaseAt the release (as the catalog names it) of the server at an address
     */
    public static Deployment resolve(GroupDirectory directory, GroupSpec spec, Catalog catalog, Platform platform,
                                     Optional<Deployment> previous, Map<String, String> livePrimaries, boolean reserve,
                                     java.util.function.Function<String, String> releaseAt) {
        refuseRemovingThePrimaryCluster(directory, spec, previous);
        String key = previous.map(Deployment::key).orElseGet(() -> directory.newKey(spec.name()));
        Map<String, String> current = new HashMap<>();
        previous.ifPresent(p -> p.nodes().forEach(n -> current.put(n.name(), n.address())));
        List<String> nodeNames = spec.allNodes().stream().map(NodeSpec::name).toList();
        Map<String, String> addresses = platform.assignAddresses(key, nodeNames, current, reserve);
        Map<String, String> releases = new HashMap<>();
        addresses.forEach((node, address) -> releases.put(node, releaseAt.apply(address)));
        // Without a major in the config, the release of the primary cluster's first node decides (its own PostgreSQL).
        int postgresVersion = spec.postgres().version() != null ? spec.postgres().version()
                : catalog.distribution(releases.get(nodeNames.get(0))).defaultPostgres();

        Map<String, DeployedNode.EtcdJoin> etcdMembers = etcdMembers(spec.primaryCluster(), previous, addresses);
        int maxConnections = PostgresTuning.DEFAULT_MAX_CONNECTIONS;
        List<String> extensions = CompliancePolicy.extensions(spec.compliance(), spec.postgres().extensions());
        List<String> preload = extensions.stream().filter(catalog::preloaded).toList();
        Map<String, Object> overrides = CompliancePolicy.parameters(spec.compliance(), spec.postgres().parameters());

        List<DeployedCluster> clusters = new ArrayList<>();
        for (ClusterSpec cluster : spec.clusters()) {
            List<SizeSpec> sizes = cluster.nodes().stream().map(NodeSpec::size).toList();
            Map<String, String> clusterParameters = PostgresTuning.clusterParameters(sizes, spec.allNodes().size(), overrides);
            int connections = Integer.parseInt(clusterParameters.getOrDefault("max_connections", Integer.toString(maxConnections)));
            List<DeployedNode> nodes = cluster.nodes().stream().map(node -> new DeployedNode(
                    node.name(), cluster.name(), addresses.get(node.name()),
                    new DeployedNode.Server(releases.get(node.name()), node.ssh(), null),
                    new DeployedNode.Postgres(node.size(),
                            PostgresTuning.nodeParameters(node.size(), connections, preload, spec.postgres().logging(), overrides),
                            node.canBePromoted()),
                    new DeployedNode.Etcd(etcdMembers.containsKey(node.name()), etcdMembers.get(node.name())))).toList();
            // The node that leads now, else the one recorded last, else the first: a failover or switchover sticks.
            String primary = Optional.ofNullable(livePrimaries.get(cluster.name()))
                    .or(() -> previous.flatMap(p -> p.cluster(cluster.name())).map(DeployedCluster::primary))
                    .filter(name -> cluster.nodes().stream().anyMatch(n -> n.name().equals(name)))
                    .orElse(cluster.nodes().get(0).name());
            clusters.add(new DeployedCluster(cluster.name(), cluster.location(), clusters.isEmpty(), cluster.name(),
                    primary, clusterParameters, nodes));
        }
        return new Deployment(Deployment.FORMAT_VERSION, spec.name(), key, platform.name(), platform.baseDirectory(key),
                new Deployment.Postgres(postgresVersion, extensions, spec.compliance()),
                new Deployment.Patroni(spec.failover(), Boolean.TRUE.equals(spec.synchronous())),
                spec.access(), backup(spec, platform.baseDirectory(key), key), clusters);
    }

    /**
     * The config's backup settings with the repository's directory decided: by default beside the group's base directory
     * (local), or {@code /<group key>} inside the bucket (s3).
     */
    static io.tpa.model.BackupSpec backup(GroupSpec spec, String baseDirectory, String key) {
        if (spec.backup() == null) {
            return null;
        }
        io.tpa.model.BackupSpec backup = spec.backup().resolved(spec.ssh());
        if (backup.repository().onServer() && backup.repository().host() != null) {
            backup = backup.withServerAddress(Platforms.address("backup.repository.host", backup.repository().host()));
        }
        if (backup.repository().path() != null) {
            return backup;
        }
        if (backup.repository().s3()) {
            return backup.withRepositoryPath("/" + key);
        }
        java.nio.file.Path groups = java.nio.file.Path.of(baseDirectory).getParent();
        java.nio.file.Path home = groups == null || groups.getParent() == null ? java.nio.file.Path.of("/var/lib/tpa") : groups.getParent();
        return backup.withRepositoryPath(home.resolve("backup").resolve(key).toString());
    }

    /**
     * The primary cluster leaves the config only last: while standby clusters replicate from it, another one
     * must be promoted first (the config's first cluster is the primary cluster, so a config that drops it while
     * keeping others would promote one implicitly).
     */
    public static void refuseRemovingThePrimaryCluster(GroupDirectory directory, GroupSpec spec, Optional<Deployment> previous) {
        Optional<DeployedCluster> primary = previous.flatMap(p -> p.clusters().stream().filter(DeployedCluster::primaryCluster).findFirst());
        if (primary.isEmpty() || spec.clusters().stream().anyMatch(c -> c.name().equals(primary.get().name()))) {
            return;
        }
        List<String> standbys = previous.get().clusters().stream().filter(c -> !c.primaryCluster())
                .map(DeployedCluster::name).filter(name -> spec.clusters().stream().anyMatch(c -> c.name().equals(name))).toList();
        if (!standbys.isEmpty()) {
            throw new UserError(directory.path() + ": cluster " + primary.get().name() + " is the primary cluster and standby cluster"
                    + (standbys.size() == 1 ? " " : "s ") + String.join(", ", standbys) + " replicate from it; promote another cluster first "
                    + "(`tpa cluster promote " + directory.path() + " " + standbys.get(0) + "`), then remove it");
        }
    }

    /**
     * The rule: three members on nodes of the primary cluster (one when it has fewer than three
     * nodes). Members stay members while their node exists; a missing member is replaced by the
     * first node of the primary cluster that is not one yet. A member that founds the etcd cluster
     * starts "new" with all founders; a later one joins the running cluster ("existing") with every
     * member of the last deployment (those about to leave too: joiners come first) and itself.
     */
    static Map<String, DeployedNode.EtcdJoin> etcdMembers(ClusterSpec primaryCluster, Optional<Deployment> previous,
                                                         Map<String, String> addresses) {
        List<String> nodes = primaryCluster.nodes().stream().map(NodeSpec::name).toList();
        int target = nodes.size() >= ETCD_MEMBERS ? ETCD_MEMBERS : 1;
        List<DeployedNode> before = previous.map(Deployment::etcdMembers).orElse(List.of()).stream()
                // Anywhere in the group: a promotion moves the primary cluster, not the etcd members.
                .filter(member -> addresses.containsKey(member.name()) && member.etcdJoin() != null).toList();
        Map<String, DeployedNode.EtcdJoin> members = new java.util.LinkedHashMap<>();
        before.stream().limit(target).forEach(member -> members.put(member.name(), member.etcdJoin()));
        List<String> joiners = nodes.stream().filter(name -> !members.containsKey(name)).limit(target - members.size()).toList();
        if (previous.map(Deployment::etcdMembers).orElse(List.of()).stream().noneMatch(member -> member.etcdJoin() != null)) {
            String founders = joiners.stream().map(name -> name + "=" + Etcd.peerUrl(addresses.get(name))).collect(java.util.stream.Collectors.joining(","));
            joiners.forEach(name -> members.put(name, new DeployedNode.EtcdJoin(founders, "new")));
            return members;
        }
        // Joiners come before leavers, so each joiner meets every earlier member, leaving ones included.
        List<String> membership = new ArrayList<>(previous.orElseThrow().etcdMembers().stream()
                .filter(member -> member.etcdJoin() != null)
                .map(member -> member.name() + "=" + Etcd.peerUrl(member.address())).toList());
        for (String joiner : joiners) {
            membership.add(joiner + "=" + Etcd.peerUrl(addresses.get(joiner)));
            members.put(joiner, new DeployedNode.EtcdJoin(String.join(",", membership), "existing"));
        }
        return members;
    }
}
