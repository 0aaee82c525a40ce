package io.tpa.operation.audit;

import io.tpa.host.FileStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the checks look at on one running node, read at once: its settings, the rules of its live
 * pg_hba.conf, its roles, its databases and the files on its host. Checks are plain functions of these facts.
 *
 * @param primary        false when the node is in recovery (a replica)
 * @param settings       every row of pg_settings: name to setting
 * @param files          the status of the files the checks need, by path
 * @param currentLogFile the file PostgreSQL logs to now, or null
 * @param versionFile    the content of PG_VERSION in the data directory, or null when it cannot be read
 */
record NodeFacts(
        String node,
        boolean primary,
        Map<String, String> settings,
        List<HbaRule> hba,
        List<RoleFacts> roles,
        List<DatabaseFacts> databases,
        List<Tablespace> tablespaces,
        Map<String, FileStatus> files,
        String currentLogFile,
        String versionFile,
        Expectations expected) {

    NodeFacts {
        settings = Map.copyOf(settings);
        hba = List.copyOf(hba);
        roles = List.copyOf(roles);
        databases = List.copyOf(databases);
        tablespaces = List.copyOf(tablespaces);
        files = Map.copyOf(files);
    }

    /**
     * What tpa deployed for this node, which some checks compare with what runs.
     *
     * @param serviceUser      the OS user PostgreSQL runs as
     * @param superuser        the bootstrap superuser
     * @param replicationRole  the role replicas connect as
     * @param extensions       the extensions of the config
     * @param preloadLibraries shared_preload_libraries as tpa deployed it (empty when none)
     * @param listenAddress    the node's own address
     * @param publicAccess     true when the config opens the group to any address (access.public)
     */
    record Expectations(String serviceUser, String superuser, String replicationRole, List<String> extensions,
                        String preloadLibraries, String listenAddress, boolean publicAccess) {
        Expectations {
            extensions = List.copyOf(extensions);
        }
    }

    /** One row of pg_hba_file_rules. */
    record HbaRule(String file, int line, String type, List<String> databases, List<String> users, String address,
                   String netmask, String method, List<String> options, String error) {
        HbaRule {
            databases = databases == null ? List.of() : List.copyOf(databases);
            users = users == null ? List.of() : List.copyOf(users);
            options = options == null ? List.of() : List.copyOf(options);
        }

        /** Where the line is and what it says, as in the file: {@code /…/pg_hba.conf:12: host all all 127.0.0.1/32 trust}. */
        String describe() {
            List<String> fields = new java.util.ArrayList<>(List.of(type, String.join(",", databases), String.join(",", users)));
            if (address != null) {
                fields.add(netmask == null ? address : address + "/" + prefixLength(netmask));
            }
            if (method != null) {
                fields.add(method);
            }
            fields.addAll(options);
            return file + ":" + line + ": " + String.join(" ", fields);
        }

        boolean isLocal() {
            return type.equals("local");
        }

        /** The prefix length of a netmask such as 255.255.255.0 (24), or the netmask itself when it is not one. */
        static String prefixLength(String netmask) {
            try {
                byte[] bytes = java.net.InetAddress.getByName(netmask).getAddress();
                int bits = 0;
                for (byte b : bytes) {
                    bits += Integer.bitCount(b & 0xff);
                }
                return Integer.toString(bits);
            } catch (java.net.UnknownHostException e) {
                return netmask;
            }
        }
    }

    /**
     * A role of pg_authid, without its password: only how the password is stored.
     *
     * @param password     none, scram-sha-256, md5 or plaintext
     * @param serverAccess the predefined roles among pg_read_server_files, pg_write_server_files and
     *                     pg_execute_server_program it has, directly or through other roles
     */
    record RoleFacts(String name, boolean superuser, boolean createRole, boolean createDb, boolean replication,
                     boolean bypassRls, boolean login, String password, List<String> serverAccess) {
        RoleFacts {
            serverAccess = serverAccess == null ? List.of() : List.copyOf(serverAccess);
        }

        boolean predefined() {
            return name.startsWith("pg_");
        }
    }

    /**
     * What the checks need from one database.
     *
     * @param publicSchemaAcl       the ACL of schema public as text, or null when the database has no schema public
     * @param publicCanCreate       true when PUBLIC may create in schema public
     * @param securityDefiner       SECURITY DEFINER functions that belong to no extension, outside pg_catalog
     * @param rowSecurityTables     how many tables have row level security on
     */
    record DatabaseFacts(String name, List<String> extensions, String publicSchemaAcl, boolean publicCanCreate,
                         List<String> securityDefiner, int rowSecurityTables) {
        DatabaseFacts {
            extensions = List.copyOf(extensions);
            securityDefiner = List.copyOf(securityDefiner);
        }
    }

    record Tablespace(String name, String location) {
    }

    /** A setting's value, or null when the node has no such setting. */
    String setting(String name) {
        return settings.get(name);
    }

    Optional<FileStatus> file(String path) {
        return Optional.ofNullable(path).map(files::get);
    }

    Optional<RoleFacts> role(String name) {
        return roles.stream().filter(role -> role.name().equals(name)).findFirst();
    }
}
