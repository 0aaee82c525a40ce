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
        List<String> argv = new ArrayList<>(psql(deployment, node, Catalog.load()));
        argv.addAll(List.of("-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql));
        CommandResult result = host.check(new Command(argv, host.serviceUser(), Map.of("PGPASSWORD", superuserPassword),
                null, Duration.ofSeconds(60)));
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
