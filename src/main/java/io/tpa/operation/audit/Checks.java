package io.tpa.operation.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The logic of every check, by its id in catalog/audit.yml. Automated checks must have logic here; a manual
 * check may have some, to show evidence for its review. tpa-node-running has none: {@link Audit} decides it.
 */
final class Checks {
    static final String NODE_RUNNING = "tpa-node-running";

    private Checks() {
    }

    static Map<String, Check> all() {
        Map<String, Check> checks = new LinkedHashMap<>();
        // 1 Installation and Patches
        checks.put("cis-1.3", FileChecks.dataDirectory());
        checks.put("tpa-data-checksums", SettingCheck.is("data_checksums", "on"));
        checks.put("cis-1.4", SettingCheck.evidence("server_version"));
        checks.put("tpa-extensions-allowed", DatabaseChecks.extensionsAllowed());
        // 2 Directory and File Permissions
        checks.put("cis-2.1", SettingCheck.is("data_directory_mode", "0700"));
        checks.put("tpa-config-files", FileChecks.configurationFiles());
        checks.put("tpa-socket-directory", FileChecks.socketDirectory());
        // 3 Logging and Auditing
        checks.put("cis-3.1.2", SettingCheck.matching("log_destination", value -> !value.isBlank(), "stderr, csvlog, jsonlog or syslog"));
        checks.put("cis-3.1.3", SettingCheck.is("logging_collector", "on"));
        checks.put("cis-3.1.4", LoggingChecks.logDirectory());
        checks.put("cis-3.1.5", SettingCheck.evidence("log_filename"));
        checks.put("cis-3.1.6", LoggingChecks.logFileMode());
        checks.put("cis-3.1.7", SettingCheck.is("log_truncate_on_rotation", "on"));
        checks.put("cis-3.1.8", LoggingChecks.rotationAge());
        checks.put("cis-3.1.9", SettingCheck.evidence("log_rotation_size"));
        checks.put("cis-3.1.10", LoggingChecks.whenSyslog(SettingCheck.evidence("syslog_facility")));
        checks.put("cis-3.1.11", LoggingChecks.whenSyslog(SettingCheck.is("syslog_sequence_numbers", "on")));
        checks.put("cis-3.1.12", LoggingChecks.whenSyslog(SettingCheck.is("syslog_split_messages", "on")));
        checks.put("cis-3.1.13", LoggingChecks.whenSyslog(SettingCheck.evidence("syslog_ident")));
        checks.put("cis-3.1.14", SettingCheck.oneOf("log_min_messages", "warning", "notice", "info"));
        checks.put("cis-3.1.15", SettingCheck.oneOf("log_min_error_statement", "error", "warning", "notice", "info"));
        checks.put("cis-3.1.16", SettingCheck.is("debug_print_parse", "off"));
        checks.put("cis-3.1.17", SettingCheck.is("debug_print_rewritten", "off"));
        checks.put("cis-3.1.18", SettingCheck.is("debug_print_plan", "off"));
        checks.put("cis-3.1.19", SettingCheck.is("debug_pretty_print", "on"));
        checks.put("cis-3.1.20", SettingCheck.is("log_connections", "on"));
        checks.put("cis-3.1.21", SettingCheck.is("log_disconnections", "on"));
        checks.put("cis-3.1.22", SettingCheck.is("log_error_verbosity", "verbose"));
        checks.put("cis-3.1.23", SettingCheck.is("log_hostname", "off"));
        checks.put("cis-3.1.24", LoggingChecks.linePrefix());
        checks.put("cis-3.1.25", SettingCheck.oneOf("log_statement", "ddl", "mod", "all"));
        checks.put("cis-3.1.26", LoggingChecks.timezone());
        checks.put("cis-3.2", LoggingChecks.pgaudit());
        // 4 User Access and Authorization
        checks.put("tpa-single-superuser", RoleChecks.singleSuperuser());
        checks.put("cis-4.2", RoleChecks.administrativeAttributes());
        checks.put("tpa-server-file-roles", RoleChecks.serverFileAccess());
        checks.put("cis-4.3", DatabaseChecks.securityDefinerFunctions());
        checks.put("cis-4.5", DatabaseChecks.rowSecurityEvidence());
        checks.put("tpa-public-schema", DatabaseChecks.publicSchema());
        // 5 Connection and Login
        checks.put("cis-5.1", HbaChecks.local());
        checks.put("cis-5.2", HbaChecks.host());
        checks.put("tpa-password-encryption", SettingCheck.is("password_encryption", "scram-sha-256"));
        checks.put("tpa-password-hashes", RoleChecks.passwordStorage());
        checks.put("tpa-listen-addresses", ServerChecks.listenAddresses());
        // 6 PostgreSQL Settings
        checks.put("cis-6.2", ServerChecks.backendParameters());
        checks.put("cis-6.8", ServerChecks.tls());
        checks.put("tpa-tls-min-version", ServerChecks.tlsMinimumVersion());
        checks.put("tpa-hba-hostssl", HbaChecks.hostssl());
        // 7 Replication
        checks.put("cis-7.1", ReplicationChecks.replicationRole());
        checks.put("cis-7.2", SettingCheck.is("log_replication_commands", "on"));
        checks.put("cis-7.4", SettingCheck.evidence("archive_mode", "archive_command"));
        checks.put("cis-7.5", ReplicationChecks.replicaConnection());
        // 8 Special Configuration Considerations
        checks.put("cis-8.1", ServerChecks.subdirectories());
        checks.put("cis-8.3", ServerChecks.libraryLoading());
        checks.put("tpa-preload-libraries", ServerChecks.preloadLibraries());
        return Collections.unmodifiableMap(checks);
    }
}
