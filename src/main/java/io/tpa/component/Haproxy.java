package io.tpa.component;

import io.tpa.host.CommandResult;
import io.tpa.host.Host;
import io.tpa.host.ServiceDefinition;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.EndpointsSpec;
import java.util.List;
import java.util.Map;

/**
 * HAProxy on every node of a group with endpoints: it routes each client connection, as plain TCP (the client's TLS
 * goes through to PostgreSQL or pgbouncer), to a node of the primary cluster chosen by Patroni's REST API.
 * <ul>
 *   <li>{@value EndpointsSpec#READ_WRITE_PORT}: the node whose Patroni answers 200 to {@code GET /primary};</li>
 *   <li>{@value EndpointsSpec#READ_ONLY_PORT}: the nodes answering 200 to {@code GET /replica?lag=N} (running
 *       replicas at most N bytes behind), in turn; the primary as a backup while none does;</li>
 *   <li>{@value EndpointsSpec#POOLED_READ_WRITE_PORT} and {@value EndpointsSpec#POOLED_READ_ONLY_PORT}: the same
 *       choices, to the chosen node's pgbouncer.</li>
 * </ul>
 * Patroni is asked every second over TLS, its certificate verified against the group's CA; a node whose answer
 * changes is out after two failed checks, and the connections it had are closed, so that clients of a demoted
 * primary reconnect to the new one. HAProxy runs as master and workers: on a reload (SIGUSR2 to the master) new
 * workers take over the listening sockets and the old ones keep their connections until the clients close them.
 */
public final class Haproxy {
    /** How often HAProxy asks Patroni, in milliseconds. */
    static final int CHECK_INTERVAL_MS = 1000;

    /** Its log file in the node's log directory (its standard output and error). */
    public static final String LOG_FILE = "haproxy.log";

    private Haproxy() {
    }

    public static String serviceName(DeployedNode node) {
        return "haproxy-" + node.name();
    }

    public static String directory(Deployment deployment, DeployedNode node) {
        return NodeLayout.of(deployment.baseDirectory(), node.name()).directory() + "/haproxy";
    }

    public static String configFile(Deployment deployment, DeployedNode node) {
        return directory(deployment, node) + "/haproxy.cfg";
    }

    /** Master-worker mode ({@code -W}) in the foreground ({@code -db}), as a service manager runs it. */
    public static ServiceDefinition service(Deployment deployment, DeployedNode node, String user) {
        NodeLayout layout = NodeLayout.of(deployment.baseDirectory(), node.name());
        return new ServiceDefinition(serviceName(node), List.of("/usr/sbin/haproxy", "-W", "-db", "-f", configFile(deployment, node)),
                user, Map.of(), directory(deployment, node), layout.logDirectory() + "/" + LOG_FILE, 310);
    }

    /** Asks HAProxy's admin socket for its servers' state and writes it, atomically, where the next process reads it. */
    private static final String SAVE_STATE = String.join("\n",
            "import os, socket, sys",
            "directory = sys.argv[1]",
            "s = socket.socket(socket.AF_UNIX)",
            "s.settimeout(10)",
            "s.connect(directory + '/haproxy.sock')",
            "s.sendall(b'show servers state\\n')",
            "chunks = []",
            "while True:",
            "    chunk = s.recv(65536)",
            "    if not chunk:",
            "        break",
            "    chunks.append(chunk)",
            "with open(directory + '/haproxy.state.new', 'wb') as f:",
            "    f.write(b''.join(chunks))",
            "os.replace(directory + '/haproxy.state.new', directory + '/haproxy.state')",
            "");

    /**
     * Saves what HAProxy knows of every server (up or down, from Patroni's answers) where the next HAProxy process reads
     * it when it starts ({@code server-state-file}). Run before a reload: a new worker would otherwise take every server
     * as up until its first check, and could send a client of the read-write port to a replica. It asks the admin socket
     * with Python, which every node has for Patroni.
     */
    public static io.tpa.host.Command saveState(Deployment deployment, DeployedNode node) {
        return io.tpa.host.Command.of("python3", "-c", SAVE_STATE, directory(deployment, node)).withTimeout(java.time.Duration.ofSeconds(20));
    }

