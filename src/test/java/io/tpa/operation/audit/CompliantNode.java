package io.tpa.operation.audit;

import io.tpa.component.CompliancePolicy;
import io.tpa.component.PostgresTuning;
import io.tpa.host.FileStatus;
import io.tpa.model.Catalog;
import io.tpa.operation.audit.NodeFacts.DatabaseFacts;
import io.tpa.operation.audit.NodeFacts.Expectations;
import io.tpa.operation.audit.NodeFacts.HbaRule;
import io.tpa.operation.audit.NodeFacts.RoleFacts;
import io.tpa.operation.audit.NodeFacts.Tablespace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The facts of a node as `tpa apply` leaves it with `compliance: cis`, written by hand after a real one; tests
 * change one fact and see which check notices. {@link #withoutPolicy()} is the same node applied with tpa's defaults.
 */
final class CompliantNode {
    static final String NODE = "/var/lib/tpa/groups/sales-2299ba/nodes/pg1";
    static final String DATA = NODE + "/pgdata";
    static final String HBA = DATA + "/pg_hba.conf";

    final Map<String, String> settings = new LinkedHashMap<>();
    final List<HbaRule> hba = new ArrayList<>();
    final List<RoleFacts> roles = new ArrayList<>();
    final List<DatabaseFacts> databases = new ArrayList<>();
    final List<Tablespace> tablespaces = new ArrayList<>(List.of(new Tablespace("pg_default", ""), new Tablespace("pg_global", "")));
    final Map<String, FileStatus> files = new LinkedHashMap<>();
    boolean primary = true;
    boolean publicAccess;
    String versionFile = "15\n";
    List<String> extensions = new ArrayList<>(List.of("pg_stat_statements", "pgaudit"));

    CompliantNode() {
        settings.putAll(Map.ofEntries(
                Map.entry("server_version", "15.18 (Debian 15.18-0+deb12u1)"), Map.entry("server_version_num", "150018"),
                Map.entry("data_directory", DATA), Map.entry("data_directory_mode", "0700"), Map.entry("data_checksums", "on"),
                Map.entry("hba_file", HBA), Map.entry("ident_file", DATA + "/pg_ident.conf"), Map.entry("config_file", DATA + "/postgresql.conf"),
                Map.entry("log_destination", "stderr"), Map.entry("logging_collector", "on"), Map.entry("log_directory", NODE + "/log"),
                Map.entry("log_filename", "postgresql-%a.log"), Map.entry("log_file_mode", "0600"), Map.entry("log_truncate_on_rotation", "on"),
                Map.entry("log_rotation_age", "1440"), Map.entry("log_rotation_size", "10240"), Map.entry("syslog_facility", "local0"),
                Map.entry("syslog_sequence_numbers", "on"), Map.entry("syslog_split_messages", "on"), Map.entry("syslog_ident", "postgres"),
                Map.entry("log_min_messages", "warning"), Map.entry("log_min_error_statement", "error"),
                Map.entry("debug_print_parse", "off"), Map.entry("debug_print_rewritten", "off"), Map.entry("debug_print_plan", "off"),
                Map.entry("debug_pretty_print", "on"), Map.entry("log_connections", "on"), Map.entry("log_disconnections", "on"),
                Map.entry("log_error_verbosity", "verbose"), Map.entry("log_hostname", "off"),
                Map.entry("log_line_prefix", "%m [%p]: [%l-1] db=%d,user=%u,app=%a,client=%h "), Map.entry("log_statement", "ddl"),
                Map.entry("log_timezone", "UTC"), Map.entry("shared_preload_libraries", "pg_stat_statements,pgaudit"),
                Map.entry("pgaudit.log", "ddl,role,write"), Map.entry("password_encryption", "scram-sha-256"),
                Map.entry("listen_addresses", "127.20.0.4"), Map.entry("unix_socket_directories", NODE + "/run"),
                Map.entry("unix_socket_permissions", "0777"), Map.entry("ignore_system_indexes", "off"),
                Map.entry("jit_debugging_support", "off"), Map.entry("jit_profiling_support", "off"), Map.entry("post_auth_delay", "0"),
                Map.entry("ssl", "on"), Map.entry("ssl_cert_file", NODE + "/tls/server.crt"), Map.entry("ssl_key_file", NODE + "/tls/server.key"),
                Map.entry("ssl_min_protocol_version", "TLSv1.2"), Map.entry("log_replication_commands", "on"),
                Map.entry("archive_mode", "off"), Map.entry("archive_command", ""), Map.entry("primary_conninfo", ""),
                Map.entry("dynamic_library_path", "$libdir"), Map.entry("local_preload_libraries", ""),
                Map.entry("session_preload_libraries", "")));
        hba.add(rule(3, "local", "all", "all", null, "scram-sha-256"));
        hba.add(rule(4, "hostssl", "replication", "replicator", "127.0.0.1", "scram-sha-256"));
        hba.add(rule(5, "hostssl", "replication", "replicator", "127.20.0.4", "scram-sha-256"));
        hba.add(rule(6, "hostssl", "all", "all", "127.0.0.1", "scram-sha-256"));
        hba.add(rule(7, "hostssl", "all", "all", "127.20.0.4", "scram-sha-256"));
        roles.add(role("postgres", true, false, "scram-sha-256"));
        roles.add(role("replicator", false, true, "scram-sha-256"));
        roles.add(role("rewinder", false, false, "scram-sha-256"));
        roles.add(role("tpa_monitor", false, false, "scram-sha-256"));
        roles.add(role("app", false, false, "scram-sha-256"));
        roles.add(role("pg_read_server_files", false, false, "none"));
        databases.add(database("postgres", List.of("pg_stat_statements", "pgaudit", "plpgsql")));
        databases.add(database("template1", List.of("plpgsql")));
        databases.add(database("app", List.of("plpgsql")));
        file(DATA, 0700);
        file(HBA, 0600);
        file(DATA + "/pg_ident.conf", 0600);
        file(DATA + "/postgresql.conf", 0644);
        file(DATA + "/postgresql.auto.conf", 0600);
        file(NODE + "/log", 0770);
        file(NODE + "/log/postgresql-Tue.log", 0600);
        file(NODE + "/run", 0700);
        file(NODE + "/tls/server.crt", 0644);
        file(NODE + "/tls/server.key", 0600);
    }

    static HbaRule rule(int line, String type, String database, String user, String address, String method) {
        return new HbaRule(HBA, line, type, List.of(database), List.of(user), address, address == null ? null : "255.255.255.255",
                method, List.of(), null);
    }

    static RoleFacts role(String name, boolean superuser, boolean replication, String password) {
        return new RoleFacts(name, superuser, superuser, superuser, superuser || replication, superuser, !name.startsWith("pg_"),
                password, superuser ? List.of("pg_execute_server_program", "pg_read_server_files", "pg_write_server_files") : List.of());
    }

    static DatabaseFacts database(String name, List<String> extensions) {
        return new DatabaseFacts(name, extensions, "{pg_database_owner=UC/pg_database_owner,=U/pg_database_owner}", false, List.of(), 0);
    }

    /**
     * The node of a group applied without a compliance policy: no pgAudit,
     * PostgreSQL's own defaults for what only {@code compliance: cis} pins, and tpa's logging parameters as
     * {@link PostgresTuning} computes them for every group.
     */
    static CompliantNode withoutPolicy() {
        CompliantNode node = new CompliantNode();
        node.extensions.remove("pgaudit");
        node.settings.remove("pgaudit.log");
        node.databases.set(0, database("postgres", List.of("pg_stat_statements", "plpgsql")));
        Map<String, String> computed = PostgresTuning.nodeParameters(Catalog.load().sizes().get("small"),
                PostgresTuning.DEFAULT_MAX_CONNECTIONS, List.of("pg_stat_statements"), CompliancePolicy.parameters(CompliancePolicy.NONE, Map.of()));
        // pg_settings shows text parameters as they were set; these are the ones the logging checks read as text.
        for (String name : List.of("log_connections", "log_disconnections", "log_error_verbosity", "log_line_prefix", "log_statement",
                "log_replication_commands", "logging_collector", "log_truncate_on_rotation", "shared_preload_libraries", "log_destination",
                "log_timezone")) {
            node.settings.put(name, computed.get(name));
        }
        return node;
    }

    CompliantNode set(String name, String value) {
        settings.put(name, value);
        return this;
    }

    CompliantNode file(String path, int mode) {
        return file(path, mode, "postgres");
    }

    CompliantNode file(String path, int mode, String owner) {
        files.put(path, new FileStatus(path, true, mode, owner));
        return this;
    }

    NodeFacts facts() {
        return new NodeFacts("pg1", primary, settings, hba, roles, databases, tablespaces, files, NODE + "/log/postgresql-Tue.log",
                versionFile, new Expectations("postgres", "postgres", "replicator", List.copyOf(extensions),
                        String.join(",", extensions), "127.20.0.4", publicAccess));
    }

    Finding check(String id) {
        return Checks.all().get(id).evaluate(facts());
    }
}
