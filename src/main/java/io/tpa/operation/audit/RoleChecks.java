package io.tpa.operation.audit;

import io.tpa.operation.audit.NodeFacts.RoleFacts;
import java.util.ArrayList;
import java.util.List;

/** Checks of the roles in pg_authid: who holds administrative power, and how passwords are stored (CIS 4 and 5). */
final class RoleChecks {
    private RoleChecks() {
    }

    /** The bootstrap superuser is the only superuser. */
    static Check singleSuperuser() {
        return node -> {
            List<String> superusers = node.roles().stream().filter(RoleFacts::superuser).map(RoleFacts::name).toList();
            String evidence = "superusers: " + (superusers.isEmpty() ? "none" : String.join(", ", superusers));
            return Finding.passIf(superusers.equals(List.of(node.expected().superuser())), evidence);
        };
    }

    /** Only the superuser may create roles or databases or bypass row security; only it and the replication role replicate. */
    static Check administrativeAttributes() {
        return node -> {
            List<String> problems = new ArrayList<>();
            for (RoleFacts role : node.roles()) {
                if (role.superuser()) {
                    continue;
                }
                List<String> attributes = new ArrayList<>();
                if (role.createRole()) {
                    attributes.add("CREATEROLE");
                }
                if (role.createDb()) {
                    attributes.add("CREATEDB");
                }
                if (role.bypassRls()) {
                    attributes.add("BYPASSRLS");
                }
                if (role.replication() && !role.name().equals(node.expected().replicationRole())) {
                    attributes.add("REPLICATION");
                }
                if (!attributes.isEmpty()) {
                    problems.add(role.name() + " has " + String.join(" ", attributes));
                }
            }
            return problems.isEmpty()
                    ? Finding.pass("no role but " + node.expected().superuser() + " has CREATEROLE, CREATEDB or BYPASSRLS; REPLICATION: "
                            + String.join(", ", node.roles().stream().filter(r -> r.replication() && !r.superuser()).map(RoleFacts::name).toList()))
                    : Finding.fail(String.join("; ", problems));
        };
    }

    /** No ordinary role is a member of pg_read_server_files, pg_write_server_files or pg_execute_server_program. */
    static Check serverFileAccess() {
        return node -> {
            List<String> problems = node.roles().stream()
                    .filter(role -> !role.superuser() && !role.predefined() && !role.serverAccess().isEmpty())
                    .map(role -> role.name() + " is a member of " + String.join(", ", role.serverAccess())).toList();
            return problems.isEmpty() ? Finding.pass("no role but superusers has server file or program access")
                    : Finding.fail(String.join("; ", problems));
        };
    }

    /** No role's password is stored as an md5 hash or in plain text. Names roles only, never their passwords. */
    static Check passwordStorage() {
        return node -> {
            List<String> problems = node.roles().stream()
                    .filter(role -> role.password().equals("md5") || role.password().equals("plaintext"))
                    .map(role -> role.name() + " has an " + (role.password().equals("md5") ? "md5" : "unhashed") + " password").toList();
            long scram = node.roles().stream().filter(role -> role.password().equals("scram-sha-256")).count();
            return problems.isEmpty() ? Finding.pass(scram + " roles have passwords, all SCRAM-SHA-256 verifiers")
                    : Finding.fail(String.join("; ", problems));
        };
    }
}
