package io.tpa.operation.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.model.Json;
import io.tpa.operation.audit.NodeFacts.Expectations;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documents the audit queries return, as PostgreSQL 15 printed them, turned into facts. */
class FactsReaderTest {
    private static final String DATA = "/var/lib/tpa/groups/a-12812f/nodes/pg1/pgdata";

    @Test
    void readsSettingsHbaRulesRolesAndTablespaces() throws Exception {
        String server = """
                {"hba": [{"line": 3, "type": "local", "user": ["all"], "error": null, "method": "scram-sha-256", "address": null,
                          "netmask": null, "options": null, "database": ["all"]},
                         {"line": 7, "type": "hostssl", "user": ["all"], "error": null, "method": "scram-sha-256",
                          "address": "127.20.0.13", "netmask": "255.255.255.255", "options": null, "database": ["all"]},
                         {"line": 9, "type": "hostssl", "user": ["app"], "error": null, "method": "scram-sha-256",
                          "address": "10.1.0.0", "netmask": "255.255.0.0", "options": ["clientcert=verify-full"], "database": ["app"]}],
                 "roles": [{"name": "app", "login": true, "createdb": false, "password": "scram-sha-256", "bypassrls": false,
                            "superuser": false, "createrole": false, "replication": false, "server_access": []},
                           {"name": "postgres", "login": true, "createdb": true, "password": "scram-sha-256", "bypassrls": true,
                            "superuser": true, "createrole": true, "replication": true,
                            "server_access": ["pg_execute_server_program", "pg_read_server_files", "pg_write_server_files"]}],
                 "settings": {"hba_file": "%1$s/pg_hba.conf", "data_directory": "%1$s", "primary_conninfo": ""},
                 "databases": ["app", "postgres", "template1"],
                 "in_recovery": false,
                 "tablespaces": [{"name": "pg_default", "location": ""}],
                 "current_logfile": "/var/lib/tpa/groups/a-12812f/nodes/pg1/log/postgresql-Tue.log"}
                """.formatted(DATA);
        NodeFacts.DatabaseFacts app = FactsReader.database(Json.JSON.readTree("""
                {"name": "app", "extensions": ["plpgsql"], "public_acl": "{pg_database_owner=UC/pg_database_owner,=U/pg_database_owner}",
                 "public_create": false, "security_definer": [], "row_security_tables": 0}"""));

        NodeFacts facts = FactsReader.facts("pg1", Json.JSON.readTree(server), List.of(app), Map.of(), "15\n",
                new Expectations("postgres", "postgres", "replicator", List.of(), "", "127.20.0.13", false));

        assertThat(facts.primary()).isTrue();
        assertThat(facts.hba()).extracting(NodeFacts.HbaRule::describe).containsExactly(
                DATA + "/pg_hba.conf:3: local all all scram-sha-256",
                DATA + "/pg_hba.conf:7: hostssl all all 127.20.0.13/32 scram-sha-256",
                DATA + "/pg_hba.conf:9: hostssl app app 10.1.0.0/16 scram-sha-256 clientcert=verify-full");
        assertThat(facts.role("postgres").orElseThrow().serverAccess()).hasSize(3);
        assertThat(facts.role("app").orElseThrow().password()).isEqualTo("scram-sha-256");
        assertThat(facts.setting("primary_conninfo")).isEmpty();
        assertThat(facts.currentLogFile()).endsWith("postgresql-Tue.log");
        assertThat(facts.databases()).singleElement().satisfies(database -> assertThat(database.publicCanCreate()).isFalse());
        assertThat(facts.tablespaces()).singleElement().extracting(NodeFacts.Tablespace::location).isEqualTo("");
    }

    @Test
    void choosesTheFilesToCheckFromTheSettings() {
        Map<String, String> settings = Map.of("data_directory", DATA, "hba_file", DATA + "/pg_hba.conf", "log_directory", "log",
                "unix_socket_directories", "/run/a, /run/b", "ssl_key_file", "/tls/server.key");

        assertThat(FactsReader.filesToCheck(settings, "log/postgresql-Tue.log")).containsExactly(DATA, DATA + "/pg_hba.conf",
                "/tls/server.key", DATA + "/postgresql.auto.conf", "/run/a", "/run/b");
    }
}
