package io.tpa.component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code compliance: cis} adds to a group so that `tpa audit` finds it clean: pgAudit (preloaded and
 * created), UTC log timestamps, and the other logging parameters of the CIS PostgreSQL 15 Benchmark pinned to
 * their values. Every group logs connections, DDL and the rest already ({@link PostgresTuning#LOGGING}). The
 * config's own {@code postgres.parameters} still win over these. docs/audit.md lists them.
 */
public final class CompliancePolicy {
    public static final String NONE = "none";
    public static final String CIS = "cis";
    public static final String AUDIT_EXTENSION = "pgaudit";

    /**
     * The parameters of {@code compliance: cis} beyond what every group logs: CIS section 3 (logging) and 3.2
     * (pgAudit's statement classes). The line prefix is the Benchmark's own, which log analysers know.
     */
    static final Map<String, String> CIS_PARAMETERS = Map.ofEntries(
            Map.entry("log_file_mode", "0600"),
            Map.entry("log_min_messages", "warning"),
            Map.entry("log_min_error_statement", "error"),
            Map.entry("log_hostname", "off"),
            Map.entry("log_line_prefix", "%m [%p]: [%l-1] db=%d,user=%u,app=%a,client=%h "),
            Map.entry("log_timezone", "UTC"),
            Map.entry("pgaudit.log", "ddl,role,write"),
            Map.entry("pgaudit.log_parameter", "off"));

    private CompliancePolicy() {
    }

    /** The group's extensions: the config's, plus pgaudit under a compliance policy. */
    public static List<String> extensions(String compliance, List<String> configured) {
        List<String> extensions = new ArrayList<>(configured);
        if (CIS.equals(compliance) && !extensions.contains(AUDIT_EXTENSION)) {
            extensions.add(AUDIT_EXTENSION);
        }
        return List.copyOf(extensions);
    }

    /** The parameters to apply over the computed ones: the policy's, then the config's own on top. */
    public static Map<String, Object> parameters(String compliance, Map<String, Object> configured) {
        Map<String, Object> parameters = new TreeMap<>();
        if (CIS.equals(compliance)) {
            parameters.putAll(CIS_PARAMETERS);
        }
        parameters.putAll(configured);
        return parameters;
    }
}
