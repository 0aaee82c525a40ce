package io.tpa.component;

import io.tpa.host.ServiceDefinition;
import io.tpa.model.Catalog;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Json;
import io.tpa.model.Roles;
import io.tpa.model.SecretNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Patroni runs PostgreSQL on every node: it bootstraps the primary, clones replicas, holds the
 * leader lock in etcd and fails over. tpa writes its configuration and talks to its REST API.
 */
public final class Patroni {
    /**
     * Patroni's HA cycle for a {@code failover} profile. A dead primary's leader lock expires after
     * {@code ttl} seconds; replicas look every {@code loopWait} seconds; Patroni requires
     * {@code loopWait + 2 * retryTimeout <= ttl}. Patroni 4 also refuses a ttl below 20 s and a retry_timeout below
     * 3 s (it raises them and logs so), which bounds a failover after a network cut by about 20 s there: its profiles
     * are their own (docs/reliability.md has the figures).
     */
    public record Timing(int ttl, int loopWait, int retryTimeout) {
        public static final Timing STANDARD = new Timing(15, 3, 5);
        public static final Timing FAST = new Timing(6, 1, 2);
        /** Patroni 4's defaults but a shorter loop: replicas notice a lost leader within 5 s of its lock expiring. */
        public static final Timing STANDARD_4 = new Timing(30, 5, 10);
        /** Patroni 4's floors: the shortest ttl and retry_timeout it accepts, and a loop every second. */
        public static final Timing FAST_4 = new Timing(20, 1, 3);

        /** The timing of a profile for a Patroni major version. */
        public static Timing of(String profile, int patroniMajor) {
            boolean fast = "fast".equals(profile);
            if (patroniMajor >= 4) {
                return fast ? FAST_4 : STANDARD_4;
            }
            return fast ? FAST : STANDARD;
        }

        /** The dynamic configuration keys, as Patroni names them. */
        public Map<String, Integer> settings() {
            Map<String, Integer> settings = new LinkedHashMap<>();
            settings.put("ttl", ttl);
            settings.put("loop_wait", loopWait);
            settings.put("retry_timeout", retryTimeout);
            return settings;
        }
    }

    /** The major version of the Patroni a node's release installs. */
    public static int major(Catalog catalog, DeployedNode node) {
        return Integer.parseInt(catalog.componentVersion(node.release(), "patroni").split("\\.")[0]);
    }

    /** The newest Patroni major among a cluster's nodes: Patroni 4's floors apply as soon as one node runs it. */
    private static int newestMajor(Catalog catalog, DeployedCluster cluster) {
        return cluster.nodes().stream().mapToInt(node -> major(catalog, node)).max().orElse(3);
    }

    /**
     * The dynamic configuration tpa sets for a cluster beyond its parameters: the failover timing and, for Patroni 4,
     * <ul>
     *   <li>{@code member_slots_ttl} 0: Patroni 4 keeps a removed member's replication slot for 30 min by default,
     *       holding WAL on the primary; tpa removes members on purpose, so their slots go with them, as with Patroni 3;</li>
     *   <li>{@code failsafe_mode}: when etcd loses its quorum, the primary stays primary as long as every other member
     *       answers it over the REST API (so none can have been promoted), instead of demoting itself and leaving the
     *       cluster read-only until etcd is back (docs/reliability.md). Patroni 3.0.2 demotes as before.</li>
     * </ul>
     */
    public static Map<String, Object> dynamicSettings(Deployment deployment, DeployedCluster cluster, Catalog catalog) {
        Map<String, Object> settings = new LinkedHashMap<>(Timing.of(deployment.failover(), newestMajor(catalog, cluster)).settings());
        if (newestMajor(catalog, cluster) >= 4) {
            settings.put("member_slots_ttl", 0);
            settings.put("failsafe_mode", true);
        }
        return settings;
    }

    /** The name of Patroni's custom bootstrap method for a node forked from another group. */
    public static final String FORK_BOOTSTRAP = "fork";

    private Patroni() {
    }

    /** Patroni's output (its own log lines, Python tracebacks), in the node's log directory; the service manager rotates it. */
    public static final String LOG_FILE = "patroni.log";

