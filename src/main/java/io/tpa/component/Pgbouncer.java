package io.tpa.component;

import io.tpa.host.Command;
import io.tpa.host.CommandResult;
import io.tpa.host.Host;
import io.tpa.host.ServiceDefinition;
import io.tpa.model.Catalog;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.EndpointsSpec;
import io.tpa.model.Roles;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * pgbouncer on every node of a group with endpoints: it pools client connections to the node's own PostgreSQL.
 *
 * <p>Users are looked up with {@code auth_query}: pgbouncer logs in as {@value #LOOKUP_ROLE} (LOGIN and nothing else;
 * its password is one of the group's secrets and the only one in pgbouncer's auth file) and calls
 * {@code tpa_pgbouncer.lookup(name)}, a SECURITY DEFINER function that returns the name and SCRAM verifier of a role
 * that is neither a superuser nor a replication role. A client authenticates with SCRAM against that verifier, and
 * pgbouncer logs in to PostgreSQL with the keys the client proved it has: pgbouncer never holds a user's password.
 * TLS on both sides: clients get the node's certificate, PostgreSQL's is verified against the group's CA.
 */
public final class Pgbouncer {
    /** The role pgbouncer looks users up as. */
    public static final String LOOKUP_ROLE = "tpa_pgbouncer";
    /** The schema of the lookup function, owned by the superuser, usable only by {@value #LOOKUP_ROLE}. */
    public static final String LOOKUP_SCHEMA = "tpa_pgbouncer";
    /**
     * The databases that get the lookup function: pgbouncer runs {@code auth_query} in the database the client asks for,
     * and template1 passes it on to every database created later.
     */
    public static final List<String> LOOKUP_DATABASES = List.of("postgres", Roles.APPLICATION_DATABASE, "template1");

    /** Its log file in the node's log directory (its standard output and error). */
    public static final String LOG_FILE = "pgbouncer.log";

    private Pgbouncer() {
    }

    public static String serviceName(DeployedNode node) {
        return "pgbouncer-" + node.name();
    }

    /** pgbouncer's files on a node: its configuration, auth file, pid file and socket. */
    public static String directory(Deployment deployment, DeployedNode node) {
        return NodeLayout.of(deployment.baseDirectory(), node.name()).directory() + "/pgbouncer";
    }

    public static String configFile(Deployment deployment, DeployedNode node) {
        return directory(deployment, node) + "/pgbouncer.ini";
    }

    public static String authFile(Deployment deployment, DeployedNode node) {
        return directory(deployment, node) + "/userlist.txt";
    }

    public static ServiceDefinition service(Deployment deployment, DeployedNode node, String user) {
        NodeLayout layout = NodeLayout.of(deployment.baseDirectory(), node.name());
        return new ServiceDefinition(serviceName(node), List.of("/usr/sbin/pgbouncer", configFile(deployment, node)), user,
                Map.of(), directory(deployment, node), layout.logDirectory() + "/" + LOG_FILE, 300);
    }

    /** The auth file: only the lookup role, with its password (pgbouncer needs it in clear to log in as it). */
    public static String authFileContent(String lookupPassword) {
        return "\"" + LOOKUP_ROLE + "\" \"" + lookupPassword.replace("\"", "\"\"") + "\"\n";
    }

