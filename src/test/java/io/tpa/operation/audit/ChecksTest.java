package io.tpa.operation.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.operation.audit.NodeFacts.DatabaseFacts;
import io.tpa.operation.audit.NodeFacts.HbaRule;
import io.tpa.operation.audit.NodeFacts.Tablespace;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The logic of the checks, on facts written by hand: a node as tpa deploys it, with one thing changed. */
class ChecksTest {
    @Test
    void aCompliantNodePassesEveryAutomatedCheck() {
        NodeFacts facts = new CompliantNode().facts();
        AuditCatalog catalog = AuditCatalog.load();
        Checks.all().forEach((id, check) -> {
            Finding finding = check.evaluate(facts);
            Result expected = catalog.check(id).orElseThrow().automated() ? Result.PASS : Result.MANUAL;
            if (id.equals("cis-3.1.10") || id.equals("cis-3.1.11") || id.equals("cis-3.1.12") || id.equals("cis-3.1.13")) {
                expected = Result.NOT_APPLICABLE;
            } else if (id.equals("cis-7.5")) {
                expected = Result.NOT_APPLICABLE;
            }
            assertThat(finding.result()).as(id + ": " + finding.evidence()).isEqualTo(expected);
            assertThat(finding.evidence()).as(id).isNotBlank();
        });
    }

    @Test
    void aTrustLineFailsWithItsFileAndLineNumber() {
        CompliantNode node = new CompliantNode();
        node.hba.add(CompliantNode.rule(12, "host", "all", "all", "127.0.0.1", "trust"));

        Finding finding = node.check("cis-5.2");

        assertThat(finding.result()).isEqualTo(Result.FAIL);
        assertThat(finding.evidence()).isEqualTo(CompliantNode.HBA + ":12: host all all 127.0.0.1/32 trust (uses trust, password, md5, ident)");
        assertThat(node.check("tpa-hba-hostssl").evidence()).contains(":12: host all all 127.0.0.1/32 trust (admits connections without TLS)");
        assertThat(node.check("cis-5.1").result()).as("the Unix socket lines are fine").isEqualTo(Result.PASS);
    }

    @Test
    void weakMethodsOnTheSocketFailTheLocalCheck() {
        CompliantNode node = new CompliantNode();
        node.hba.set(0, CompliantNode.rule(3, "local", "all", "all", null, "md5"));

        assertThat(node.check("cis-5.1").evidence()).isEqualTo(CompliantNode.HBA + ":3: local all all md5 (uses trust, password, md5, ident)");
        assertThat(node.check("cis-5.2").result()).isEqualTo(Result.PASS);
    }

    @Test
    void aLineWithAnErrorFails() {
        CompliantNode node = new CompliantNode();
        node.hba.add(new HbaRule(CompliantNode.HBA, 9, "hostssl", List.of("all"), List.of("all"), null, null, null, List.of(),
                "invalid authentication method \"tust\""));

        assertThat(node.check("cis-5.2").result()).isEqualTo(Result.FAIL);
        assertThat(node.check("cis-5.2").evidence()).contains(":9: hostssl all all (error: invalid authentication method \"tust\")");
    }

    @Test
    void passingHbaChecksCountTheLines() {
        assertThat(new CompliantNode().check("cis-5.2").evidence())
                .isEqualTo("4 TCP/IP lines in " + CompliantNode.HBA + ": 4 hostssl scram-sha-256");
    }

    @Test
    void aLoggingSettingTurnedOffFailsWithItsValue() {
        Finding finding = new CompliantNode().set("log_connections", "off").check("cis-3.1.20");

        assertThat(finding).isEqualTo(Finding.fail("log_connections = off; expected on"));
    }