    /** haproxy.cfg of a node: the four routes over the primary cluster's nodes. */
    public static String config(Deployment deployment, DeployedNode node, EndpointsSpec endpoints) {
        String tls = NodeLayout.of(deployment.baseDirectory(), node.name()).tlsDirectory();
        DeployedCluster cluster = deployment.primaryCluster();
        List<DeployedNode> nodes = cluster.nodes();
        StringBuilder config = new StringBuilder();
        config.append("""
                # Written by tpa from the group's tpa.yml (endpoints); changes made here are overwritten.
                global
                    log stdout format raw local0 info
                    maxconn %1$d
                    stats socket %2$s/haproxy.sock mode 600 level admin expose-fd listeners
                    server-state-file %2$s/haproxy.state
                    ssl-default-server-options ssl-min-ver TLSv1.2

                defaults
                    mode tcp
                    log global
                    option tcplog
                    option dontlognull
                    timeout connect 5s
                    timeout client 1h
                    timeout server 1h
                    timeout check 3s
                    retries 2
                    load-server-state-from-file global
                    default-server inter %3$dms fastinter %3$dms downinter %3$dms fall 2 rise 1 on-marked-down shutdown-sessions
                """.formatted(4 * endpoints.maxClients() + 100, directory(deployment, node), CHECK_INTERVAL_MS));
        String check = "check check-ssl port " + Deployment.PATRONI_PORT + " verify required ca-file " + tls + "/ca.crt";
        // The direct routes ask Patroni; the pooled ones follow their answers (track), to the same node's pgbouncer.
        config.append(route("rw", node, EndpointsSpec.READ_WRITE_PORT, endpoints, "/primary"));
        for (DeployedNode server : nodes) {
            config.append("    server ").append(server.name()).append(' ').append(server.address()).append(':')
                    .append(Deployment.POSTGRES_PORT).append(' ').append(check).append(" verifyhost ").append(server.name()).append('\n');
        }
        config.append(route("ro", node, EndpointsSpec.READ_ONLY_PORT, endpoints, "/replica?lag=" + endpoints.maxReplicaLagBytes()));
        for (DeployedNode server : nodes) {
            config.append("    server ").append(server.name()).append(' ').append(server.address()).append(':')
                    .append(Deployment.POSTGRES_PORT).append(' ').append(check).append(" verifyhost ").append(server.name()).append('\n');
        }
        for (DeployedNode server : nodes) {
            config.append("    server ").append(server.name()).append("-primary ").append(server.address()).append(':')
                    .append(Deployment.POSTGRES_PORT).append(" backup track rw/").append(server.name()).append('\n');
        }
        config.append(route("rw-pooled", node, EndpointsSpec.POOLED_READ_WRITE_PORT, endpoints, null));
        for (DeployedNode server : nodes) {
            config.append("    server ").append(server.name()).append(' ').append(server.address()).append(':')
                    .append(EndpointsSpec.PGBOUNCER_PORT).append(" track rw/").append(server.name()).append('\n');
        }
        config.append(route("ro-pooled", node, EndpointsSpec.POOLED_READ_ONLY_PORT, endpoints, null));
        for (DeployedNode server : nodes) {
            config.append("    server ").append(server.name()).append(' ').append(server.address()).append(':')
                    .append(EndpointsSpec.PGBOUNCER_PORT).append(" track ro/").append(server.name()).append('\n');
        }
        for (DeployedNode server : nodes) {
            config.append("    server ").append(server.name()).append("-primary ").append(server.address()).append(':')
                    .append(EndpointsSpec.PGBOUNCER_PORT).append(" backup track rw/").append(server.name()).append('\n');
        }
        return config.toString();
    }

    private static String route(String name, DeployedNode node, int port, EndpointsSpec endpoints, String patroniPath) {
        StringBuilder route = new StringBuilder("\nlisten ").append(name).append('\n')
                .append("    bind ").append(node.address()).append(':').append(port).append('\n')
                .append("    maxconn ").append(endpoints.maxClients()).append('\n')
                .append("    balance roundrobin\n");
        if (patroniPath != null) {
            route.append("    option httpchk\n")
                    .append("    http-check send meth GET uri ").append(patroniPath).append('\n')
                    .append("    http-check expect status 200\n");
        }
        return route.toString();
    }

    /**
     * Null when the node's read-write endpoint reaches a primary and its read-only endpoint answers, else why not.
     * It logs in as the monitoring role, with psql on the node's own host.
     */
    public static String whyUnhealthy(Host host, Deployment deployment, DeployedNode node, String monitorPassword) {
        String rw = whyNoAnswer(host, deployment, node, EndpointsSpec.READ_WRITE_PORT, "verify-ca", monitorPassword,
                "SELECT pg_is_in_recovery()", "f");
        if (rw != null) {
            return rw;
        }
        return whyNoAnswer(host, deployment, node, EndpointsSpec.READ_ONLY_PORT, "verify-ca", monitorPassword, "SELECT 1", "1");
    }

    /** Null when the query through an endpoint of the node answers {@code expected}, else why not. */
    static String whyNoAnswer(Host host, Deployment deployment, DeployedNode node, int port, String sslmode, String password,
                              String sql, String expected) {
        CommandResult result = Pgbouncer.psql(host, deployment, node, port, sslmode, password, sql);
        if (!result.ok()) {
            return node.name() + ":" + port + " does not answer (" + result.lastErrorLine() + ")";
        }
        String answer = result.stdout().strip();
        return answer.equals(expected) ? null : node.name() + ":" + port + " answered " + answer + " to " + sql + ", not " + expected;
    }
}