    /** pgbouncer.ini of a node. Every setting here takes effect on a reload (SIGHUP); none needs a restart. */
    public static String config(Deployment deployment, DeployedNode node, EndpointsSpec endpoints) {
        String tls = NodeLayout.of(deployment.baseDirectory(), node.name()).tlsDirectory();
        String directory = directory(deployment, node);
        return """
                ;; Written by tpa from the group's tpa.yml (endpoints); changes made here are overwritten.
                [databases]
                * = host=%1$s port=%2$d

                [pgbouncer]
                listen_addr = %1$s
                listen_port = %3$d
                unix_socket_dir = %4$s
                pidfile = %4$s/pgbouncer.pid
                auth_type = scram-sha-256
                auth_file = %5$s
                auth_user = %6$s
                auth_query = SELECT usename, passwd FROM %7$s.lookup($1)
                pool_mode = %8$s
                default_pool_size = %9$d
                max_client_conn = %10$d
                ignore_startup_parameters = extra_float_digits,options
                application_name_add_host = 1
                client_tls_sslmode = require
                client_tls_protocols = secure
                client_tls_cert_file = %11$s/server.crt
                client_tls_key_file = %11$s/server.key
                client_tls_ca_file = %11$s/ca.crt
                server_tls_sslmode = verify-full
                server_tls_protocols = secure
                server_tls_ca_file = %11$s/ca.crt
                log_connections = 0
                log_disconnections = 0
                """.formatted(node.address(), Deployment.POSTGRES_PORT, EndpointsSpec.PGBOUNCER_PORT, directory,
                authFile(deployment, node), LOOKUP_ROLE, LOOKUP_SCHEMA, endpoints.poolMode(), endpoints.poolSize(),
                endpoints.maxClients(), tls);
    }

    /**
     * The lookup function in one database, created or replaced with exactly these privileges: the schema and function
     * belong to the superuser, PUBLIC may use neither, {@value #LOOKUP_ROLE} may only call it. It runs as its owner with
     * a fixed search_path, so nobody can slip in objects of their own.
     */
    public static String lookupSql() {
        return """
                CREATE SCHEMA IF NOT EXISTS %1$s AUTHORIZATION %3$s;
                REVOKE ALL ON SCHEMA %1$s FROM PUBLIC;
                GRANT USAGE ON SCHEMA %1$s TO %2$s;
                CREATE OR REPLACE FUNCTION %1$s.lookup(user_name text, OUT usename name, OUT passwd text) RETURNS record
                    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
                    AS $$ SELECT s.usename, s.passwd FROM pg_catalog.pg_shadow s
                          WHERE s.usename = user_name AND NOT s.usesuper AND NOT s.userepl $$;
                ALTER FUNCTION %1$s.lookup(text) OWNER TO %3$s;
                REVOKE ALL ON FUNCTION %1$s.lookup(text) FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION %1$s.lookup(text) TO %2$s;
                """.formatted(Postgres.quoteIdentifier(LOOKUP_SCHEMA), Postgres.quoteIdentifier(LOOKUP_ROLE),
                Postgres.quoteIdentifier(Roles.SUPERUSER));
    }

    /** Removes the lookup function and its schema from one database. */
    public static String dropLookupSql() {
        return "DROP SCHEMA IF EXISTS " + Postgres.quoteIdentifier(LOOKUP_SCHEMA) + " CASCADE;";
    }

    /**
     * Null when a client gets through the node's pgbouncer to its PostgreSQL (TLS, auth_query, a server login), else why
     * not. It logs in as the monitoring role, with psql on the node's own host.
     */
    public static String whyUnhealthy(Host host, Deployment deployment, DeployedNode node, String monitorPassword) {
        return Haproxy.whyNoAnswer(host, deployment, node, EndpointsSpec.PGBOUNCER_PORT, "verify-full", monitorPassword, "SELECT 1", "1");
    }

    /** psql to an endpoint of a node, as the monitoring role; the answer, or null with the reason in {@code failure}. */
    static CommandResult psql(Host host, Deployment deployment, DeployedNode node, int port, String sslmode, String password, String sql) {
        String tls = NodeLayout.of(deployment.baseDirectory(), node.name()).tlsDirectory();
        String conninfo = "host=" + node.address() + " port=" + port + " dbname=postgres user=" + Roles.MONITOR + " sslmode=" + sslmode
                + " sslrootcert=" + tls + "/ca.crt connect_timeout=3 application_name=tpa-health";
        List<String> argv = List.of(Catalog.load().postgres(deployment.postgresVersion()).binDir() + "/psql", "-X", "-A", "-t", "-d", conninfo,
                "-c", sql);
        return host.run(new Command(argv, host.serviceUser(), Map.of("PGPASSWORD", password), null, Duration.ofSeconds(15)));
    }
}