    @Test
    void theLinePrefixNeedsTimeProcessUserDatabaseAndClient() {
        assertThat(new CompliantNode().set("log_line_prefix", "%m [%p] %q%u@%d ").check("cis-3.1.24").evidence())
                .isEqualTo("log_line_prefix = '%m [%p] %q%u@%d '; lacks %h or %r");
        assertThat(new CompliantNode().set("log_line_prefix", "%t [%c] user=%u db=%d host=%r ").check("cis-3.1.24").result())
                .isEqualTo(Result.PASS);
        assertThat(new CompliantNode().set("log_line_prefix", "").check("cis-3.1.24").evidence())
                .isEqualTo("log_line_prefix = ''; lacks %m or %t or %n, %p or %c, %u, %d, %h or %r");
    }

    @Test
    void logStatementNoneFailsAndStricterValuesPass() {
        assertThat(new CompliantNode().set("log_statement", "none").check("cis-3.1.25").result()).isEqualTo(Result.FAIL);
        assertThat(new CompliantNode().set("log_statement", "all").check("cis-3.1.25").result()).isEqualTo(Result.PASS);
        assertThat(new CompliantNode().set("log_min_messages", "error").check("cis-3.1.14").result()).isEqualTo(Result.FAIL);
        assertThat(new CompliantNode().set("log_timezone", "Europe/Paris").check("cis-3.1.26").evidence())
                .isEqualTo("log_timezone = Europe/Paris; expected UTC");
        assertThat(new CompliantNode().set("log_timezone", "Etc/UTC").check("cis-3.1.26").result()).isEqualTo(Result.PASS);
    }

    @Test
    void logFilesReadableByOthersFail() {
        CompliantNode node = new CompliantNode().set("log_file_mode", "0644").file(CompliantNode.NODE + "/log/postgresql-Tue.log", 0644);

        assertThat(node.check("cis-3.1.6").evidence())
                .isEqualTo("log_file_mode is 0644, not 0600; " + CompliantNode.NODE + "/log/postgresql-Tue.log has mode 0644");
        assertThat(new CompliantNode().set("log_rotation_age", "10080").check("cis-3.1.8").result()).isEqualTo(Result.FAIL);
    }

    @Test
    void pgauditNeedsThePreloadTheExtensionAndTheStatementClasses() {
        assertThat(new CompliantNode().check("cis-3.2")).isEqualTo(Finding.pass("pgaudit preloaded and created; pgaudit.log = 'ddl,role,write'"));

        CompliantNode without = new CompliantNode().set("shared_preload_libraries", "pg_stat_statements").set("pgaudit.log", "ddl");
        without.databases.set(0, CompliantNode.database("postgres", List.of("plpgsql")));
        without.settings.remove("pgaudit.log");
        assertThat(without.check("cis-3.2").evidence()).isEqualTo(
                "pgaudit is not in shared_preload_libraries ('pg_stat_statements'); extension pgaudit does not exist in database postgres; "
                        + "pgaudit.log = '' lacks ddl, role, write");

        assertThat(LoggingChecks.pgauditClasses("all, -misc")).contains("ddl", "role", "write").doesNotContain("misc");
        assertThat(LoggingChecks.pgauditClasses("write,-write,ddl")).containsExactly("ddl");
        assertThat(LoggingChecks.pgauditClasses("none")).isEmpty();
    }

    @Test
    void syslogChecksApplyOnlyWhenLoggingToSyslog() {
        assertThat(new CompliantNode().check("cis-3.1.11")).isEqualTo(Finding.notApplicable("log_destination = stderr: no syslog"));
        CompliantNode syslog = new CompliantNode().set("log_destination", "stderr,syslog").set("syslog_sequence_numbers", "off");
        assertThat(syslog.check("cis-3.1.11").result()).isEqualTo(Result.FAIL);
        assertThat(syslog.check("cis-3.1.10")).isEqualTo(Finding.manual("syslog_facility = local0"));
    }

    @Test
    void aSecondSuperuserFails() {
        CompliantNode node = new CompliantNode();
        node.roles.add(CompliantNode.role("admin", true, false, "scram-sha-256"));

        assertThat(node.check("tpa-single-superuser")).isEqualTo(Finding.fail("superusers: postgres, admin"));
        assertThat(new CompliantNode().check("tpa-single-superuser")).isEqualTo(Finding.pass("superusers: postgres"));
    }

