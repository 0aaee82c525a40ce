package io.tpa.operation.connect;

import io.tpa.component.PatroniApi;
import io.tpa.error.UserError;
import io.tpa.model.Catalog;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Roles;
import io.tpa.operation.GroupAccess;
import io.tpa.operation.GroupHealth;
import io.tpa.workspace.GroupDirectory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** How applications and people connect to a group: libpq URIs and psql on the right node. */
public final class Connect {
    public enum Role { PRIMARY, REPLICA, ANY }

    private Connect() {
    }

    /**
     * A libpq URI listing every node of the primary cluster; libpq picks the node with the role asked
     * for, so the URI keeps working after a failover.
     */
    public static String uri(Path directory, Role role, boolean withPassword) {
        return uri(directory, role, Roles.SUPERUSER, withPassword);
    }

    /**
     * @param login the role to log in as: the superuser (database postgres) or the application role (database app)
     */
    public static String uri(Path directory, Role role, String login, boolean withPassword) {
        if (!login.equals(Roles.SUPERUSER) && !login.equals(Roles.APPLICATION)) {
            throw new UserError("--user " + login + ": choose " + Roles.APPLICATION + " (applications) or " + Roles.SUPERUSER
                    + " (administration)");
        }
        Deployment deployment = GroupAccess.applied(directory);
        DeployedCluster cluster = deployment.clusters().get(0);
        String hosts = cluster.nodes().stream().map(n -> n.address() + ":" + Deployment.POSTGRES_PORT).collect(Collectors.joining(","));
        String user = login;
        if (withPassword) {
            String password = new GroupDirectory(directory).secrets().get(login);
            user += ":" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        }
        String database = login.equals(Roles.APPLICATION) ? Roles.APPLICATION_DATABASE : "postgres";
        String attributes = switch (role) {
            case PRIMARY -> "read-write";
            case REPLICA -> "prefer-standby";
            case ANY -> "any";
        };
        String caFile = new GroupDirectory(directory).caCertificateFile().toString();
        return "postgresql://" + user + "@" + hosts + "/" + database + "?target_session_attrs=" + attributes
                + "&sslmode=verify-full&sslrootcert=" + URLEncoder.encode(caFile, StandardCharsets.UTF_8) + "&connect_timeout=5";
    }

    /** The group's endpoints ({@code endpoints:}): read-write to the primary, read-only to the replicas. */
    public enum Endpoint { RW, RO }

    /**
     * A libpq URI listing the HAProxy endpoint of every node of the primary cluster: whichever node libpq reaches routes
     * to the primary (rw) or a replica (ro), directly or through that node's pgbouncer ({@code pooled}). The server that
     * answers is another node than the one named, so the URI verifies the certificate against the group's CA
     * ({@code sslmode=verify-ca}), not its name.
     *
     * @param login the role to log in as: the application role (database app), or the superuser (database postgres),
     *              which pgbouncer does not let in; null for the default: the superuser, the application role when pooled
     */
    public static String endpointUri(Path directory, Endpoint endpoint, boolean pooled, String login, boolean withPassword) {
        GroupDirectory group = new GroupDirectory(directory);
        io.tpa.model.LoadedSpec loaded = group.load();
        if (loaded.spec().endpoints() == null) {
            throw new UserError("--endpoint: group " + loaded.spec().name() + " has no endpoints; add `endpoints: {}` to "
                    + loaded.file() + " and run `tpa apply " + directory + "` (see docs/routing.md)");
        }
        String user = login == null ? (pooled ? Roles.APPLICATION : Roles.SUPERUSER) : login;
        if (!user.equals(Roles.SUPERUSER) && !user.equals(Roles.APPLICATION)) {
            throw new UserError("--user " + user + ": choose " + Roles.APPLICATION + " (applications) or " + Roles.SUPERUSER
                    + " (administration)");
        }
        if (pooled && user.equals(Roles.SUPERUSER)) {
            throw new UserError("--pooled --user " + user + ": pgbouncer lets no superuser in; use --user " + Roles.APPLICATION
                    + ", or leave out --pooled");
        }
        Deployment deployment = GroupAccess.applied(directory);
        int port = switch (endpoint) {
            case RW -> pooled ? io.tpa.model.EndpointsSpec.POOLED_READ_WRITE_PORT : io.tpa.model.EndpointsSpec.READ_WRITE_PORT;
            case RO -> pooled ? io.tpa.model.EndpointsSpec.POOLED_READ_ONLY_PORT : io.tpa.model.EndpointsSpec.READ_ONLY_PORT;
        };
        DeployedCluster cluster = deployment.clusters().get(0);
        String hosts = cluster.nodes().stream().map(n -> n.address() + ":" + port).collect(Collectors.joining(","));
        String credentials = user;
        if (withPassword) {
            credentials += ":" + URLEncoder.encode(group.secrets().get(user), StandardCharsets.UTF_8);
        }
        String database = user.equals(Roles.APPLICATION) ? Roles.APPLICATION_DATABASE : "postgres";
        return "postgresql://" + credentials + "@" + hosts + "/" + database + "?sslmode=verify-ca&sslrootcert="
                + URLEncoder.encode(group.caCertificateFile().toString(), StandardCharsets.UTF_8) + "&connect_timeout=5";
    }

