package io.tpa.component;

import io.tpa.host.ServiceDefinition;
import io.tpa.model.BackupSpec;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Roles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A group's backup server ({@code backup.repository.type: server}): a server of its own that holds the repository and runs
 * pgBackRest's TLS server ({@code pgbackrest server}, port {@value #PORT}). The nodes push and fetch WAL and restore through
 * it; backups, the stanza and the scheduler run on it and reach each node's PostgreSQL through that node's own pgBackRest
 * TLS server. Both sides prove who they are with certificates from the group's CA: the nodes with their node certificates
 * (their names are the common names the backup server accepts), the backup server with one named {@link #commonName}.
 * pgBackRest's TLS server works with its client's repository options (path, passphrase), so the nodes' configurations name
 * them as the backup server's does.
 */
public final class BackupServer {
    public static final int PORT = 8432;
    /** The pgBackRest TLS server on the backup server. */
    public static final String SERVICE = "pgbackrest-server";
    public static final String LOG_FILE = "pgbackrest-server.log";

    private BackupServer() {
    }

    /**
     * The common name of the backup server's certificate, which the nodes' TLS servers accept: it has a dot, which no node's
     * name can, so no node passes for the backup server.
     */
    public static String commonName(Deployment deployment) {
        return "backup." + deployment.group();
    }

    /** The backup server's files (configuration, certificates, scheduler): the group's directory there. */
    public static String directory(Deployment deployment) {
        return BackupScheduler.directory(deployment);
    }

    public static String tlsDirectory(Deployment deployment) {
        return directory(deployment) + "/tls";
    }

    /**
     * The backup server's pgBackRest configuration ({@link BackupScheduler#pgbackrestConfig}: it holds the repository's
     * passphrase, 0600, the service user's).
     */
    public static String configFile(Deployment deployment) {
        return BackupScheduler.pgbackrestConfigFile(deployment);
    }

    /** The pgBackRest TLS server of the backup server, as the service user. */
    public static ServiceDefinition service(Deployment deployment, String user) {
        return new ServiceDefinition(SERVICE, List.of(PgBackRest.BINARY, "--config=" + configFile(deployment), "server"), user, Map.of(),
                directory(deployment), directory(deployment) + "/" + LOG_FILE, 50);
    }

    /**
     * What the backup server's configuration ({@link BackupScheduler#pgbackrestConfig}) says beyond the repository: its TLS
     * server, which accepts every node of the group.
     */
    static Map<String, Object> serverOptions(Deployment deployment) {
        String tls = tlsDirectory(deployment);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("tls-server-address", deployment.backup().repository().host());
        options.put("tls-server-port", Integer.toString(PORT));
        options.put("tls-server-ca-file", tls + "/ca.crt");
        options.put("tls-server-cert-file", tls + "/server.crt");
        options.put("tls-server-key-file", tls + "/server.key");
        // One line per node: a line authorizes one client name (for a list of stanzas).
        options.put("tls-server-auth", deployment.nodes().stream().map(node -> node.name() + "=" + PgBackRest.stanza(deployment)).toList());
        return options;
    }

    /** How the backup server reaches a node (pg1, pg2... by {@code prefix}): through the node's TLS server, with its own certificate. */
    static Map<String, String> nodeHostOptions(Deployment deployment, DeployedNode node, String prefix) {
        String tls = tlsDirectory(deployment);
        Map<String, String> options = new LinkedHashMap<>();
        options.put(prefix + "host", node.address());
        options.put(prefix + "host-type", "tls");
        options.put(prefix + "host-port", Integer.toString(PORT));
        options.put(prefix + "host-ca-file", tls + "/ca.crt");
        options.put(prefix + "host-cert-file", tls + "/server.crt");
        options.put(prefix + "host-key-file", tls + "/server.key");
        return options;
    }

    /**
     * What a node's configuration says beyond its own PostgreSQL when the repository is on a backup server: the repository is
     * there (reached with the node's certificate), and the node's own TLS server accepts the backup server alone.
     */
    public static Map<String, String> nodeOptions(Deployment deployment, DeployedNode node, Map<String, String> secrets) {
        String tls = NodeLayout.of(deployment.baseDirectory(), node.name()).tlsDirectory();
        Map<String, String> options = repositoryOptions(deployment.backup(), secrets, tls);
        options.put("tls-server-address", node.address());
        options.put("tls-server-port", Integer.toString(PORT));
        options.put("tls-server-ca-file", tls + "/ca.crt");
        options.put("tls-server-cert-file", tls + "/server.crt");
        options.put("tls-server-key-file", tls + "/server.key");
        options.put("tls-server-auth", commonName(deployment) + "=" + PgBackRest.stanza(deployment));
        return options;
    }

    /** The options that reach the repository on the backup server, with the certificate in this directory of a node. */
    public static Map<String, String> repositoryOptions(BackupSpec backup, Map<String, String> secrets, String tlsDirectory) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("repo1-host", backup.repository().host());
        options.put("repo1-host-type", "tls");
        options.put("repo1-host-port", Integer.toString(PORT));
        options.put("repo1-host-ca-file", tlsDirectory + "/ca.crt");
        options.put("repo1-host-cert-file", tlsDirectory + "/server.crt");
        options.put("repo1-host-key-file", tlsDirectory + "/server.key");
        // pgBackRest's TLS server works with the client's repository options, not its own: the path (on the server), the
        // retention and the passphrase, as the server's configuration has them.
        options.putAll(PgBackRest.repository(backup, secrets));
        return options;
    }

    /** A node's pgBackRest TLS server, through which the backup server reaches the node's PostgreSQL. */
    public static String nodeServiceName(DeployedNode node) {
        return "pgbackrest-" + node.name();
    }

    /** The superuser's password for the node's TLS server, whose workers connect to PostgreSQL (a libpq password file, 0600). */
    public static String nodePasswordFile(Deployment deployment, DeployedNode node) {
        return NodeLayout.of(deployment.baseDirectory(), node.name()).directory() + "/pgbackrest.pgpass";
    }

    public static ServiceDefinition nodeService(Deployment deployment, DeployedNode node, String user) {
        NodeLayout layout = NodeLayout.of(deployment.baseDirectory(), node.name());
        return new ServiceDefinition(nodeServiceName(node), List.of(PgBackRest.BINARY, "--config=" + PgBackRest.configFile(deployment, node),
                "server"), user, Map.of("PGPASSFILE", nodePasswordFile(deployment, node)), layout.directory(),
                layout.logDirectory() + "/" + LOG_FILE, 150);
    }

    /** True when the group's repository is on a backup server. */
    public static boolean used(Deployment deployment) {
        BackupSpec backup = deployment.backup();
        return backup != null && backup.repository().onServer();
    }

    /** The backup server's firewall: only the group's nodes reach its TLS server; every other port is left as it was. */
    public static String firewallRules(Deployment deployment) {
        java.util.Set<String> nodes = deployment.nodes().stream().map(DeployedNode::address).collect(Collectors.toSet());
        List<String> rules = new ArrayList<>();
        rules.add("iif \"lo\" accept");
        rules.addAll(HostPreparation.port(PORT, nodes));
        rules.add("tcp dport " + PORT + " drop");
        return HostPreparation.table(deployment, "its backup server, which only the group's nodes reach", rules);
    }
}
