package io.tpa.operation.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the drift and TLS checks read from one running node, with one query as the superuser: every row of pg_settings,
 * the lines of postgresql.auto.conf (what ALTER SYSTEM wrote), the rules of the live pg_hba.conf and how each role's
 * password is stored (never the password).
 *
 * @param settings by name, as pg_settings has them
 * @param altered  the settings of postgresql.auto.conf, in file order
 * @param hba      the rules of pg_hba.conf, in file order
 * @param passwords by role with a password: scram-sha-256, md5 or plaintext
 */
record NodeSettings(Map<String, Setting> settings, List<AlteredSetting> altered, List<HbaRule> hba, Map<String, String> passwords) {

    static final String QUERY = """
            SELECT jsonb_build_object(
              'settings', (SELECT jsonb_object_agg(name, jsonb_build_object('setting', setting, 'unit', unit, 'vartype', vartype,
                             'source', source, 'sourcefile', sourcefile, 'pending_restart', pending_restart)) FROM pg_settings),
              'altered', (SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'setting', setting, 'applied', applied,
                             'error', error) ORDER BY seqno), '[]')
                            FROM pg_file_settings WHERE sourcefile LIKE '%/postgresql.auto.conf'),
              'hba', (SELECT coalesce(jsonb_agg(jsonb_build_object('line', line_number, 'type', type, 'method', auth_method,
                        'error', error) ORDER BY line_number), '[]') FROM pg_hba_file_rules),
              'passwords', (SELECT coalesce(jsonb_object_agg(rolname, CASE WHEN rolpassword LIKE 'SCRAM-SHA-256$%' THEN 'scram-sha-256'
                                  WHEN rolpassword ~ '^md5[0-9a-f]{32}$' THEN 'md5' ELSE 'plaintext' END), '{}')
                              FROM pg_authid WHERE rolpassword IS NOT NULL))""";

    NodeSettings {
        settings = Map.copyOf(settings);
        altered = List.copyOf(altered);
        hba = List.copyOf(hba);
        passwords = Map.copyOf(passwords);
    }

    /**
     * One row of pg_settings.
     *
     * @param setting        the running value, in the parameter's base unit
     * @param unit           that unit ({@code kB}, {@code 8kB}, {@code ms}, {@code min}), or null
     * @param vartype        bool, integer, real, string or enum
     * @param source         where the running value comes from: default, configuration file, command line, ...
     * @param sourcefile     the file that set it, or null
     * @param pendingRestart true when the configuration files hold another value that needs a restart
     */
    record Setting(String setting, String unit, String vartype, String source, String sourcefile, boolean pendingRestart) {
    }

    /** A line of postgresql.auto.conf, as pg_file_settings reads it. */
    record AlteredSetting(String name, String setting, boolean applied, String error) {
    }

    /** A rule of pg_hba.conf, as pg_hba_file_rules reads it. */
    record HbaRule(int line, String type, String method, String error) {
    }

    /** The settings from the document {@link #QUERY} returns. */
    static NodeSettings parse(String document) {
        JsonNode root;
        try {
            root = Json.JSON.readTree(document);
        } catch (IOException e) {
            throw new UncheckedIOException("the settings query did not return JSON", e);
        }
        Map<String, Setting> settings = new LinkedHashMap<>();
        root.path("settings").fields().forEachRemaining(entry -> {
            JsonNode row = entry.getValue();
            settings.put(entry.getKey(), new Setting(text(row, "setting"), text(row, "unit"), text(row, "vartype"), text(row, "source"),
                    text(row, "sourcefile"), row.path("pending_restart").asBoolean(false)));
        });
        List<AlteredSetting> altered = new ArrayList<>();
        root.path("altered").forEach(row -> altered.add(new AlteredSetting(text(row, "name"), text(row, "setting"),
                row.path("applied").asBoolean(false), text(row, "error"))));
        List<HbaRule> hba = new ArrayList<>();
        root.path("hba").forEach(row -> hba.add(new HbaRule(row.path("line").asInt(), text(row, "type"), text(row, "method"),
                text(row, "error"))));
        Map<String, String> passwords = new LinkedHashMap<>();
        root.path("passwords").fields().forEachRemaining(entry -> passwords.put(entry.getKey(), entry.getValue().asText()));
        return new NodeSettings(settings, altered, hba, passwords);
    }

    /** A setting's running value, or null when the server has no such parameter. */
    String value(String name) {
        Setting setting = settings.get(name);
        return setting == null ? null : setting.setting();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }
}
