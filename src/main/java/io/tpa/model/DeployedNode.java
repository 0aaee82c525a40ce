package io.tpa.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A node as deployed: its name, cluster and address, then one block per component that runs on it.
 *
 * @param address  where its services listen (on the local platform a 127.x.y.z address of its own)
 * @param server   the machine it runs on
 * @param postgres what tpa decided for its PostgreSQL
 * @param etcd     its part in the group's etcd cluster
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeployedNode(
        String name,
        String cluster,
        String address,
        Server server,
        Postgres postgres,
        Etcd etcd) {

    /**
     * The server a node runs on.
     *
     * @param release  the release it runs, as the version catalog names it ({@code debian-13}), read from the server's
     *                 /etc/os-release; records written before tpa read it say Debian 12, which every node ran
     * @param ssh      on the ssh platform, how tpa logs in to it (complete); null elsewhere
     * @param packages the version installed of each catalog package ({@code postgresql-17: 17.12-0+deb13u1}), as last
     *                 seen by apply or upgrade; null when not read
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Server(String release, SshSpec ssh, Map<String, String> packages) {
        public Server {
            release = release == null ? Catalog.DEFAULT_DISTRIBUTION : release;
            packages = packages == null ? null : Collections.unmodifiableMap(new TreeMap<>(packages));
        }
    }

    /**
     * A node's PostgreSQL.
     *
     * @param size       its resolved size
     * @param parameters the PostgreSQL parameters computed for it (from its size, then the config's overrides)
     * @param promotable false when Patroni must never promote it
     */
    public record Postgres(SizeSpec size, Map<String, String> parameters, Boolean promotable) {
        public Postgres {
            parameters = Map.copyOf(parameters);
            promotable = promotable == null || promotable;
        }
    }

    /**
     * A node's part in the group's etcd cluster.
     *
     * @param member true when it runs a member of the group's etcd cluster
     * @param join   for a member, how it joined; null otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Etcd(boolean member, EtcdJoin join) {
        /** A node that runs no etcd member. */
        public static final Etcd NONE = new Etcd(false, null);
    }

    /**
     * How an etcd member joined: the membership it started with and whether it founded the cluster
     * ("new") or joined a running one ("existing"). Kept for the member's life, so its service
     * definition never changes when other members come and go.
     */
    public record EtcdJoin(@JsonProperty("initial_cluster") String initialCluster, String state) {
    }

    public DeployedNode {
        server = server == null ? new Server(null, null, null) : server;
        Objects.requireNonNull(postgres, "postgres");
        etcd = etcd == null ? Etcd.NONE : etcd;
    }

    /** A node on a server of the default release, without ssh or package versions. */
    public DeployedNode(String name, String cluster, String address, SizeSpec size, boolean etcdMember, Map<String, String> parameters,
                        Boolean promotable, EtcdJoin etcdJoin) {
        this(name, cluster, address, null, new Postgres(size, parameters, promotable), new Etcd(etcdMember, etcdJoin));
    }

    /** The same node with the package versions its server has installed. */
    public DeployedNode withPackages(Map<String, String> installed) {
        return new DeployedNode(name, cluster, address, new Server(server.release(), server.ssh(), installed), postgres, etcd);
    }

    /** The same node with another etcd block. */
    public DeployedNode withEtcd(Etcd value) {
        return new DeployedNode(name, cluster, address, server, postgres, value);
    }

    @JsonIgnore
    public SizeSpec size() {
        return postgres.size();
    }

    @JsonIgnore
    public Map<String, String> parameters() {
        return postgres.parameters();
    }

    @JsonIgnore
    public boolean promotable() {
        return postgres.promotable();
    }

    @JsonIgnore
    public boolean etcdMember() {
        return etcd.member();
    }

    @JsonIgnore
    public EtcdJoin etcdJoin() {
        return etcd.join();
    }

    @JsonIgnore
    public SshSpec ssh() {
        return server.ssh();
    }

    @JsonIgnore
    public String release() {
        return server.release();
    }

    @JsonIgnore
    public Map<String, String> packages() {
        return server.packages();
    }
}
