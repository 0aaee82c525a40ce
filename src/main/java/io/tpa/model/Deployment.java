package io.tpa.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Optional;

/**
 * The resolved deployment: what tpa built from the config, with everything the config leaves
 * open decided (addresses, sizes, etcd members, computed parameters). Written as
 * {@code deployment.json} into the group directory. The {@code key} names the group on its platform
 * (addresses, base directory) and stays the same for the group's life; it is chosen at the first
 * apply from the name and the directory's path. It is written and committed after every successful apply,
 * so the git history of the directory is the history of the deployment.
 *
 * <p>The record holds one block per component: {@code postgres} and {@code patroni} for the group, {@code access},
 * {@code backup}, and the clusters with their nodes (each with its own {@code server}, {@code postgres} and
 * {@code etcd} blocks). {@link DeploymentRecord#read} reads records of every format; tpa writes the current one.
 *
 * @param backup backups with pgBackRest ({@code backup:} in the config), the repository path decided; null when the
 *               group keeps none
 */
@JsonPropertyOrder({"format_version", "group", "key", "platform", "base_directory", "postgres", "patroni", "access", "backup", "clusters"})
public record Deployment(
        @JsonProperty("format_version") int formatVersion,
        String group,
        String key,
        String platform,
        @JsonProperty("base_directory") String baseDirectory,
        Postgres postgres,
        Patroni patroni,
        AccessSpec access,
        BackupSpec backup,
        List<DeployedCluster> clusters) {

    /** The format tpa writes: 2 has one block per component; 1 was one wide record (read through {@link DeploymentRecord}). */
    public static final int FORMAT_VERSION = 2;
    public static final int POSTGRES_PORT = 5432;
    public static final int PATRONI_PORT = 8008;
    public static final int ETCD_CLIENT_PORT = 2379;
    public static final int ETCD_PEER_PORT = 2380;

    /**
     * The group's PostgreSQL.
     *
     * @param version    the major version every node runs
     * @param extensions the extensions created in every cluster (with {@code pgaudit} under {@code compliance: cis})
     * @param compliance the config's compliance policy, {@code none} or {@code cis}
     */
    public record Postgres(int version, List<String> extensions, String compliance) {
        public Postgres {
            extensions = List.copyOf(extensions);
            compliance = compliance == null ? Defaults.COMPLIANCE : compliance;
        }
    }

    /**
     * The group's Patroni.
     *
     * @param failover    its timing profile: {@code standard} or {@code fast}
     * @param synchronous its synchronous_mode: a commit returns once a synchronous replica has it too
     */
    public record Patroni(String failover, boolean synchronous) {
        public Patroni {
            failover = failover == null ? Defaults.FAILOVER : failover;
        }
    }

    public Deployment {
        java.util.Objects.requireNonNull(postgres, "postgres");
        patroni = patroni == null ? new Patroni(null, false) : patroni;
        access = access == null ? AccessSpec.PRIVATE : access;
        clusters = List.copyOf(clusters);
    }

    /** The same deployment with other clusters. */
    public Deployment withClusters(List<DeployedCluster> newClusters) {
        return new Deployment(formatVersion, group, key, platform, baseDirectory, postgres, patroni, access, backup, newClusters);
    }

    @JsonIgnore
    public int postgresVersion() {
        return postgres.version();
    }

    @JsonIgnore
    public List<String> extensions() {
        return postgres.extensions();
    }

    @JsonIgnore
    public String compliance() {
        return postgres.compliance();
    }

    @JsonIgnore
    public String failover() {
        return patroni.failover();
    }

    @JsonIgnore
    public boolean synchronous() {
        return patroni.synchronous();
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
