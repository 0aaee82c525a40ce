package io.tpa.operation.apply;

import io.tpa.component.PasswordVerifier;
import io.tpa.component.Postgres;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Roles;
import io.tpa.security.Passwords;
import io.tpa.workspace.GroupDirectory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The group's roles can do what they are for and nothing more, with the passwords the group's
 * secrets hold (in the primary cluster; replicas and other clusters follow through WAL):
 * <ul>
 *   <li>{@value Roles#REPLICATION}: LOGIN REPLICATION; {@value Roles#REWIND}: LOGIN and EXECUTE on the
 *       functions pg_rewind needs (Patroni creates both at bootstrap; tpa puts them back if they drift);</li>
 *   <li>{@value Roles#MONITOR}: LOGIN, member of pg_monitor, CONNECT on database {@value Roles#APPLICATION_DATABASE};</li>
 *   <li>{@value Roles#APPLICATION}: LOGIN, owner of database {@value Roles#APPLICATION_DATABASE}, which only it and
 *       the monitoring role may connect to. Its schema public stays owned by pg_database_owner (PostgreSQL 15's
 *       default: the database's owner, so {@value Roles#APPLICATION}), and PUBLIC may not create in it, nor in the
 *       schema public of database postgres.</li>
 * </ul>
 * None of these roles is a superuser, creates roles or databases, or bypasses row-level security.
 * <p>
 * Passwords are checked, not assumed: the verifier PostgreSQL stores ({@code pg_authid.rolpassword}) is
 * compared with the password in the secrets, and a role gets a new one only when they differ. tpa sends
 * the server a SCRAM-SHA-256 verifier computed here, never the password, through psql's standard input,
 * with statement logging off for that session.
 */
final class RolesPhase implements Phase {
    /** The roles whose attributes tpa keeps (the superuser is Patroni's and stays as it is). */
    static final List<String> MANAGED = List.of(Roles.REPLICATION, Roles.REWIND, Roles.MONITOR, Roles.APPLICATION);
    private static final String DATABASE = Roles.APPLICATION_DATABASE;
    static final String QUIET_SESSION = """
            SET log_statement = 'none';
            SET log_min_duration_statement = -1;
            SET log_min_error_statement = 'panic';
            SET pg_stat_statements.track_utility = off;
            SET client_min_messages = warning;
            """;

    @Override
    public String title() {
        return "roles";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        DeployedCluster cluster = state.context().deployment().clusters().get(0);
        Optional<DeployedNode> leader = state.health().leader(cluster);
        Map<String, String> secrets = state.context().secrets();
        // Without a running primary (a plan before the first apply), Patroni has yet to create its roles.
        Facts facts = leader.map(node -> Facts.read(state, node, secrets.get(Roles.SUPERUSER))).orElse(Facts.BEFORE_BOOTSTRAP);
        List<Fix> fixes = fixes(facts, secrets);
        if (fixes.isEmpty()) {
            return List.of();
        }
        String description = fixes.stream().map(Fix::description).filter(d -> d != null).collect(Collectors.joining(", "));
        return List.of(new Action(title(), cluster.name(), description, false, () -> {
            DeployedNode node = state.health().leader(cluster).orElseThrow(
                    () -> new IllegalStateException("cluster " + cluster.name() + " has no primary to create roles on"));
            Map<String, String> passwords = savedPasswords(state.context().directory());
            Map<String, StringBuilder> scripts = new LinkedHashMap<>();
            for (Fix fix : fixes) {
                scripts.computeIfAbsent(fix.database(), database -> new StringBuilder(QUIET_SESSION))
                        .append(fix.sql().apply(passwords)).append('\n');
            }
            // Database postgres first: it creates the roles and the database the next script works in.
            scripts.forEach((database, script) -> Postgres.query(state.context().host(node), state.context().deployment(), node,
                    passwords.get(Roles.SUPERUSER), database, script.toString()));
        }));
    }

    /**
     * The group's secrets as saved, with a password for every role: one the secrets lack (a group
     * made before the role existed) is generated and saved before any role gets it.
     */
    static Map<String, String> savedPasswords(GroupDirectory directory) {
        Map<String, String> secrets = new LinkedHashMap<>(directory.secrets());
        boolean added = false;
        for (String role : Roles.ALL) {
            if (secrets.get(role) == null) {
                secrets.put(role, Passwords.generate());
                added = true;
            }
        }
        if (added || !directory.hasSecrets()) {
            directory.saveSecrets(secrets);
        }
        return secrets;
    }

    /** What differs from the roles, grants and database described above, in the order it must be fixed. */
    static List<Fix> fixes(Facts facts, Map<String, String> secrets) {
        List<Fix> fixes = new ArrayList<>();
        for (String role : MANAGED) {
            RoleFacts actual = facts.roles().get(role);
            if (actual == null) {
                if (!facts.bootstrapped() && Roles.PATRONI.contains(role)) {
                    continue; // Patroni creates it when it bootstraps the cluster
                }
                fixes.add(new Fix("create role " + role, "postgres",
                        passwords -> "CREATE ROLE " + identifier(role) + " WITH " + attributes(role)
                                + " PASSWORD " + literal(PasswordVerifier.scramSha256(passwords.get(role))) + ";"
                                + memberships(role).stream().map(group -> "\nGRANT " + identifier(group) + " TO " + identifier(role) + ";")
                                .collect(Collectors.joining())));
                continue;
            }
            if (!actual.hasAttributesOf(role)) {
                fixes.add(new Fix("set the attributes of role " + role + " (" + attributes(role) + ")", "postgres",
                        passwords -> "ALTER ROLE " + identifier(role) + " WITH " + attributes(role) + ";"));
            }
            for (String group : memberships(role)) {
                if (!actual.memberOf().contains(group)) {
                    fixes.add(new Fix("grant " + group + " to " + role, "postgres",
                            passwords -> "GRANT " + identifier(group) + " TO " + identifier(role) + ";"));
                }
            }
            for (String group : actual.memberOf()) {
                if (!memberships(role).contains(group)) {
                    fixes.add(new Fix("revoke " + group + " from " + role, "postgres",
                            passwords -> "REVOKE " + identifier(group) + " FROM " + identifier(role) + ";"));
                }
            }
        }
        for (String role : Roles.ALL) {
            RoleFacts actual = facts.roles().get(role);
            if (actual != null && !PasswordVerifier.matches(actual.verifier(), role, secrets.get(role))) {
                fixes.add(new Fix("set the password of role " + role, "postgres",
                        passwords -> "ALTER ROLE " + identifier(role) + " PASSWORD " + literal(PasswordVerifier.scramSha256(passwords.get(role))) + ";"));
            }
        }
        if (facts.bootstrapped()) {
            Set<String> missing = new TreeSet<>(Roles.REWIND_FUNCTIONS);
            missing.removeAll(facts.rewindFunctions());
            if (!missing.isEmpty()) {
                fixes.add(new Fix("grant " + Roles.REWIND + " EXECUTE on " + String.join(", ", missing), "postgres",
                        passwords -> missing.stream().map(f -> "GRANT EXECUTE ON FUNCTION pg_catalog." + f + " TO " + identifier(Roles.REWIND) + ";")
                                .collect(Collectors.joining("\n"))));
            }
            Set<String> extra = new TreeSet<>(facts.rewindFunctions());
            Roles.REWIND_FUNCTIONS.forEach(extra::remove);
            if (!extra.isEmpty()) {
                fixes.add(new Fix("revoke EXECUTE on " + String.join(", ", extra) + " from " + Roles.REWIND, "postgres",
                        passwords -> extra.stream().map(f -> "REVOKE EXECUTE ON FUNCTION " + f + " FROM " + identifier(Roles.REWIND) + ";")
                                .collect(Collectors.joining("\n"))));
            }
            if (facts.publicCreatesInPostgres()) {
                fixes.add(new Fix("revoke CREATE on schema public of database postgres from PUBLIC", "postgres",
                        passwords -> "REVOKE CREATE ON SCHEMA public FROM PUBLIC;"));
            }
        }
        Optional<DatabaseFacts> database = facts.database();
        if (database.isEmpty()) {
            fixes.add(new Fix("create database " + DATABASE + " owned by " + Roles.APPLICATION, "postgres",
                    passwords -> "CREATE DATABASE " + identifier(DATABASE) + " OWNER " + identifier(Roles.APPLICATION) + ";\n"
                            + "REVOKE ALL ON DATABASE " + identifier(DATABASE) + " FROM PUBLIC;\n"
                            + "GRANT CONNECT ON DATABASE " + identifier(DATABASE) + " TO " + identifier(Roles.APPLICATION) + ", "
                            + identifier(Roles.MONITOR) + ";"));
            fixes.add(schemaFix(null)); // a new database gets PostgreSQL 15's defaults: checked, not announced
            return fixes;
        }
        DatabaseFacts actual = database.get();
        if (!actual.owner().equals(Roles.APPLICATION)) {
            fixes.add(new Fix("make " + Roles.APPLICATION + " the owner of database " + DATABASE, "postgres",
                    passwords -> "ALTER DATABASE " + identifier(DATABASE) + " OWNER TO " + identifier(Roles.APPLICATION) + ";"));
        }
        if (!actual.privileges().getOrDefault("PUBLIC", Set.of()).isEmpty()) {
            fixes.add(new Fix("revoke database " + DATABASE + " from PUBLIC", "postgres",
                    passwords -> "REVOKE ALL ON DATABASE " + identifier(DATABASE) + " FROM PUBLIC;"));
        }
        for (String role : List.of(Roles.APPLICATION, Roles.MONITOR)) {
            if (!actual.privileges().getOrDefault(role, Set.of()).contains("CONNECT")) {
                fixes.add(new Fix("grant CONNECT on database " + DATABASE + " to " + role, "postgres",
                        passwords -> "GRANT CONNECT ON DATABASE " + identifier(DATABASE) + " TO " + identifier(role) + ";"));
            }
        }
        if (!actual.applicationCreatesInPublic() || actual.publicCreatesInPublic()) {
            fixes.add(schemaFix("give schema public of database " + DATABASE + " to its owner alone"));
        }
        return fixes;
    }

    private static Fix schemaFix(String description) {
        return new Fix(description, DATABASE,
                passwords -> "CREATE SCHEMA IF NOT EXISTS public;\n"
                        + "ALTER SCHEMA public OWNER TO pg_database_owner;\n"
                        + "REVOKE CREATE ON SCHEMA public FROM PUBLIC;");
    }

    /** Every attribute, so that one ALTER ROLE puts back whatever drifted. */
    static String attributes(String role) {
        return "LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB " + (role.equals(Roles.REPLICATION) ? "REPLICATION" : "NOREPLICATION")
                + " NOBYPASSRLS";
    }

    static Set<String> memberships(String role) {
        return role.equals(Roles.MONITOR) ? Set.of("pg_monitor") : Set.of();
    }

    private static String identifier(String name) {
        return Postgres.quoteIdentifier(name);
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /**
     * One change: what the plan shows (null when it completes the change before it), the database it runs
     * in, and its SQL given the group's passwords (so that a password comes from the secrets as saved
     * when it runs, never from the plan).
     */
    record Fix(String description, String database, Function<Map<String, String>, String> sql) {
    }

    /** A role as pg_authid has it. */
    record RoleFacts(boolean superuser, boolean createRole, boolean createDatabase, boolean login, boolean replication,
                     boolean bypassRowSecurity, String verifier, Set<String> memberOf) {
        boolean hasAttributesOf(String role) {
            return login && !superuser && !createRole && !createDatabase && !bypassRowSecurity
                    && replication == role.equals(Roles.REPLICATION);
        }
    }

    /**
     * The application database: its owner, and the privileges on it by grantee ("PUBLIC" for everyone);
     * whether the application role can create in its schema public, and whether PUBLIC can.
     */
    record DatabaseFacts(String owner, Map<String, Set<String>> privileges, boolean applicationCreatesInPublic,
                         boolean publicCreatesInPublic) {
    }

    /** What the primary has now. */
    record Facts(boolean bootstrapped, Map<String, RoleFacts> roles, Set<String> rewindFunctions, boolean publicCreatesInPostgres,
                 Optional<DatabaseFacts> database) {
        static final Facts BEFORE_BOOTSTRAP = new Facts(false, Map.of(), Set.of(), false, Optional.empty());

        static Facts read(ApplyState state, DeployedNode node, String superuserPassword) {
            List<String> rows = Postgres.query(state.context().host(node), state.context().deployment(), node, superuserPassword,
                    "postgres", factsQuery());
            Map<String, RoleFacts> roles = new HashMap<>();
            Set<String> rewindFunctions = new LinkedHashSet<>();
            boolean publicCreates = false;
            String owner = null;
            Map<String, Set<String>> privileges = new HashMap<>();
            for (String row : rows) {
                String[] fields = row.split("\\|", -1);
                switch (fields[0]) {
                    case "role" -> roles.put(fields[1], new RoleFacts(t(fields[2]), t(fields[3]), t(fields[4]), t(fields[5]), t(fields[6]),
                            t(fields[7]), fields[8], fields[9].isEmpty() ? Set.of() : Set.of(fields[9].split(","))));
                    case "rewind" -> rewindFunctions.add(fields[1]);
                    case "public" -> publicCreates = t(fields[1]);
                    case "database" -> {
                        owner = fields[1];
                        privileges.computeIfAbsent(fields[2], grantee -> new TreeSet<>()).add(fields[3]);
                    }
                    default -> throw new IllegalStateException("unexpected row from the roles query: " + fields[0]);
                }
            }
            Optional<DatabaseFacts> database = Optional.empty();
            if (owner != null) {
                boolean applicationCreates = false;
                boolean everyoneCreates = false;
                for (String row : Postgres.query(state.context().host(node), state.context().deployment(), node, superuserPassword,
                        DATABASE, schemaQuery())) {
                    String[] fields = row.split("\\|", -1);
                    boolean create = fields[2].equals("CREATE");
                    applicationCreates |= create && (fields[1].equals(Roles.APPLICATION)
                            || (fields[1].equals(fields[0]) && (fields[0].equals(Roles.APPLICATION) || fields[0].equals("pg_database_owner"))));
                    everyoneCreates |= create && fields[1].equals("PUBLIC");
                }
                database = Optional.of(new DatabaseFacts(owner, privileges, applicationCreates, everyoneCreates));
            }
            return new Facts(true, roles, rewindFunctions, publicCreates, database);
        }

        private static boolean t(String field) {
            return field.equals("t");
        }

        private static String factsQuery() {
            String names = Roles.ALL.stream().map(RolesPhase::literal).collect(Collectors.joining(", "));
            return """
                    SELECT 'role', r.rolname, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin, r.rolreplication,
                           r.rolbypassrls, coalesce(r.rolpassword, ''),
                           coalesce((SELECT string_agg(g.rolname, ',' ORDER BY g.rolname) FROM pg_auth_members m
                                     JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid), '')
                      FROM pg_authid r WHERE r.rolname IN (%s);
                    SELECT 'rewind', p.oid::regprocedure
                      FROM pg_proc p CROSS JOIN LATERAL aclexplode(p.proacl) a JOIN pg_roles g ON g.oid = a.grantee
                     WHERE g.rolname = %s AND a.privilege_type = 'EXECUTE';
                    SELECT 'public', EXISTS (SELECT 1 FROM pg_namespace n
                                             CROSS JOIN LATERAL aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
                                             WHERE n.nspname = 'public' AND a.grantee = 0 AND a.privilege_type = 'CREATE');
                    SELECT 'database', pg_get_userbyid(d.datdba), coalesce(g.rolname, 'PUBLIC'), a.privilege_type
                      FROM pg_database d CROSS JOIN LATERAL aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
                      LEFT JOIN pg_roles g ON g.oid = a.grantee
                     WHERE d.datname = %s;
                    """.formatted(names, literal(Roles.REWIND), literal(DATABASE));
        }

        /** The owner of schema public and who may do what in it. */
        private static String schemaQuery() {
            return """
                    SELECT pg_get_userbyid(n.nspowner), coalesce(g.rolname, 'PUBLIC'), a.privilege_type
                      FROM pg_namespace n CROSS JOIN LATERAL aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
                      LEFT JOIN pg_roles g ON g.oid = a.grantee
                     WHERE n.nspname = 'public';
                    """;
        }
    }
}
