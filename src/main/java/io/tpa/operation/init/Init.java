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
        if (!platform.equals("local")) {
            throw new UserError("--platform " + platform + ": only the local platform is available in this version of tpa");
        }
        if ((caCertificate == null) != (caKey == null)) {
            throw new UserError("--ca-cert and --ca-key go together: pass both, or neither for a CA of the group's own");
        }
        CertificateAuthority authority = caCertificate == null ? null : importAuthority(caCertificate, caKey);
        List<String> nodes = new ArrayList<>();
        for (int i = 1; i <= replicas + 1; i++) {
            nodes.add("pg" + i);
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

    private static String yaml(String group, String platform, List<String> nodes) {
        StringBuilder out = new StringBuilder();
        out.append("""
                # A tpa cluster group. Reference: docs/reference/config.md
                # `tpa plan DIR` shows what `tpa apply DIR` would change.
                name: %s
                # Where the nodes run: local (each node on its own 127.x address on this machine).
                platform: %s
                postgres:
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
                """.formatted(group, platform));
        for (String node : nodes) {
            out.append("      - name: ").append(node).append('\n');
        }
        return out.toString();
    }

    private static String json(String group, String platform, List<String> nodes) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", group);
        root.put("platform", platform);
        root.put("postgres", Map.of("version", 15, "extensions", List.of("pg_stat_statements"), "parameters", Map.of()));
        root.put("defaults", Map.of("size", "small"));
        root.put("clusters", List.of(Map.of("name", "main", "location", "dc1",
                "nodes", nodes.stream().map(n -> Map.of("name", n)).toList())));
        try {
            return Json.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
