package io.tpa.component;

import io.tpa.host.Command;
import io.tpa.host.CommandResult;
import io.tpa.host.Host;
import io.tpa.model.Catalog;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Roles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** PostgreSQL itself: SQL run with psql on the node's own host, through its Unix socket. */
public final class Postgres {
    private Postgres() {
    }

    /** Runs SQL as the superuser on a node and returns the rows, fields separated by '|'. */
    public static List<String> query(Host host, Deployment deployment, DeployedNode node, String superuserPassword, String sql) {
        return query(host, deployment, node, superuserPassword, "postgres", sql);
    }

    /**
     * Runs SQL (one statement or a script, stopping at the first error) as the superuser in a database
     * of a node and returns the rows, fields separated by '|'. The SQL goes to psql's standard input,
     * never into its arguments, where any user could read it with ps; a failure reports PostgreSQL's
     * error, never the SQL.
     */
    public static List<String> query(Host host, Deployment deployment, DeployedNode node, String superuserPassword,
                                     String database, String sql) {
        List<String> argv = new ArrayList<>(psql(deployment, node, Catalog.load()));
        argv.set(argv.indexOf("-d") + 1, database);
        argv.addAll(List.of("-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-f", "-"));
        Command command = new Command(argv, host.serviceUser(), Map.of("PGPASSWORD", superuserPassword), sql, Duration.ofSeconds(60));
        CommandResult result = host.run(command);
        if (!result.ok()) {
            String error = result.stderr().lines().filter(line -> line.contains("ERROR:") || line.contains("FATAL:")).findFirst()
                    .orElse(result.lastErrorLine());
            throw new ComponentException(host.name() + ": psql in database " + database + " on " + node.name() + " failed (exit "
                    + result.exitCode() + "): " + error.replaceAll("SCRAM-SHA-256\\$\\S*", "[a password verifier]"));
        }
        return result.stdout().lines().filter(line -> !line.isEmpty()).toList();
    }

    /** psql pointed at a node's socket as the superuser (the password goes in the environment). */
    public static List<String> psql(Deployment deployment, DeployedNode node, Catalog catalog) {
        NodeLayout layout = NodeLayout.of(deployment.baseDirectory(), node.name());
        return List.of(catalog.postgres(deployment.postgresVersion()).binDir() + "/psql",
                "-h", layout.runDirectory(), "-p", Integer.toString(Deployment.POSTGRES_PORT), "-U", Roles.SUPERUSER, "-d", "postgres");
    }

    public static String quoteIdentifier(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
