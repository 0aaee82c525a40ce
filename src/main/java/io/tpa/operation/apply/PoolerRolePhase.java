package io.tpa.operation.apply;

import io.tpa.component.PasswordVerifier;
import io.tpa.component.Pgbouncer;
import io.tpa.component.Postgres;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Roles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * With {@code endpoints:}, the primary cluster has pgbouncer's lookup role {@value Pgbouncer#LOOKUP_ROLE} (LOGIN and
 * nothing else, with the password of the group's secrets, CONNECT on database {@value Roles#APPLICATION_DATABASE})
 * and the lookup function in every database of {@link Pgbouncer#LOOKUP_DATABASES}. Without it, neither is left.
 * Like the other roles, the password is checked against the verifier PostgreSQL stores and sent only as a verifier.
 */
final class PoolerRolePhase implements Phase {
    private static final String ROLE = Pgbouncer.LOOKUP_ROLE;

    @Override
    public String title() {
        return "pooler role";
    }

    /** What the primary has: the role's attributes and verifier (when it exists) and the databases with the function. */
    record Facts(Optional<String> role, List<String> databases, List<String> withFunction) {
        static final Facts NOTHING = new Facts(Optional.empty(), List.of(), List.of());
    }

    @Override
    public List<Action> plan(ApplyState state) {
        boolean wanted = state.context().spec().endpoints() != null;
        DeployedCluster cluster = state.context().deployment().clusters().get(0);
        Optional<DeployedNode> leader = state.health().leader(cluster);
        if (!wanted && leader.isEmpty()) {
            return List.of();
        }
        // Without endpoints, a group that never had them costs one query: the functions go only with the role.
        Facts facts = leader.map(node -> read(state, node, wanted)).orElse(Facts.NOTHING);
        String password = state.context().secrets().get(ROLE);
        List<String> fixes = new ArrayList<>();
        if (wanted) {
            if (facts.role().isEmpty()) {
                fixes.add("create role " + ROLE);
            } else {
                String[] fields = facts.role().get().split("\\|", -1);
                if (!String.join("|", List.of(fields).subList(0, 7)).equals("t|f|f|f|f|f|t")) {
                    fixes.add("set the attributes of role " + ROLE + " (LOGIN and nothing else)");
                }
                if (!PasswordVerifier.matches(fields[7], ROLE, password)) {
                    fixes.add("set the password of role " + ROLE);
                }
            }
            List<String> missing = Pgbouncer.LOOKUP_DATABASES.stream().filter(database -> !facts.withFunction().contains(database)).toList();
            if (!missing.isEmpty()) {
                fixes.add("create pgbouncer's lookup function in " + String.join(", ", missing));
            }
        } else if (facts.role().isPresent() || !facts.withFunction().isEmpty()) {
            fixes.add("drop role " + ROLE + " and pgbouncer's lookup function (no endpoints in the config)");
        }
        if (fixes.isEmpty()) {
            return List.of();
        }
        return List.of(new Action(title(), cluster.name(), String.join(", ", fixes), false, () -> {
            DeployedNode node = state.health().leader(cluster).orElseThrow(
                    () -> new IllegalStateException("cluster " + cluster.name() + " has no primary to create roles on"));
            Map<String, String> secrets = state.context().secrets();
            String superuser = secrets.get(Roles.SUPERUSER);
            Facts now = read(state, node, true);
            if (wanted) {
                String attributes = "LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS NOINHERIT";
                String verifier = "'" + PasswordVerifier.scramSha256(secrets.get(ROLE)).replace("'", "''") + "'";
                String role = Postgres.quoteIdentifier(ROLE);
                query(state, node, superuser, "postgres", (now.role().isEmpty() ? "CREATE ROLE " : "ALTER ROLE ") + role + " WITH "
                        + attributes + " PASSWORD " + verifier + ";\n"
                        + "GRANT CONNECT ON DATABASE " + Postgres.quoteIdentifier(Roles.APPLICATION_DATABASE) + " TO " + role + ";");
                for (String database : now.databases()) {
                    query(state, node, superuser, database, Pgbouncer.lookupSql());
                }
            } else {
                for (String database : now.databases()) {
                    query(state, node, superuser, database, Pgbouncer.dropLookupSql());
                }
                if (now.role().isPresent()) {
                    String role = Postgres.quoteIdentifier(ROLE);
                    query(state, node, superuser, "postgres", (now.databases().contains(Roles.APPLICATION_DATABASE)
                            ? "REVOKE ALL ON DATABASE " + Postgres.quoteIdentifier(Roles.APPLICATION_DATABASE) + " FROM " + role + ";\n" : "")
                            + "DROP ROLE " + role + ";");
                }
            }
        }));
    }

    private static void query(ApplyState state, DeployedNode node, String superuser, String database, String sql) {
        Postgres.query(state.context().host(node), state.context().deployment(), node, superuser, database, RolesPhase.QUIET_SESSION + sql);
    }

    /** @param functions look for the lookup function in each database even when the role does not exist */
    private static Facts read(ApplyState state, DeployedNode node, boolean functions) {
        String superuser = state.context().secrets().get(Roles.SUPERUSER);
        String names = Pgbouncer.LOOKUP_DATABASES.stream().map(name -> "'" + name + "'").reduce((a, b) -> a + ", " + b).orElseThrow();
        List<String> rows = Postgres.query(state.context().host(node), state.context().deployment(), node, superuser, "postgres", """
                SELECT 'role', rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls,
                       NOT rolinherit, coalesce(rolpassword, '') FROM pg_authid WHERE rolname = '%s';
                SELECT 'database', datname FROM pg_database WHERE datname IN (%s) AND datallowconn;
                """.formatted(ROLE, names));
        Optional<String> role = rows.stream().filter(row -> row.startsWith("role|")).findFirst().map(row -> row.substring("role|".length()));
        List<String> databases = rows.stream().filter(row -> row.startsWith("database|")).map(row -> row.substring("database|".length()))
                .sorted(java.util.Comparator.comparingInt(Pgbouncer.LOOKUP_DATABASES::indexOf)).toList();
        List<String> withFunction = new ArrayList<>();
        for (String database : functions || role.isPresent() ? databases : List.<String>of()) {
            List<String> found = Postgres.query(state.context().host(node), state.context().deployment(), node, superuser, database,
                    "SELECT to_regprocedure('" + Pgbouncer.LOOKUP_SCHEMA + ".lookup(text)') IS NOT NULL");
            if (found.equals(List.of("t"))) {
                withFunction.add(database);
            }
        }
        return new Facts(role, databases, List.copyOf(withFunction));
    }
}
