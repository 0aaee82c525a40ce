package io.tpa.operation.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.component.Postgres;
import io.tpa.host.FileStatus;
import io.tpa.host.Host;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Json;
import io.tpa.operation.audit.NodeFacts.DatabaseFacts;
import io.tpa.operation.audit.NodeFacts.Expectations;
import io.tpa.operation.audit.NodeFacts.HbaRule;
import io.tpa.operation.audit.NodeFacts.RoleFacts;
import io.tpa.operation.audit.NodeFacts.Tablespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the facts of one running node: one query as the superuser for the server-wide facts, one per database,
 * and one {@code stat} on its host for the files. Each query returns one JSON document, so no value can be
 * confused with a separator. Passwords never leave the server: only how each one is stored.
 */
final class FactsReader {
    static final String SERVER_QUERY = """
            SELECT jsonb_build_object(
              'settings', (SELECT jsonb_object_agg(name, setting) FROM pg_settings),
              'hba', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                        'line', line_number, 'type', type, 'database', database, 'user', user_name, 'address', address,
                        'netmask', netmask, 'method', auth_method, 'options', options, 'error', error) ORDER BY line_number), '[]')
                      FROM pg_hba_file_rules),
              'roles', (SELECT jsonb_agg(jsonb_build_object(
                          'name', a.rolname, 'superuser', a.rolsuper, 'createrole', a.rolcreaterole, 'createdb', a.rolcreatedb,
                          'replication', a.rolreplication, 'bypassrls', a.rolbypassrls, 'login', a.rolcanlogin,
                          'password', CASE WHEN a.rolpassword IS NULL THEN 'none'
                                           WHEN a.rolpassword LIKE 'SCRAM-SHA-256$%' THEN 'scram-sha-256'
                                           WHEN a.rolpassword ~ '^md5[0-9a-f]{32}$' THEN 'md5' ELSE 'plaintext' END,
                          'server_access', (SELECT coalesce(jsonb_agg(p ORDER BY p), '[]')
                                              FROM unnest(ARRAY['pg_read_server_files', 'pg_write_server_files',
                                                                'pg_execute_server_program']) p
                                             WHERE p <> a.rolname AND pg_has_role(a.oid, p, 'MEMBER')))
                          ORDER BY a.rolname)
                        FROM pg_authid a),
              'databases', (SELECT jsonb_agg(datname ORDER BY datname) FROM pg_database WHERE datallowconn),
              'tablespaces', (SELECT jsonb_agg(jsonb_build_object('name', spcname, 'location', pg_tablespace_location(oid)))
                                FROM pg_tablespace),
              'in_recovery', pg_is_in_recovery(),
              'current_logfile', pg_current_logfile())""";

    static final String DATABASE_QUERY = """
            SELECT jsonb_build_object(
              'name', current_database(),
              'extensions', (SELECT coalesce(jsonb_agg(extname ORDER BY extname), '[]') FROM pg_extension),
              'public_acl', (SELECT coalesce(nspacl::text, '(default)') FROM pg_namespace WHERE nspname = 'public'),
              'public_create', (SELECT coalesce(bool_or(a.grantee = 0 AND a.privilege_type = 'CREATE'), false)
                                  FROM pg_namespace n CROSS JOIN LATERAL aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
                                 WHERE n.nspname = 'public'),
              'security_definer', (SELECT coalesce(jsonb_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text), '[]')
                                     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                                    WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                                      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                                         AND d.objid = p.oid AND d.deptype = 'e')),
              'row_security_tables', (SELECT count(*) FROM pg_class WHERE relrowsecurity))""";

    private FactsReader() {
    }

