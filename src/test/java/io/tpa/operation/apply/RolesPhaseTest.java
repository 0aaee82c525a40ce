package io.tpa.operation.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.component.PasswordVerifier;
import io.tpa.model.Roles;
import io.tpa.operation.apply.RolesPhase.DatabaseFacts;
import io.tpa.operation.apply.RolesPhase.Facts;
import io.tpa.operation.apply.RolesPhase.Fix;
import io.tpa.operation.apply.RolesPhase.RoleFacts;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolesPhaseTest {
    private static final Map<String, String> SECRETS = secrets();

    private static Map<String, String> secrets() {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String role : Roles.ALL) {
            secrets.put(role, (role + "Password0123456789abcdefghijkl").substring(0, 32));
        }
        return secrets;
    }

    private static RoleFacts role(String name, boolean replication, Set<String> memberOf) {
        return new RoleFacts(false, false, false, true, replication, false,
                PasswordVerifier.scramSha256(SECRETS.get(name)), memberOf);
    }

    /** A primary where everything is as it should be. */
    private static Facts converged() {
        Map<String, RoleFacts> roles = new HashMap<>();
        roles.put(Roles.SUPERUSER, new RoleFacts(true, true, true, true, true, true,
                PasswordVerifier.scramSha256(SECRETS.get(Roles.SUPERUSER)), Set.of()));
        roles.put(Roles.REPLICATION, role(Roles.REPLICATION, true, Set.of()));
        roles.put(Roles.REWIND, role(Roles.REWIND, false, Set.of()));
        roles.put(Roles.MONITOR, role(Roles.MONITOR, false, Set.of("pg_monitor")));
        roles.put(Roles.APPLICATION, role(Roles.APPLICATION, false, Set.of()));
        Map<String, Set<String>> privileges = Map.of(Roles.APPLICATION, Set.of("CONNECT", "CREATE", "TEMPORARY"),
                Roles.MONITOR, Set.of("CONNECT"));
        return new Facts(true, roles, Set.copyOf(Roles.REWIND_FUNCTIONS), false,
                Optional.of(new DatabaseFacts(Roles.APPLICATION, privileges, true, false)));
    }

    private static List<String> descriptions(List<Fix> fixes) {
        return fixes.stream().map(Fix::description).filter(d -> d != null).toList();
    }

    private static String sql(List<Fix> fixes) {
        StringBuilder sql = new StringBuilder();
        fixes.forEach(fix -> sql.append(fix.sql().apply(SECRETS)).append('\n'));
        return sql.toString();
    }

    @Test
    void aConvergedPrimaryNeedsNothing() {
        assertThat(RolesPhase.fixes(converged(), SECRETS)).isEmpty();
    }

    @Test
    void beforeBootstrapItPlansOnlyWhatTpaCreatesNotPatronisRoles() {
        List<Fix> fixes = RolesPhase.fixes(Facts.BEFORE_BOOTSTRAP, SECRETS);

        assertThat(descriptions(fixes)).containsExactly("create role tpa_monitor", "create role app", "create database app owned by app");
        String sql = sql(fixes);
        assertThat(sql).contains("CREATE ROLE \"tpa_monitor\" WITH LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS "
                        + "PASSWORD 'SCRAM-SHA-256$4096:")
                .contains("GRANT \"pg_monitor\" TO \"tpa_monitor\";")
                .contains("CREATE DATABASE \"app\" OWNER \"app\";", "REVOKE ALL ON DATABASE \"app\" FROM PUBLIC;",
                        "GRANT CONNECT ON DATABASE \"app\" TO \"app\", \"tpa_monitor\";", "REVOKE CREATE ON SCHEMA public FROM PUBLIC;");
        assertThat(fixes.get(fixes.size() - 1).database()).as("the schema is fixed inside the new database").isEqualTo("app");
    }

    @Test
    void noPasswordEverAppearsInThePlanOrTheSql() {
        Facts facts = converged();
        Map<String, String> changed = new LinkedHashMap<>(SECRETS);
        changed.put(Roles.APPLICATION, "AnotherApplicationPassword000000");
        List<Fix> fixes = RolesPhase.fixes(facts, changed);
        List<Fix> all = new java.util.ArrayList<>(fixes);
        all.addAll(RolesPhase.fixes(Facts.BEFORE_BOOTSTRAP, changed));

        assertThat(descriptions(fixes)).containsExactly("set the password of role app");
        StringBuilder sql = new StringBuilder();
        all.forEach(fix -> sql.append(fix.sql().apply(changed)));
        for (String password : changed.values()) {
            assertThat(String.join(" ", descriptions(all))).doesNotContain(password);
            assertThat(sql.toString()).doesNotContain(password);
        }
    }

    @Test
    void driftIsPutBackAndOnlyWhatDrifted() {
        Facts facts = converged();
        Map<String, RoleFacts> roles = new HashMap<>(facts.roles());
        roles.put(Roles.REPLICATION, new RoleFacts(true, false, false, true, true, false,
                roles.get(Roles.REPLICATION).verifier(), Set.of()));
        roles.put(Roles.MONITOR, role(Roles.MONITOR, false, Set.of("pg_read_all_data")));
        roles.remove(Roles.APPLICATION);
        Set<String> rewind = new java.util.HashSet<>(Roles.REWIND_FUNCTIONS);
        rewind.remove("pg_stat_file(text,boolean)");
        rewind.add("pg_read_file(text)");
        Map<String, Set<String>> privileges = Map.of("PUBLIC", Set.of("CONNECT", "TEMPORARY"), Roles.APPLICATION, Set.of("CONNECT"));
        Facts drifted = new Facts(true, roles, rewind, true,
                Optional.of(new DatabaseFacts(Roles.SUPERUSER, privileges, false, true)));

        List<Fix> fixes = RolesPhase.fixes(drifted, SECRETS);

        assertThat(descriptions(fixes)).containsExactly(
                "set the attributes of role replicator (LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB REPLICATION NOBYPASSRLS)",
                "grant pg_monitor to tpa_monitor",
                "revoke pg_read_all_data from tpa_monitor",
                "create role app",
                "grant rewinder EXECUTE on pg_stat_file(text,boolean)",
                "revoke EXECUTE on pg_read_file(text) from rewinder",
                "revoke CREATE on schema public of database postgres from PUBLIC",
                "make app the owner of database app",
                "revoke database app from PUBLIC",
                "grant CONNECT on database app to tpa_monitor",
                "give schema public of database app to its owner alone");
        assertThat(sql(fixes)).contains("ALTER ROLE \"replicator\" WITH LOGIN NOSUPERUSER", "REVOKE \"pg_read_all_data\" FROM \"tpa_monitor\";",
                "GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_file(text,boolean) TO \"rewinder\";",
                "REVOKE EXECUTE ON FUNCTION pg_read_file(text) FROM \"rewinder\";", "ALTER DATABASE \"app\" OWNER TO \"app\";",
                "ALTER SCHEMA public OWNER TO pg_database_owner;");
    }

    @Test
    void theSuperuserKeepsItsAttributes() {
        Facts facts = converged();

        assertThat(RolesPhase.MANAGED).doesNotContain(Roles.SUPERUSER);
        assertThat(facts.roles().get(Roles.SUPERUSER).hasAttributesOf(Roles.SUPERUSER)).isFalse();
        assertThat(RolesPhase.fixes(facts, SECRETS)).isEmpty();
    }
}