    /** Stops a node's Patroni, which shuts its PostgreSQL down, and waits until PostgreSQL has gone (no postmaster.pid). */
    public static void stopAndWait(io.tpa.host.ServiceManager services, io.tpa.host.Host host, Deployment deployment, DeployedNode node,
                                   java.time.Duration timeout) {
        String service = serviceName(node);
        services.stop(service);
        NodeLayout layout = NodeLayout.of(deployment.baseDirectory(), node.name());
        io.tpa.wait.Wait.until("for PostgreSQL on " + node.name() + " to shut down", timeout, () -> {
            io.tpa.host.ServiceState state = services.states().get(service);
            if (state != null && state.running()) {
                return service + " still runs";
            }
            return host.exists(layout.dataDirectory() + "/postmaster.pid") ? "postmaster.pid still exists" : null;
        });
    }

    public static String serviceName(DeployedNode node) {
        return "patroni-" + node.name();
    }

    public static ServiceDefinition service(Deployment deployment, DeployedNode node, String user, String home) {
        NodeLayout layout = NodeLayout.of(deployment.baseDirectory(), node.name());
        return new ServiceDefinition(serviceName(node), List.of("/usr/bin/patroni", layout.patroniConfig()), user,
                Map.of("HOME", home, "PGPASSFILE", layout.runDirectory() + "/pgpass"),
                layout.directory(), layout.logDirectory() + "/" + LOG_FILE, 200);
    }

    /**
     * Why a Patroni is stuck on an etcd API that etcd does not serve, from the lines it logged since it started; null
     * when it is not. Patroni reads etcd's cluster version once (with {@code use_proxies}) and picks its API prefix
     * from it: read while a new cluster still reports {@code 3.0.0}, that prefix is {@code /v3alpha}, which etcd 3.4
     * and later answer with 404, so it waits on etcd for good. Only a restart makes it read the version again.
     */
    public static String whyStuckOnEtcdApi(String logSinceStart) {
        if (!logSinceStart.contains("404 page not found")) {
            return null;
        }
        java.util.regex.Matcher detected = java.util.regex.Pattern.compile("Detected Etcd version (\\S+) is lower than")
                .matcher(logSinceStart);
        String version = null;
        while (detected.find()) {
            version = detected.group(1);
        }
        return "Patroni chose etcd's API for cluster version " + (version == null ? "an older etcd" : version)
                + ", read while the etcd cluster was still starting, and etcd answers 404 to it";
    }

    /** The namespace under which the group's clusters keep their keys in etcd. */
    public static String namespace(Deployment deployment) {
        return "/tpa/" + deployment.group() + "/";
    }

    /** The prefix of every key Patroni keeps for a cluster in etcd (leader, config, members, ...). */
    public static String clusterPrefix(Deployment deployment, DeployedCluster cluster) {
        return namespace(deployment) + cluster.scope() + "/";
    }

