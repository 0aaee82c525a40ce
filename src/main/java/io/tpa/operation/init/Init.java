package io.tpa.operation.init;

import io.tpa.error.UserError;
import io.tpa.model.Json;
import io.tpa.model.SecretNames;
import io.tpa.security.CertificateAuthority;
import io.tpa.workspace.GroupDirectory;
import io.tpa.workspace.GroupHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Creates a group directory: a commented starting config, a .gitignore for secrets, and a git history. */
public final class Init {
    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9-]{0,39}$");

    private Init() {
    }

    public enum Format { YAML, JSON }

    /** What init wrote. */
    public record Created(String group, Path config, int nodes) {
    }

    public static Created run(Path directory, String name, int replicas, String platform, Format format) {
        return run(directory, name, replicas, platform, format, null, null);
    }

    /**
     * @param caCertificate a CA certificate (PEM) the group's node certificates are to be signed by, or null for a CA of its own
     * @param caKey         that CA's private key (PKCS#8 PEM)
     */
    public static Created run(Path directory, String name, int replicas, String platform, Format format, Path caCertificate, Path caKey) {
        return run(directory, name, replicas, platform, format, caCertificate, caKey, List.of());
    }

    /**
     * @param hosts on the ssh platform, the servers: one node each, so they set the number of nodes
     */
    public static Created run(Path directory, String name, int replicas, String platform, Format format, Path caCertificate, Path caKey,
                              List<String> hosts) {
        Path dir = directory.toAbsolutePath().normalize();
        for (String existing : List.of("tpa.yml", "tpa.yaml", "tpa.json")) {
            if (Files.exists(dir.resolve(existing))) {
                throw new UserError(dir.resolve(existing) + " already exists; edit it, or choose another directory for a new group");
            }
        }
        String group = name != null ? name : defaultName(dir);
        if (!NAME.matcher(group).matches()) {
            throw new UserError("--name '" + group + "': a group name starts with a lowercase letter and has at most 40 lowercase "
                    + "letters, digits and dashes; pass one with --name");
        }
        if (replicas < 0 || replicas > 30) {
            throw new UserError("--replicas " + replicas + ": choose between 0 and 30 replicas");
        }
        if (!platform.equals("local") && !platform.equals("ssh")) {
            throw new UserError("--platform " + platform + ": choose local (every node on this machine) or ssh (your own servers)");
        }
        if (platform.equals("ssh") && hosts.isEmpty()) {
            throw new UserError("--platform ssh needs the servers: name them with --hosts ADDRESS,ADDRESS,... (one node each)");
        }
        if (platform.equals("local") && !hosts.isEmpty()) {
            throw new UserError("--hosts: only the ssh platform runs nodes on servers of their own; add --platform ssh");
        }
        if (hosts.stream().distinct().count() != hosts.size()) {
            throw new UserError("--hosts " + String.join(",", hosts) + ": a server is named twice; every node needs a server of its own");
        }
        if ((caCertificate == null) != (caKey == null)) {
            throw new UserError("--ca-cert and --ca-key go together: pass both, or neither for a CA of the group's own");
        }
        CertificateAuthority authority = caCertificate == null ? null : importAuthority(caCertificate, caKey);
        Map<String, String> nodes = new LinkedHashMap<>();
        int count = hosts.isEmpty() ? replicas + 1 : hosts.size();
        for (int i = 1; i <= count; i++) {
            nodes.put("pg" + i, hosts.isEmpty() ? null : hosts.get(i - 1));
        }
        Path config = dir.resolve(format == Format.YAML ? "tpa.yml" : "tpa.json");
        try {
            Files.createDirectories(dir);
            Files.writeString(config, format == Format.YAML ? yaml(group, platform, nodes) : json(group, platform, nodes));
        } catch (IOException e) {
            throw new UserError(UserError.FAILED, "cannot write " + config + ": " + e.getMessage());
        }
        GroupDirectory groupDirectory = new GroupDirectory(dir);
        groupDirectory.ensureGitignore();
        if (authority != null) {
            Map<String, String> secrets = new LinkedHashMap<>(groupDirectory.secrets());
            secrets.put(SecretNames.CA_KEY, authority.privateKeyPem());
            groupDirectory.saveSecrets(secrets);
            groupDirectory.saveCaCertificate(authority);
        }
        GroupHistory history = new GroupHistory(dir);
        history.initialize();
        history.commit("tpa init: group " + group);
        return new Created(group, config, nodes.size());
    }

    private static CertificateAuthority importAuthority(Path certificate, Path key) {
        try {
            return CertificateAuthority.imported(Files.readString(certificate), Files.readString(key));
        } catch (IOException e) {
            throw new UserError("cannot read " + e.getMessage() + "; check --ca-cert and --ca-key");
        } catch (IllegalArgumentException e) {
            throw new UserError("--ca-cert " + certificate + ": " + e.getMessage());
        }
    }

    static String defaultName(Path dir) {
        String base = dir.getFileName() == null ? "group" : dir.getFileName().toString().toLowerCase().replaceAll("[^a-z0-9-]", "-");
        base = base.replaceAll("^[^a-z]+", "");
        if (base.isEmpty()) {
            base = "group";
        }
        return base.length() > 40 ? base.substring(0, 40) : base;
    }

    private static String yaml(String group, String platform, Map<String, String> nodes) {
        StringBuilder out = new StringBuilder();
        out.append("""
                # A tpa cluster group. Reference: docs/reference/config.md
                # `tpa plan DIR` shows what `tpa apply DIR` would change.
                name: %s
                # Where the nodes run: local (each node on its own 127.x address on this machine)
                # or ssh (each node on a server of its own, see docs/own-servers.md).
                platform: %s
                %spostgres:
                  version: 15
                  # Extensions to install, preload where needed, and create, e.g. [pg_stat_statements, pgcrypto]
                  extensions: [pg_stat_statements]
                  # Parameters here override the values tpa computes from each node's size.
                  parameters: {}
                defaults:
                  # A size from catalog/sizes.yml (micro, small, medium, large, ...) or {cpus, memory_gb, disk_gb}.
                  size: small
                clusters:
                  # The first cluster is the primary cluster. Its first node starts as the primary;
                  # the others are streaming replicas that Patroni can promote.
                  - name: main
                    location: dc1
                    nodes:
                """.formatted(group, platform, platform.equals("ssh") ? """
                # How tpa logs in to the servers, with a key; a user other than root needs passwordless sudo.
                # The first `tpa apply --trust-new-hosts` records their host keys in known_hosts.
                ssh:
                  user: root
                  identity_file: ~/.ssh/id_ed25519
                """ : ""));
        nodes.forEach((node, host) -> {
            out.append("      - name: ").append(node).append('\n');
            if (host != null) {
                out.append("        host: ").append(host).append('\n');
            }
        });
        return out.toString();
    }

    private static String json(String group, String platform, Map<String, String> nodes) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", group);
        root.put("platform", platform);
        if (platform.equals("ssh")) {
            Map<String, String> ssh = new LinkedHashMap<>();
            ssh.put("user", "root");
            ssh.put("identity_file", "~/.ssh/id_ed25519");
            root.put("ssh", ssh);
        }
        root.put("postgres", Map.of("version", 15, "extensions", List.of("pg_stat_statements"), "parameters", Map.of()));
        root.put("defaults", Map.of("size", "small"));
        root.put("clusters", List.of(Map.of("name", "main", "location", "dc1",
                "nodes", nodes.entrySet().stream().map(n -> {
                    Map<String, String> node = new LinkedHashMap<>();
                    node.put("name", n.getKey());
                    if (n.getValue() != null) {
                        node.put("host", n.getValue());
                    }
                    return node;
                }).toList())));
        try {
            return Json.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