    /** Runs psql on a node, attached to this terminal; returns psql's exit code. */
    public static int psql(Path directory, String nodeName, Role role, List<String> arguments) {
        GroupAccess access = GroupAccess.open(directory);
        Deployment deployment = access.deployment();
        DeployedNode node = nodeName != null ? deployment.node(nodeName).orElseThrow(() -> new UserError("--node " + nodeName
                + ": no such node in group " + deployment.group() + "; nodes: "
                + deployment.nodes().stream().map(DeployedNode::name).collect(Collectors.joining(", "))))
                : choose(access, role);
        List<String> argv = new ArrayList<>(List.of(psqlBinary(Catalog.load().postgres(deployment.postgresVersion()).binDir()),
                "-h", node.address(), "-p", Integer.toString(Deployment.POSTGRES_PORT), "-U", Roles.SUPERUSER, "-d", "postgres"));
        argv.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(argv).inheritIO();
        builder.environment().putAll(Map.of("PGPASSWORD", access.secrets().get(Roles.SUPERUSER), "PGAPPNAME", "tpa psql",
                "PGSSLMODE", "verify-full", "PGSSLROOTCERT", access.directory().caCertificateFile().toString()));
        try {
            return builder.start().waitFor();
        } catch (java.io.IOException e) {
            throw new UserError(UserError.FAILED, "cannot run psql: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /**
     * The psql of the group's major on this machine, else the newest one installed (a group on the ssh platform may run a
     * major this machine does not have; psql speaks to newer servers too), else psql from the PATH.
     */
    static String psqlBinary(String binDirectory) {
        Path own = Path.of(binDirectory, "psql");
        if (java.nio.file.Files.isExecutable(own)) {
            return own.toString();
        }
        try (java.util.stream.Stream<Path> majors = java.nio.file.Files.list(Path.of("/usr/lib/postgresql"))) {
            return majors.map(major -> major.resolve("bin/psql")).filter(java.nio.file.Files::isExecutable)
                    .max(java.util.Comparator.comparingInt(psql -> majorOf(psql.getParent().getParent().getFileName().toString())))
                    .map(Path::toString).orElse("psql");
        } catch (java.io.IOException e) {
            return "psql";
        }
    }

    private static int majorOf(String directoryName) {
        try {
            return Integer.parseInt(directoryName);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static DeployedNode choose(GroupAccess access, Role role) {
        DeployedCluster cluster = access.deployment().clusters().get(0);
        GroupHealth health = access.health();
        return cluster.nodes().stream()
                .filter(n -> health.member(n.name()).map(PatroniApi.MemberStatus::isRunning).orElse(false))
                .filter(n -> switch (role) {
                    case PRIMARY -> health.member(n.name()).orElseThrow().isPrimary();
                    case REPLICA -> !health.member(n.name()).orElseThrow().isPrimary();
                    case ANY -> true;
                })
                .findFirst()
                .orElseThrow(() -> new UserError(UserError.FAILED, "no running " + role.name().toLowerCase() + " in cluster "
                        + cluster.name() + "; see `tpa status`"));
    }
}