    @Test
    void administrativeAttributesOfOrdinaryRolesFail() {
        CompliantNode node = new CompliantNode();
        node.roles.add(new NodeFacts.RoleFacts("ops", false, true, true, true, false, true, "scram-sha-256", List.of()));

        assertThat(node.check("cis-4.2")).isEqualTo(Finding.fail("ops has CREATEROLE CREATEDB REPLICATION"));
        assertThat(node.check("cis-7.1").result()).as("the replication-only role is still replicator").isEqualTo(Result.PASS);
    }

    @Test
    void serverFileAccessOfOrdinaryRolesFails() {
        CompliantNode node = new CompliantNode();
        node.roles.add(new NodeFacts.RoleFacts("etl", false, false, false, false, false, true, "scram-sha-256",
                List.of("pg_read_server_files")));

        assertThat(node.check("tpa-server-file-roles")).isEqualTo(Finding.fail("etl is a member of pg_read_server_files"));
    }

    @Test
    void weakPasswordStorageNamesTheRoleAndNeverTheHash() {
        CompliantNode node = new CompliantNode();
        node.roles.add(CompliantNode.role("legacy", false, false, "md5"));
        node.roles.add(CompliantNode.role("careless", false, false, "plaintext"));

        assertThat(node.check("tpa-password-hashes"))
                .isEqualTo(Finding.fail("legacy has an md5 password; careless has an unhashed password"));
        assertThat(new CompliantNode().set("password_encryption", "md5").check("tpa-password-encryption").result()).isEqualTo(Result.FAIL);
    }

    @Test
    void publicCreateInADatabaseFailsNamingIt() {
        CompliantNode node = new CompliantNode();
        node.databases.add(new DatabaseFacts("legacy", List.of("plpgsql"), "{postgres=UC/postgres,=UC/postgres}", true, List.of(), 0));

        assertThat(node.check("tpa-public-schema"))
                .isEqualTo(Finding.fail("PUBLIC may create in legacy: schema public ACL {postgres=UC/postgres,=UC/postgres}"));
    }

    @Test
    void extensionsTheConfigDoesNotListFail() {
        CompliantNode node = new CompliantNode();
        node.databases.set(2, CompliantNode.database("app", List.of("pgcrypto", "plpgsql")));

        assertThat(node.check("tpa-extensions-allowed")).isEqualTo(Finding.fail("not in postgres.extensions: app: pgcrypto"));
    }

    @Test
    void securityDefinerFunctionsAreListedForReview() {
        CompliantNode node = new CompliantNode();
        node.databases.set(2, new DatabaseFacts("app", List.of("plpgsql"), null, false, List.of("public.become_admin()"), 0));

        assertThat(node.check("cis-4.3")).isEqualTo(Finding.manual("review SECURITY DEFINER functions: app: public.become_admin()"));
    }

    @Test
    void filesOpenToOthersFail() {
        assertThat(new CompliantNode().file(CompliantNode.DATA, 0750).check("cis-1.3"))
                .isEqualTo(Finding.fail(CompliantNode.DATA + ": mode 0750, not 0700"));
        assertThat(new CompliantNode().file(CompliantNode.DATA, 0700, "root").check("cis-1.3").evidence()).contains("owned by root, not postgres");
        CompliantNode versionless = new CompliantNode();
        versionless.versionFile = null;
        assertThat(versionless.check("cis-1.3").evidence()).contains("PG_VERSION is missing, not 15");
        assertThat(new CompliantNode().file(CompliantNode.HBA, 0664).check("tpa-config-files"))
                .isEqualTo(Finding.fail(CompliantNode.HBA + " is writable by group or others (mode 0664)"));
        assertThat(new CompliantNode().file(CompliantNode.NODE + "/run", 0755).check("tpa-socket-directory").result()).isEqualTo(Result.FAIL);
        assertThat(new CompliantNode().file(CompliantNode.NODE + "/run", 0755).set("unix_socket_permissions", "0700")
                .check("tpa-socket-directory").result()).isEqualTo(Result.PASS);
        assertThat(new CompliantNode().file(CompliantNode.NODE + "/tls/server.key", 0640).check("cis-6.8").evidence())
                .endsWith("server.key has mode 0640, not 0600");
    }