    static NodeFacts read(Host host, Deployment deployment, DeployedNode node, String superuserPassword, Expectations expected) {
        JsonNode server = json(Postgres.query(host, deployment, node, superuserPassword, SERVER_QUERY));
        List<DatabaseFacts> databases = new ArrayList<>();
        for (JsonNode name : server.path("databases")) {
            databases.add(database(json(Postgres.query(host, deployment, node, superuserPassword, name.asText(), DATABASE_QUERY))));
        }
        Map<String, String> settings = settings(server);
        Map<String, FileStatus> files = FileStatus.of(host, filesToCheck(settings, text(server, "current_logfile")));
        String versionFile = Optional.ofNullable(settings.get("data_directory"))
                .flatMap(directory -> host.readFile(directory + "/PG_VERSION")).orElse(null);
        return facts(node.name(), server, databases, files, versionFile, expected);
    }

    /** The facts from the documents the queries return (the part of reading that needs no server, for tests). */
    static NodeFacts facts(String node, JsonNode server, List<DatabaseFacts> databases, Map<String, FileStatus> files,
                           String versionFile, Expectations expected) {
        Map<String, String> settings = settings(server);
        List<HbaRule> hba = new ArrayList<>();
        for (JsonNode rule : server.path("hba")) {
            hba.add(new HbaRule(settings.get("hba_file"), rule.path("line").asInt(), rule.path("type").asText(null),
                    strings(rule.path("database")), strings(rule.path("user")), text(rule, "address"), text(rule, "netmask"),
                    text(rule, "method"), strings(rule.path("options")), text(rule, "error")));
        }
        List<RoleFacts> roles = new ArrayList<>();
        for (JsonNode role : server.path("roles")) {
            roles.add(new RoleFacts(role.path("name").asText(), role.path("superuser").asBoolean(), role.path("createrole").asBoolean(),
                    role.path("createdb").asBoolean(), role.path("replication").asBoolean(), role.path("bypassrls").asBoolean(),
                    role.path("login").asBoolean(), role.path("password").asText(), strings(role.path("server_access"))));
        }
        List<Tablespace> tablespaces = new ArrayList<>();
        for (JsonNode tablespace : server.path("tablespaces")) {
            tablespaces.add(new Tablespace(tablespace.path("name").asText(), tablespace.path("location").asText("")));
        }
        String currentLogFile = text(server, "current_logfile");
        return new NodeFacts(node, !server.path("in_recovery").asBoolean(), settings, hba, roles, databases, tablespaces, files,
                currentLogFile, versionFile, expected);
    }

    static DatabaseFacts database(JsonNode document) {
        return new DatabaseFacts(document.path("name").asText(), strings(document.path("extensions")), text(document, "public_acl"),
                document.path("public_create").asBoolean(), strings(document.path("security_definer")),
                document.path("row_security_tables").asInt());
    }

    /** The files the checks look at: the data directory, configuration files, logs, the socket directory, the TLS files. */
    static List<String> filesToCheck(Map<String, String> settings, String currentLogFile) {
        List<String> paths = new ArrayList<>();
        for (String setting : List.of("data_directory", "hba_file", "ident_file", "config_file", "log_directory",
                "ssl_cert_file", "ssl_key_file")) {
            String value = settings.get(setting);
            if (value != null && value.startsWith("/")) {
                paths.add(value);
            }
        }
        Optional.ofNullable(settings.get("data_directory")).ifPresent(directory -> paths.add(directory + "/postgresql.auto.conf"));
        Optional.ofNullable(currentLogFile).filter(file -> file.startsWith("/")).ifPresent(paths::add);
        SettingCheck.items(settings.getOrDefault("unix_socket_directories", "")).stream()
                .filter(directory -> directory.startsWith("/")).forEach(paths::add);
        return paths.stream().distinct().toList();
    }

    private static Map<String, String> settings(JsonNode server) {
        Map<String, String> settings = new LinkedHashMap<>();
        server.path("settings").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        return settings;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static JsonNode json(List<String> lines) {
        try {
            return Json.JSON.readTree(String.join("\n", lines));
        } catch (IOException e) {
            throw new UncheckedIOException("the audit query did not return JSON", e);
        }
    }
}
