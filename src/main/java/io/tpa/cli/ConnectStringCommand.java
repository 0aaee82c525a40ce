package io.tpa.cli;

import io.tpa.error.UserError;
import io.tpa.model.Json;
import io.tpa.operation.connect.Connect;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "connect-string", mixinStandardHelpOptions = true, description = "Print a libpq URI for applications (no password unless --show-password).")
final class ConnectStringCommand implements Runnable {
    @Mixin
    GroupArgument group;

    @Mixin
    JsonOption output;

    @Option(names = "--role", defaultValue = "primary", description = "primary, replica or any (default: ${DEFAULT-VALUE}).")
    String role;

    @Option(names = "--show-password", description = "Put the password into the URI.")
    boolean showPassword;

    @Option(names = "--user", description = "app (applications: database app) or postgres "
            + "(administration; the default, but app with --pooled).")
    String user;

    @Option(names = "--endpoint", description = "rw or ro: the group's HAProxy endpoints (needs `endpoints:` in tpa.yml), "
            + "read-write to the primary or read-only to the replicas, on every node; instead of the nodes themselves.")
    String endpoint;

    @Option(names = "--pooled", description = "With --endpoint: through pgbouncer (ports 5002, 5003 instead of 5000, 5001).")
    boolean pooled;

    @Override
    public void run() {
        if (endpoint == null) {
            if (pooled) {
                throw new UserError("--pooled goes with --endpoint rw or ro; add one");
            }
            String uri = Connect.uri(group.directory, role(role), user == null ? "postgres" : user, showPassword);
            System.out.print(output.json ? Json.write(Map.of("uri", uri, "role", role)) : uri + "\n");
            return;
        }
        Connect.Endpoint chosen = switch (endpoint) {
            case "rw" -> Connect.Endpoint.RW;
            case "ro" -> Connect.Endpoint.RO;
            default -> throw new UserError("--endpoint " + endpoint + ": choose rw (read-write, the primary) or ro (read-only, the replicas)");
        };
        String uri = Connect.endpointUri(group.directory, chosen, pooled, user, showPassword);
        System.out.print(output.json ? Json.write(Map.of("uri", uri, "endpoint", endpoint, "pooled", pooled)) : uri + "\n");
    }

    static Connect.Role role(String role) {
        return switch (role) {
            case "primary" -> Connect.Role.PRIMARY;
            case "replica" -> Connect.Role.REPLICA;
            case "any" -> Connect.Role.ANY;
            default -> throw new UserError("--role " + role + ": choose primary, replica or any");
        };
    }
}
