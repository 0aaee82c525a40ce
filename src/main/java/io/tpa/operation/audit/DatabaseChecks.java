package io.tpa.operation.audit;

import io.tpa.operation.audit.NodeFacts.DatabaseFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Checks made in every database that accepts connections: extensions, schema public, functions, row security. */
final class DatabaseChecks {
    /** In every database from the start, and needed by PostgreSQL itself. */
    private static final String BUILT_IN_LANGUAGE = "plpgsql";

    private DatabaseChecks() {
    }

    /** Every extension in every database is one the config lists. */
    static Check extensionsAllowed() {
        return node -> {
            List<String> problems = new ArrayList<>();
            for (DatabaseFacts database : node.databases()) {
                List<String> unexpected = database.extensions().stream()
                        .filter(e -> !e.equals(BUILT_IN_LANGUAGE) && !node.expected().extensions().contains(e)).toList();
                if (!unexpected.isEmpty()) {
                    problems.add(database.name() + ": " + String.join(", ", unexpected));
                }
            }
            if (!problems.isEmpty()) {
                return Finding.fail("not in postgres.extensions: " + String.join("; ", problems));
            }
            return Finding.pass(node.databases().stream().map(d -> d.name() + ": " + String.join(", ", d.extensions()))
                    .collect(Collectors.joining("; ")));
        };
    }

    /** PUBLIC may not create in schema public (the PostgreSQL 15 default), in any database. */
    static Check publicSchema() {
        return node -> {
            List<String> problems = node.databases().stream().filter(DatabaseFacts::publicCanCreate)
                    .map(d -> d.name() + ": schema public ACL " + d.publicSchemaAcl()).toList();
            return problems.isEmpty()
                    ? Finding.pass("PUBLIC cannot create in schema public in " + node.databases().stream().map(DatabaseFacts::name)
                            .collect(Collectors.joining(", ")))
                    : Finding.fail("PUBLIC may create in " + String.join("; ", problems));
        };
    }

    /** tpa's own: pgbouncer's lookup function of a group with endpoints (docs/routing.md), reviewed with tpa. */
    static final String POOLER_LOOKUP = io.tpa.component.Pgbouncer.LOOKUP_SCHEMA + ".lookup(text)";

    /** Passes when no database has SECURITY DEFINER functions of its own (tpa's pooler lookup aside); lists them for review otherwise. */
    static Check securityDefinerFunctions() {
        return node -> {
            List<String> functions = node.databases().stream()
                    .map(d -> java.util.Map.entry(d.name(), d.securityDefiner().stream().filter(f -> !f.equals(POOLER_LOOKUP)).toList()))
                    .filter(d -> !d.getValue().isEmpty())
                    .map(d -> d.getKey() + ": " + String.join(", ", d.getValue())).toList();
            return functions.isEmpty() ? Finding.pass("no SECURITY DEFINER functions outside extensions")
                    : Finding.manual("review SECURITY DEFINER functions: " + String.join("; ", functions));
        };
    }

    /** The evidence for a review of row level security: how many tables of each database have it. */
    static Check rowSecurityEvidence() {
        return node -> Finding.manual("tables with row level security: " + node.databases().stream()
                .map(d -> d.name() + " " + d.rowSecurityTables()).collect(Collectors.joining(", ")));
    }
}