    /** The physical replication slot the primary cluster keeps for a standby cluster (slot names allow [a-z0-9_]). */
    public static String standbySlot(String clusterName) {
        return "standby_" + clusterName.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    /**
     * Patroni's {@code standby_cluster} for a standby cluster: its standby leader clones from and streams from
     * the primary cluster (every node, in config order: Patroni adds {@code target_session_attrs=read-write},
     * so it finds the primary after a failover there), through the slot the primary cluster keeps for it.
     * Empty for the primary cluster.
     */
    public static Map<String, Object> standbyCluster(Deployment deployment, DeployedCluster cluster) {
        if (cluster.primaryCluster()) {
            return Map.of();
        }
        DeployedCluster primary = deployment.clusters().stream().filter(DeployedCluster::primaryCluster).findFirst().orElseThrow();
        Map<String, Object> standby = new LinkedHashMap<>();
        standby.put("host", String.join(",", primary.nodes().stream().map(DeployedNode::address).toList()));
        standby.put("port", Deployment.POSTGRES_PORT);
        standby.put("primary_slot_name", standbySlot(cluster.name()));
        standby.put("create_replica_methods", List.of("basebackup"));
        return standby;
    }

    /** Patroni's permanent {@code slots} for the primary cluster: one physical slot per standby cluster. Empty for a standby cluster. */
    public static Map<String, Object> standbySlots(Deployment deployment, DeployedCluster cluster) {
        Map<String, Object> slots = new java.util.TreeMap<>();
        if (cluster.primaryCluster()) {
            deployment.clusters().stream().filter(c -> !c.primaryCluster())
                    .forEach(c -> slots.put(standbySlot(c.name()), Map.of("type", "physical")));
        }
        return slots;
    }

    /**
     * Patroni's configuration file for a node.
     *
     * @param passwords       by role name (see {@link Roles})
     * @param clientAddresses addresses applications and tools connect from (on the local platform, 127.0.0.1)
     */
    public static String config(Deployment deployment, DeployedNode node, Map<String, String> passwords,
                                List<String> clientAddresses, Catalog catalog) {
        return config(deployment, node, passwords, clientAddresses, catalog, false);
    }

    /**
     * Patroni's configuration file for a node; with {@code fromStagedData}, for a node whose first start bootstraps its
     * cluster from a data directory {@code tpa fork} staged ({@link NodeLayout#stagedDataDirectory()}) instead of initdb.
     *
     * <p>That bootstrap is Patroni's custom bootstrap method {@value #FORK_BOOTSTRAP}: its command moves the staged
     * directory into place; {@code recovery_conf} (a {@code restore_command} that finds nothing, so no standby.signal and
     * no primary_conninfo) makes PostgreSQL replay the WAL it has, end recovery and promote itself on a new timeline.
     * Until Patroni has set the group's own passwords on the superuser, replication and rewind roles (it does so once
     * recovery ends), a custom bootstrap lets only the superuser and replication role in without a password; Patroni and
     * its replication checks then connect through the node's Unix socket ({@code use_unix_socket},
     * {@code use_unix_socket_repl}), so that trust covers only the socket directory, which only the service user may
     * enter, and no TCP address. Afterwards Patroni puts the group's pg_hba back.
     */
    public static String config(Deployment deployment, DeployedNode node, Map<String, String> passwords,
                                List<String> clientAddresses, Catalog catalog, boolean fromStagedData) {
        return config(deployment, node, passwords, clientAddresses, catalog, fromStagedData, Map.of());
    }

    /**
     * Patroni's configuration file for a node; with {@code fromStagedData} and {@code stagedRecovery}, for a node whose staged
     * data {@code tpa restore} restored from a backup: its first start replays the source's archive with these recovery
     * settings (restore_command, recovery target) instead of ending recovery at once, and promotes at the target.
     */
    public static String config(Deployment deployment, DeployedNode node, Map<String, String> passwords,
                                List<String> clientAddresses, Catalog catalog, boolean fromStagedData, Map<String, String> stagedRecovery) {
        DeployedCluster cluster = deployment.cluster(node.cluster()).orElseThrow();
        NodeLayout layout = NodeLayout.of(deployment.baseDirectory(), node.name());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("scope", cluster.scope());
        root.put("namespace", namespace(deployment));
        root.put("name", node.name());
        root.put("log", Map.of("level", "INFO", "format", "%(asctime)s %(levelname)s: %(message)s"));
        String tls = layout.tlsDirectory();
        // The REST API speaks TLS only; its unsafe verbs (restart, reload, switchover, config) need the API password.
        root.put("restapi", Map.of(
                "listen", node.address() + ":" + Deployment.PATRONI_PORT,
                "connect_address", node.address() + ":" + Deployment.PATRONI_PORT,
                "certfile", tls + "/server.crt",
                "keyfile", tls + "/server.key",
                "cafile", tls + "/ca.crt",
                "authentication", Map.of("username", SecretNames.PATRONI_API_USER, "password", passwords.get(SecretNames.PATRONI_API))));
        root.put("ctl", Map.of("cacert", tls + "/ca.crt", "certfile", tls + "/server.crt", "keyfile", tls + "/server.key"));
        root.put("etcd3", Map.of(
                "hosts", etcdHosts(deployment, node),
                // Only these hosts: without it Patroni asks etcd for every member and finds its own again.
                "use_proxies", true,
                "protocol", "https",
                "cacert", tls + "/ca.crt",
                "cert", tls + "/server.crt",
                "key", tls + "/server.key"));

        Map<String, Object> dcs = new LinkedHashMap<>();
        // The HA cycle of the failover profile (see Timing), and what each Patroni version needs besides.
        dcs.putAll(dynamicSettings(deployment, cluster, catalog));
        dcs.put("maximum_lag_on_failover", 1048576);
        // synchronous: true: a commit returns once a synchronous replica has it, and Patroni promotes only that replica.
        dcs.put("synchronous_mode", deployment.synchronous());
        dcs.put("postgresql", Map.of(
                "use_pg_rewind", true,
                "use_slots", true,
                "parameters", cluster.parameters()));
        // A standby cluster's leader replicates from the primary cluster; the primary cluster keeps a slot for each.
        Map<String, Object> standby = standbyCluster(deployment, cluster);
        if (!standby.isEmpty()) {
            dcs.put("standby_cluster", standby);
        }
        Map<String, Object> slots = standbySlots(deployment, cluster);
        if (!slots.isEmpty()) {
            dcs.put("slots", slots);
        }
        Map<String, Object> bootstrap = new LinkedHashMap<>();
        bootstrap.put("dcs", dcs);
        bootstrap.put("initdb", List.of(Map.of("encoding", "UTF8"), Map.of("locale", "C.UTF-8"), "data-checksums"));
        if (fromStagedData) {
            bootstrap.put("method", FORK_BOOTSTRAP);
            bootstrap.put(FORK_BOOTSTRAP, Map.of(
                    "command", "/bin/mv -T " + shellQuoted(layout.stagedDataDirectory()) + " " + shellQuoted(layout.dataDirectory()),
                    "no_params", true,
                    "recovery_conf", stagedRecovery.isEmpty() ? Map.of("restore_command", "/bin/false") : stagedRecovery));
        }
        root.put("bootstrap", bootstrap);

        Map<String, Object> parameters = new LinkedHashMap<>(nodeParameters(deployment, node));

        Map<String, Object> postgresql = new LinkedHashMap<>();
        postgresql.put("listen", node.address() + ":" + Deployment.POSTGRES_PORT);
        postgresql.put("connect_address", node.address() + ":" + Deployment.POSTGRES_PORT);
        postgresql.put("data_dir", layout.dataDirectory());
        postgresql.put("bin_dir", catalog.postgres(deployment.postgresVersion()).binDir());
        postgresql.put("pgpass", layout.runDirectory() + "/pgpass");
        // Replicas and pg_rewind connect over TLS and verify the primary's certificate and address.
        Map<String, String> verify = Map.of("sslmode", "verify-full", "sslrootcert", tls + "/ca.crt");
        postgresql.put("authentication", Map.of(
                "superuser", Map.of("username", Roles.SUPERUSER, "password", passwords.get(Roles.SUPERUSER)),
                "replication", withAll(Map.of("username", Roles.REPLICATION, "password", passwords.get(Roles.REPLICATION)), verify),
                "rewind", withAll(Map.of("username", Roles.REWIND, "password", passwords.get(Roles.REWIND)), verify)));
        postgresql.put("parameters", parameters);
        postgresql.put("pg_hba", hba(deployment, clientAddresses));
        if (deployment.backup() != null) {
            // A new replica is restored from the newest backup when the repository holds one (so a big database is not
            // copied from the primary), then catches up from the archive and streams; else it copies the primary.
            postgresql.put("create_replica_methods", List.of(PgBackRest.REPLICA_METHOD, "basebackup"));
            postgresql.put(PgBackRest.REPLICA_METHOD, Map.of("command", PgBackRest.replicaCommand(deployment, node), "no_params", true));
        } else {
            postgresql.put("create_replica_methods", List.of("basebackup"));
        }
        postgresql.put("basebackup", List.of(Map.of("checkpoint", "fast")));
        if (deployment.backup() != null) {
            // A replica that streaming cannot serve any more catches up from the archive.
            postgresql.put("recovery_conf", Map.of("restore_command", PgBackRest.restoreCommand(deployment, node)));
        }
        if (fromStagedData) {
            postgresql.put("use_unix_socket", true);
            postgresql.put("use_unix_socket_repl", true);
        }
        root.put("postgresql", postgresql);
        root.put("tags", Map.of("nofailover", !node.promotable(), "noloadbalance", false, "clonefrom", false, "nosync", false));
        return "# Written by tpa from the group's tpa.yml; changes made here are overwritten.\n" + Json.writeYaml(root);
    }

    /**
     * The PostgreSQL parameters of a node's own configuration file: those computed for it (its size, the config's
     * overrides), then those tpa sets itself (its socket and log directories, TLS). With its cluster's parameters (in
     * the dynamic configuration), what the node should run; `tpa test` compares them with what it does run.
     */
    public static Map<String, String> nodeParameters(Deployment deployment, DeployedNode node) {
        NodeLayout layout = NodeLayout.of(deployment.baseDirectory(), node.name());
        String tls = layout.tlsDirectory();
        Map<String, String> parameters = new LinkedHashMap<>(node.parameters());
        parameters.put("unix_socket_directories", layout.runDirectory());
        parameters.put("log_directory", layout.logDirectory());
        parameters.put("ssl", "on");
        parameters.put("ssl_cert_file", tls + "/server.crt");
        parameters.put("ssl_key_file", tls + "/server.key");
        parameters.put("ssl_ca_file", tls + "/ca.crt");
        parameters.put("ssl_min_protocol_version", "TLSv1.2");
        if (deployment.backup() != null) {
            // Whichever node is primary archives every WAL segment to the group's pgBackRest repository.
            parameters.putIfAbsent("archive_timeout", PgBackRest.ARCHIVE_TIMEOUT);
            parameters.putAll(PgBackRest.archiveParameters(deployment, node));
        }
        return parameters;
    }

    /** A word for Patroni's command line (split as a POSIX shell would, never run by one). */
    private static String shellQuoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static Map<String, String> withAll(Map<String, String> first, Map<String, String> second) {
        Map<String, String> all = new LinkedHashMap<>(first);
        all.putAll(second);
        return all;
    }

    /**
     * The etcd members a node's Patroni talks to: every member but the node's own, when there are others.
     *
     * <p>Patroni 3.0.2 reads etcd with serializable (possibly stale) reads, and when it believes it holds the
     * leader lock it rewrites the lock without comparing it ({@code Etcd3._update_leader}). A primary whose network
     * is cut still reaches its own etcd member over loopback; that member, cut off from the quorum, keeps answering
     * with the state from before the cut, where this node holds the lock. Once the network is back, Patroni
     * took the lock back from the replica promoted meanwhile, and two timelines diverged (seen on test hosts:
     * docs/reliability.md). Without its own member, a cut-off node sees no etcd at all and demotes itself, and
     * reads after the cut come from members that stayed in the quorum. {@code use_proxies} keeps Patroni to this
     * list: otherwise it asks etcd for its members and adds its own back.
     */
    static List<String> etcdHosts(Deployment deployment, DeployedNode node) {
        List<DeployedNode> members = deployment.etcdMembers();
        List<DeployedNode> others = members.stream().filter(m -> !m.name().equals(node.name())).toList();
        return (others.isEmpty() ? members : others).stream().map(m -> m.address() + ":" + Deployment.ETCD_CLIENT_PORT).toList();
    }

    /**
     * Client authentication: scram-sha-256 on every line; over the network only through TLS
     * ({@code hostssl}) and only from the addresses that need access.
     */
    static List<String> hba(Deployment deployment, List<String> clientAddresses) {
        List<String> lines = new ArrayList<>();
        lines.add("local all all scram-sha-256");
        List<String> sources = new ArrayList<>(clientAddresses);
        deployment.nodes().forEach(n -> {
            if (!sources.contains(n.address())) {
                sources.add(n.address());
            }
        });
        for (String source : sources) {
            lines.add("hostssl replication " + Roles.REPLICATION + " " + source + (source.contains(":") ? "/128" : "/32") + " scram-sha-256");
        }
        for (String source : sources) {
            lines.add("hostssl all all " + source + "/32 scram-sha-256");
        }
        // Applications: only as the application role, only to its database, from the networks the config names.
        List<String> networks = new ArrayList<>(deployment.access().networks());
        if (deployment.access().open()) {
            networks.addAll(List.of("0.0.0.0/0", "::/0"));
        }
        for (String network : networks) {
            lines.add("hostssl " + Roles.APPLICATION_DATABASE + " " + Roles.APPLICATION + " " + network + " scram-sha-256");
        }
        return lines;
    }
}
