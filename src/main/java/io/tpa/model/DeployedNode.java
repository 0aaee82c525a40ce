package io.tpa.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * A node as deployed.
 *
 * @param address    where its services listen (on the local platform a 127.x.y.z address of its own)
 * @param size       its resolved size
 * @param etcdMember true when it runs a member of the group's etcd cluster
 * @param parameters the PostgreSQL parameters computed for it (from its size, then the config's overrides)
 * @param promotable false when Patroni must never promote it
 * @param etcdJoin   for an etcd member, how it joined; null otherwise
 * @param ssh        on the ssh platform, how tpa logs in to the node's server (complete); null elsewhere
 * @param release    the release its server runs, as the version catalog names it ({@code debian-13}), read from the
 *                   server's /etc/os-release; records written before tpa read it say Debian 12, which every node ran
 * @param packages   the version installed of each catalog package on its server ({@code postgresql-17: 17.12-0+deb13u1}),
 *                   as last seen by apply or upgrade; null when not read
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record DeployedNode(
        String name,
        String cluster,
        String address,
        SizeSpec size,
        @JsonProperty("etcd_member") boolean etcdMember,
        Map<String, String> parameters,
        Boolean promotable,
        @JsonProperty("etcd_join") EtcdJoin etcdJoin,
        SshSpec ssh,
        String release,
        Map<String, String> packages) {

    /**
     * How an etcd member joined: the membership it started with and whether it founded the cluster
     * ("new") or joined a running one ("existing"). Kept for the member's life, so its service
     * definition never changes when other members come and go.
     */
    public record EtcdJoin(@JsonProperty("initial_cluster") String initialCluster, String state) {
    }

    public DeployedNode {
        parameters = Map.copyOf(parameters);
        promotable = promotable == null || promotable;
        release = release == null ? Catalog.DEFAULT_DISTRIBUTION : release;
        packages = packages == null ? null : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(packages));
    }

    /** The same node with the package versions its server has installed. */
    public DeployedNode withPackages(Map<String, String> installed) {
        return new DeployedNode(name, cluster, address, size, etcdMember, parameters, promotable, etcdJoin, ssh, release, installed);
    }

    public DeployedNode(String name, String cluster, String address, SizeSpec size, boolean etcdMember, Map<String, String> parameters,
                        Boolean promotable, EtcdJoin etcdJoin) {
        this(name, cluster, address, size, etcdMember, parameters, promotable, etcdJoin, null, null, null);
    }
}
