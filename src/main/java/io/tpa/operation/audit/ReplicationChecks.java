package io.tpa.operation.audit;

import io.tpa.operation.audit.NodeFacts.HbaRule;
import io.tpa.operation.audit.NodeFacts.RoleFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks of streaming replication: who may replicate, and how replicas reach their primary (CIS section 7). */
final class ReplicationChecks {
    private static final Pattern SSLMODE = Pattern.compile("(?:^|\\s)sslmode\\s*=\\s*'?([a-z-]+)");
    private static final List<String> VERIFYING_MODES = List.of("verify-full", "verify-ca");

    private ReplicationChecks() {
    }

    /** pg_hba admits only the replication role to replication, and that role can do nothing else. */
    static Check replicationRole() {
        return node -> {
            String expected = node.expected().replicationRole();
            List<String> problems = new ArrayList<>();
            for (HbaRule rule : node.hba()) {
                if (rule.databases().contains("replication") && !rule.users().equals(List.of(expected))) {
                    problems.add(rule.describe() + " (admits others than " + expected + ")");
                }
            }
            Optional<RoleFacts> role = node.role(expected);
            if (role.isEmpty()) {
                problems.add("role " + expected + " does not exist");
            } else if (!role.get().replication() || role.get().superuser() || role.get().createRole() || role.get().createDb()
                    || role.get().bypassRls()) {
                problems.add("role " + expected + " is not LOGIN REPLICATION with nothing else");
            }
            return problems.isEmpty() ? Finding.pass("replication lines of pg_hba admit only " + expected + ", a replication-only role")
                    : Finding.fail(String.join("; ", problems));
        };
    }

    /** A replica's primary_conninfo verifies the primary's certificate. Shows only the sslmode, never the conninfo. */
    static Check replicaConnection() {
        return node -> {
            if (node.primary()) {
                return Finding.notApplicable("primary: it streams from no one");
            }
            String conninfo = String.valueOf(node.setting("primary_conninfo"));
            Matcher matcher = SSLMODE.matcher(conninfo);
            String mode = matcher.find() ? matcher.group(1) : "prefer (not set)";
            return Finding.passIf(VERIFYING_MODES.contains(mode), "primary_conninfo sslmode = " + mode
                    + (VERIFYING_MODES.contains(mode) ? "" : "; expected verify-full"));
        };
    }
}
