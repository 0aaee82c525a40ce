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

    @Option(names = "--user", defaultValue = "postgres", description = "app (applications: database app) or postgres "
            + "(administration; default: ${DEFAULT-VALUE}).")
    String user;

    @Override
    public void run() {
        String uri = Connect.uri(group.directory, role(role), user, showPassword);
        System.out.print(output.json ? Json.write(Map.of("uri", uri, "role", role)) : uri + "\n");
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