    @Test
    void listeningOnEveryInterfaceNeedsPublicAccess() {
        CompliantNode node = new CompliantNode().set("listen_addresses", "*");
        assertThat(node.check("tpa-listen-addresses"))
                .isEqualTo(Finding.fail("listen_addresses = *; expected only the node's address 127.20.0.4"));
        node.publicAccess = true;
        assertThat(node.check("tpa-listen-addresses").result()).isEqualTo(Result.PASS);
    }

    @Test
    void replicasMustVerifyThePrimary() {
        CompliantNode replica = new CompliantNode();
        replica.primary = false;
        replica.set("primary_conninfo", "user=replicator passfile=/x host=127.20.0.4 port=5432 sslmode=require application_name=pg2");
        assertThat(replica.check("cis-7.5")).isEqualTo(Finding.fail("primary_conninfo sslmode = require; expected verify-full"));
        replica.set("primary_conninfo", "user=replicator host=127.20.0.4 sslmode=verify-full sslrootcert=/ca.crt");
        assertThat(replica.check("cis-7.5")).isEqualTo(Finding.pass("primary_conninfo sslmode = verify-full"));
    }

    @Test
    void replicationOpenToEveryRoleFails() {
        CompliantNode node = new CompliantNode();
        node.hba.add(CompliantNode.rule(8, "hostssl", "replication", "all", "10.0.0.0", "scram-sha-256"));

        assertThat(node.check("cis-7.1").evidence()).contains(":8: hostssl replication all 10.0.0.0/32 scram-sha-256 (admits others than replicator)");
    }

    @Test
    void serverLayoutAndLibraries() {
        CompliantNode node = new CompliantNode();
        node.tablespaces.add(new Tablespace("fast", CompliantNode.DATA + "/fast"));
        assertThat(node.check("cis-8.1").evidence()).contains("tablespace fast at " + CompliantNode.DATA + "/fast");
        assertThat(new CompliantNode().set("session_preload_libraries", "auto_explain").check("cis-8.3").evidence())
                .isEqualTo("session_preload_libraries = auto_explain; expected empty");
        assertThat(new CompliantNode().set("shared_preload_libraries", "pgaudit, pg_stat_statements").check("tpa-preload-libraries").result())
                .as("order aside").isEqualTo(Result.PASS);
        assertThat(new CompliantNode().set("shared_preload_libraries", "pgaudit,evil").check("tpa-preload-libraries").result())
                .isEqualTo(Result.FAIL);
        assertThat(new CompliantNode().set("ssl_min_protocol_version", "TLSv1").check("tpa-tls-min-version").result()).isEqualTo(Result.FAIL);
        assertThat(new CompliantNode().set("jit_debugging_support", "on").check("cis-6.2").evidence())
                .isEqualTo("jit_debugging_support = on; expected off");
    }

    @Test
    void resultsAcrossNodes() {
        assertThat(Result.across(List.of(Result.PASS, Result.FAIL))).isEqualTo(Result.FAIL);
        assertThat(Result.across(List.of(Result.PASS, Result.MANUAL))).isEqualTo(Result.MANUAL);
        assertThat(Result.across(List.of(Result.PASS, Result.NOT_APPLICABLE))).isEqualTo(Result.PASS);
        assertThat(Result.across(List.of(Result.NOT_APPLICABLE))).isEqualTo(Result.NOT_APPLICABLE);
        assertThat(Result.across(List.of())).as("nothing was checked").isEqualTo(Result.FAIL);
    }

    @Test
    void settingEvidenceQuotesValuesWithSpaces() {
        assertThat(SettingCheck.show("log_statement", "ddl")).isEqualTo("log_statement = ddl");
        assertThat(SettingCheck.show("archive_command", "")).isEqualTo("archive_command = ''");
        assertThat(SettingCheck.items("pgaudit, \"pg_stat_statements\"")).isEqualTo(List.of("pgaudit", "pg_stat_statements"));
    }
}
