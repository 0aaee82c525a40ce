package io.tpa.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;

/**
 * The resolved deployment: what tpa built from the config, with everything the config leaves
 * open decided (addresses, sizes, etcd members, computed parameters). Written as
 * {@code deployment.json} into the group directory. The {@code key} names the group on its platform
 * (addresses, base directory) and stays the same for the group's life; it is chosen at the first
 * apply from the name and the directory's path. It is and committed after every successful apply,
 * so the git history of the directory is the history of the deployment.
 */
public record Deployment(
        @JsonProperty("format_version") int formatVersion,
        String group,
        String key,
        String platform,
        @JsonProperty("base_directory") String baseDirectory,
        @JsonProperty("postgres_version") int postgresVersion,
        List<String> extensions,
        List<DeployedCluster> clusters,
        AccessSpec access,
        /** Patroni's synchronous_mode: a commit returns once a synchronous replica has it too ({@code synchronous: true}). */
        boolean synchronous,
        /** Patroni's timing profile: {@code standard} or {@code fast} (records written before it existed read as standard). */
        String failover,
        /** The config's compliance policy, {@code none} or {@code cis} (records written before it existed read as none). */
        String compliance,
        /** Backups with pgBackRest ({@code backup:} in the config), the repository path decided; null when the group keeps none. */
        BackupSpec backup) {

    public static final int FORMAT_VERSION = 1;
    public static final int POSTGRES_PORT = 5432;
    public static final int PATRONI_PORT = 8008;
    public static final int ETCD_CLIENT_PORT = 2379;
    public static final int ETCD_PEER_PORT = 2380;

    public Deployment {
        extensions = List.copyOf(extensions);
        clusters = List.copyOf(clusters);
        access = access == null ? AccessSpec.PRIVATE : access;
        failover = failover == null ? Defaults.FAILOVER : failover;
        compliance = compliance == null ? Defaults.COMPLIANCE : compliance;
    }

    public Deployment(int formatVersion, String group, String key, String platform, String baseDirectory, int postgresVersion,
                      List<String> extensions, List<DeployedCluster> clusters, AccessSpec access, boolean synchronous, String failover,
                      String compliance) {
        this(formatVersion, group, key, platform, baseDirectory, postgresVersion, extensions, clusters, access, synchronous, failover,
                compliance, null);
    }

    public Deployment(int formatVersion, String group, String key, String platform, String baseDirectory, int postgresVersion,
                      List<String> extensions, List<DeployedCluster> clusters, AccessSpec access, boolean synchronous, String failover) {
        this(formatVersion, group, key, platform, baseDirectory, postgresVersion, extensions, clusters, access, synchronous, failover, null);
    }

    public Deployment(int formatVersion, String group, String key, String platform, String baseDirectory, int postgresVersion,
                      List<String> extensions, List<DeployedCluster> clusters, AccessSpec access, boolean synchronous) {
        this(formatVersion, group, key, platform, baseDirectory, postgresVersion, extensions, clusters, access, synchronous, null);
    }

    /** The same deployment with other clusters. */
    public Deployment withClusters(List<DeployedCluster> newClusters) {
        return new Deployment(formatVersion, group, key, platform, baseDirectory, postgresVersion, extensions, newClusters, access,
                synchronous, failover, compliance, backup);
    }

    /** An asynchronous deployment (records written before {@code synchronous} existed read as asynchronous). */
    public Deployment(int formatVersion, String group, String key, String platform, String baseDirectory, int postgresVersion,
                      List<String> extensions, List<DeployedCluster> clusters, AccessSpec access) {
        this(formatVersion, group, key, platform, baseDirectory, postgresVersion, extensions, clusters, access, false, null);
    }

    @JsonIgnore
    public List<DeployedNode> nodes() {
        return clusters.stream().flatMap(c -> c.nodes().stream()).toList();
    }

    /** The primary cluster: the one the others replicate from (the first, for records written before the flag). */
    @JsonIgnore
    public DeployedCluster primaryCluster() {
        return clusters.stream().filter(DeployedCluster::primaryCluster).findFirst().orElse(clusters.get(0));
    }

    @JsonIgnore
    public List<DeployedNode> etcdMembers() {
        return nodes().stream().filter(DeployedNode::etcdMember).toList();
    }

    public Optional<DeployedNode> node(String name) {
        return nodes().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    public Optional<DeployedCluster> cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public DeployedCluster clusterOf(DeployedNode node) {
        return clusters.stream().filter(c -> c.nodes().contains(node)).findFirst().orElseThrow();
    }
}
