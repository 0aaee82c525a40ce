package io.tpa.operation;

import io.tpa.error.UserError;
import io.tpa.host.LocalPlatform;
import io.tpa.host.Platform;
import io.tpa.host.SshLogin;
import io.tpa.host.SshPlatform;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.GroupSpec;
import io.tpa.model.NodeSpec;
import io.tpa.model.SshSpec;
import io.tpa.workspace.GroupDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Builds the platform a group names, with what it needs to reach the group's hosts. */
public final class Platforms {
    /** The file, in the group directory, that holds the SSH host keys of the group's servers. */
    public static final String KNOWN_HOSTS = "known_hosts";

    private Platforms() {
    }

    /**
     * The platform of a config (defaults resolved), also able to reach the hosts of the previous deployment's nodes.
     *
     * @param trustNewHosts on the ssh platform, record the keys of servers not in known_hosts yet
     */
    public static Platform forGroup(GroupDirectory directory, GroupSpec spec, Optional<Deployment> previous, boolean trustNewHosts) {
        return switch (spec.platform()) {
            case "local" -> new LocalPlatform(LocalPlatform.defaultHome());
            case "ssh" -> {
                Map<String, String> nodeHosts = new LinkedHashMap<>();
                Map<String, SshLogin> logins = new LinkedHashMap<>();
                previous.filter(p -> p.platform().equals("ssh")).ifPresent(p -> p.nodes()
                        .forEach(node -> logins.put(node.address(), login(directory.path(), node.ssh()))));
                previous.filter(p -> p.platform().equals("ssh")).flatMap(Platforms::backupServer)
                        .ifPresent(server -> logins.put(server.host(), login(directory.path(), server.ssh())));
                for (NodeSpec node : spec.allNodes()) {
                    String address = address(node);
                    nodeHosts.put(node.name(), address);
                    logins.put(address, login(directory.path(), node.ssh()));
                }
                List<String> others = new ArrayList<>();
                if (spec.backup() != null && spec.backup().repository().onServer() && spec.backup().repository().host() != null) {
                    String address = address("backup.repository.host", spec.backup().repository().host());
                    others.add(address);
                    logins.put(address, login(directory.path(), spec.backup().repository().ssh()));
                }
                yield new SshPlatform(nodeHosts, others, logins, directory.path().resolve(KNOWN_HOSTS), trustNewHosts);
            }
            default -> throw new UserError("platform '" + spec.platform() + "' is not available in this version of tpa; use local or ssh");
        };
    }

    /** The platform of an applied group, from its deployment record (host keys must be known already). */
    public static Platform forDeployment(Path groupDirectory, Deployment deployment) {
        return switch (deployment.platform()) {
            case "local" -> new LocalPlatform(LocalPlatform.defaultHome());
            case "ssh" -> {
                Map<String, String> nodeHosts = new LinkedHashMap<>();
                Map<String, SshLogin> logins = new LinkedHashMap<>();
                for (DeployedNode node : deployment.nodes()) {
                    nodeHosts.put(node.name(), node.address());
                    logins.put(node.address(), login(groupDirectory, node.ssh()));
                }
                List<String> others = new ArrayList<>();
                backupServer(deployment).ifPresent(server -> {
                    others.add(server.host());
                    logins.put(server.host(), login(groupDirectory, server.ssh()));
                });
                yield new SshPlatform(nodeHosts, others, logins, groupDirectory.toAbsolutePath().resolve(KNOWN_HOSTS), false);
            }
            default -> throw new UserError("platform '" + deployment.platform() + "' is not available in this version of tpa");
        };
    }

    /** Fails with every server that cannot be reached named, before anything changes (only the ssh platform connects). */
    public static void requireReachable(Platform platform) {
        if (!(platform instanceof SshPlatform ssh)) {
            return;
        }
        Map<String, String> failures = ssh.connect();
        if (!failures.isEmpty()) {
            String first = failures.values().iterator().next();
            throw new UserError(UserError.FAILED, first + (failures.size() > 1
                    ? " (and " + (failures.size() - 1) + " more: " + String.join(", ", failures.keySet().stream().skip(1).toList()) + ")"
                    : ""));
        }
    }

    /**
     * A node's server as an address: pg_hba.conf and the firewall need addresses, so a DNS name is looked up
     * once per run (a server whose address changes is a changed node: its certificate and the others' rules follow).
     */
    static String address(NodeSpec node) {
        return address("node " + node.name(), node.host());
    }

    /** A server named in the config as an address ({@code what} names it in the error when its DNS name has none). */
    static String address(String what, String host) {
        if (host.matches("[0-9.]+") || host.contains(":")) {
            return host;
        }
        try {
            return java.net.InetAddress.getByName(host).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new UserError(UserError.FAILED, what + ": host " + host + " has no address (DNS lookup failed); "
                    + "check the name, or write the server's address");
        }
    }

    /** The backup server of a deployment whose repository is on one (its address, its login). */
    public static Optional<io.tpa.model.BackupSpec.Repository> backupServer(Deployment deployment) {
        return Optional.ofNullable(deployment.backup()).map(io.tpa.model.BackupSpec::repository)
                .filter(io.tpa.model.BackupSpec.Repository::onServer);
    }

    static SshLogin login(Path groupDirectory, SshSpec spec) {
        SshSpec resolved = SshSpec.resolve(spec, null);
        String file = resolved.identityFile();
        Path identity = file.equals("~") || file.startsWith("~/")
                ? Path.of(System.getProperty("user.home")).resolve(file.substring(Math.min(2, file.length())))
                : groupDirectory.toAbsolutePath().resolve(file);
        return new SshLogin(resolved.user(), resolved.port(), identity.normalize());
    }
}
