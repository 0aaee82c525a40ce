package io.tpa.operation.audit;

import io.tpa.host.FileStatus;
import io.tpa.operation.audit.NodeFacts.Tablespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Checks of how the server is set up: where it listens, TLS, what it loads, where its files live (CIS 5, 6 and 8). */
final class ServerChecks {
    private static final List<String> EVERY_INTERFACE = List.of("*", "0.0.0.0", "::");
    /** Backend parameters that must stay at their safe values (CIS 6.2; log_connections and log_disconnections have checks of their own). */
    private static final Map<String, String> SAFE_BACKEND_VALUES = Map.of(
            "ignore_system_indexes", "off", "jit_debugging_support", "off", "jit_profiling_support", "off", "post_auth_delay", "0");

    private ServerChecks() {
    }

    /** PostgreSQL listens on the node's address only, unless the config opens the group to every address. */
    static Check listenAddresses() {
        return node -> {
            String value = String.valueOf(node.setting("listen_addresses"));
            String evidence = SettingCheck.show("listen_addresses", value);
            List<String> addresses = SettingCheck.items(value);
            boolean everywhere = addresses.stream().anyMatch(EVERY_INTERFACE::contains);
            if (everywhere && node.expected().publicAccess()) {
                return Finding.pass(evidence + " (access.public is true)");
            }
            List<String> others = addresses.stream().filter(a -> !a.equals(node.expected().listenAddress())).toList();
            return others.isEmpty() ? Finding.pass(evidence)
                    : Finding.fail(evidence + "; expected only the node's address " + node.expected().listenAddress());
        };
    }

    static Check backendParameters() {
        return node -> {
            List<String> seen = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            new TreeSet<>(SAFE_BACKEND_VALUES.keySet()).forEach(name -> {
                String value = node.setting(name);
                if (value == null) {
                    return;
                }
                seen.add(SettingCheck.show(name, value));
                if (!value.equalsIgnoreCase(SAFE_BACKEND_VALUES.get(name))) {
                    problems.add(SettingCheck.show(name, value) + "; expected " + SAFE_BACKEND_VALUES.get(name));
                }
            });
            return problems.isEmpty() ? Finding.pass(String.join(", ", seen)) : Finding.fail(String.join("; ", problems));
        };
    }

    /** TLS is on, with a certificate, and a key file that only its owner can read. */
    static Check tls() {
        return node -> {
            List<String> problems = new ArrayList<>();
            if (!"on".equals(node.setting("ssl"))) {
                problems.add("ssl = " + node.setting("ssl"));
            }
            String certificate = node.setting("ssl_cert_file");
            if (node.file(certificate).filter(FileStatus::exists).isEmpty()) {
                problems.add("certificate " + certificate + " not found");
            }
            String key = node.setting("ssl_key_file");
            Optional<FileStatus> keyFile = node.file(key).filter(FileStatus::exists);
            if (keyFile.isEmpty()) {
                problems.add("key " + key + " not found");
            } else if (keyFile.get().allows(0077)) {
                problems.add("key " + key + " has mode " + keyFile.get().modeText() + ", not 0600");
            }
            return problems.isEmpty()
                    ? Finding.pass("ssl = on; certificate " + certificate + "; key " + key + " " + keyFile.get().modeText())
                    : Finding.fail(String.join("; ", problems));
        };
    }

    static Check tlsMinimumVersion() {
        return SettingCheck.oneOf("ssl_min_protocol_version", "TLSv1.2", "TLSv1.3");
    }

    /** The log directory and every tablespace are outside the data directory. */
    static Check subdirectories() {
        return node -> {
            String data = node.setting("data_directory");
            List<String> inside = new ArrayList<>();
            String logs = String.valueOf(node.setting("log_directory"));
            if (!logs.startsWith("/") || LoggingChecks.inside(logs, data)) {
                inside.add("log_directory " + logs);
            }
            for (Tablespace tablespace : node.tablespaces()) {
                if (!tablespace.location().isEmpty() && LoggingChecks.inside(tablespace.location(), data)) {
                    inside.add("tablespace " + tablespace.name() + " at " + tablespace.location());
                }
            }
            long own = node.tablespaces().stream().filter(t -> !t.location().isEmpty()).count();
            return inside.isEmpty() ? Finding.pass("log_directory " + logs + "; " + own + " tablespaces of your own")
                    : Finding.fail("inside the data directory " + data + ": " + String.join("; ", inside));
        };
    }

    /** Libraries load only from PostgreSQL's own directory, and none into every session. */
    static Check libraryLoading() {
        return node -> {
            List<String> problems = new ArrayList<>();
            String path = node.setting("dynamic_library_path");
            if (!"$libdir".equals(path)) {
                problems.add(SettingCheck.show("dynamic_library_path", String.valueOf(path)) + "; expected $libdir");
            }
            for (String name : List.of("local_preload_libraries", "session_preload_libraries")) {
                String value = node.setting(name);
                if (value != null && !value.isBlank()) {
                    problems.add(SettingCheck.show(name, value) + "; expected empty");
                }
            }
            return problems.isEmpty() ? Finding.pass("dynamic_library_path = $libdir; no local or session preload libraries")
                    : Finding.fail(String.join("; ", problems));
        };
    }

    /** shared_preload_libraries is what tpa deployed (order aside). */
    static Check preloadLibraries() {
        return node -> {
            String value = String.valueOf(node.setting("shared_preload_libraries"));
            TreeSet<String> live = new TreeSet<>(SettingCheck.items(value));
            TreeSet<String> deployed = new TreeSet<>(SettingCheck.items(node.expected().preloadLibraries()));
            String evidence = SettingCheck.show("shared_preload_libraries", value);
            return live.equals(deployed) ? Finding.pass(evidence)
                    : Finding.fail(evidence + "; tpa deployed '" + node.expected().preloadLibraries() + "'");
        };
    }
}
