package io.tpa.operation.verify;

import io.tpa.host.CommandResult;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Roles;
import io.tpa.operation.audit.AuditReport.NodeResult;
import io.tpa.operation.audit.Result;
import io.tpa.operation.verify.NodeSettings.HbaRule;
import io.tpa.operation.verify.TestReport.CheckReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL takes TLS connections only, and scram-sha-256 passwords only, on every running node:
 * <ul>
 *   <li>from the node's host, a connection to its address without TLS is refused by pg_hba;</li>
 *   <li>one with TLS, the certificate verified against the group's CA and its name ({@code verify-full}), and
 *       {@code channel_binding=require} (which only SCRAM can satisfy) logs in, and pg_stat_ssl reports its TLS version;</li>
 *   <li>the settings: ssl on, TLS 1.2 or later, password_encryption scram-sha-256;</li>
 *   <li>every line of pg_hba.conf is {@code hostssl} or {@code local}, with scram-sha-256 (or reject), and every role's
 *       password is stored as a SCRAM verifier.</li>
 * </ul>
 */
final class TlsCheck implements GroupCheck {
    @Override
    public String id() {
        return "tls";
    }

    @Override
    public String title() {
        return "PostgreSQL takes TLS connections only (1.2 or later), with scram-sha-256 passwords only";
    }

    @Override
    public CheckReport run(TestedGroup group) {
        List<DeployedNode> running = group.deployment().nodes().stream().filter(node -> group.settings().containsKey(node.name())).toList();
        Map<DeployedNode, NodeResult> results = group.eachNode(running, node -> {
            List<String> wrong = new ArrayList<>(settingsProblems(group.settings().get(node.name())));
            String where = "host=" + node.address() + " port=" + Deployment.POSTGRES_PORT + " dbname=postgres user=" + Roles.SUPERUSER;
            CommandResult plain = group.psqlOverTcp(node, where + " sslmode=disable", null, "SELECT 1");
            if (plain.ok() || !plain.stderr().contains("no pg_hba.conf entry")) {
                wrong.add("a connection without TLS was not refused by pg_hba" + (plain.ok() ? " (it logged in)" : ": " + plain.lastErrorLine()));
            }
            CommandResult secure = group.psqlOverTcp(node, where + " sslmode=verify-full sslrootcert=" + group.caFile(node)
                    + " channel_binding=require", group.superuserPassword(), "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
            String version = null;
            if (!secure.ok()) {
                wrong.add("a TLS connection with scram-sha-256 failed: " + secure.lastErrorLine());
            } else if (!secure.stdout().strip().startsWith("t|TLSv1.")) {
                wrong.add("the connection is not encrypted: pg_stat_ssl says " + secure.stdout().strip());
            } else {
                version = secure.stdout().strip().substring(2);
            }
            return wrong.isEmpty() ? new NodeResult(node.name(), Result.PASS, "without TLS refused; " + version + " with scram-sha-256")
                    : new NodeResult(node.name(), Result.FAIL, String.join("; ", wrong));
        });
        List<NodeResult> nodes = List.copyOf(results.values());
        String detail = nodes.stream().allMatch(n -> n.result() == Result.PASS)
                ? "every running node refuses connections without TLS and logs in with TLS and scram-sha-256 (" + nodes.size() + (nodes.size() == 1 ? " node)" : " nodes)")
                : nodes.stream().filter(n -> n.result() == Result.FAIL).count() + " node(s) accept less than TLS with scram-sha-256";
        return report(nodes, detail, "remove the hand-made lines from the node's pg_hba.conf and undo ALTER SYSTEM settings (ALTER SYSTEM RESET), "
                + "then reload: `tpa psql DIR --node NODE -- -c 'SELECT pg_reload_conf()'`; `tpa audit DIR` shows more");
    }

    /** What the settings, pg_hba.conf and the stored passwords of a node allow beyond TLS and scram-sha-256 (empty when nothing). */
    static List<String> settingsProblems(NodeSettings node) {
        List<String> wrong = new ArrayList<>();
        if (!"on".equals(node.value("ssl"))) {
            wrong.add("ssl = " + node.value("ssl"));
        }
        String minimum = node.value("ssl_min_protocol_version");
        if (minimum == null || !(minimum.equals("TLSv1.2") || minimum.equals("TLSv1.3"))) {
            wrong.add("ssl_min_protocol_version = " + minimum + "; expected TLSv1.2 or later");
        }
        if (!"scram-sha-256".equals(node.value("password_encryption"))) {
            wrong.add("password_encryption = " + node.value("password_encryption") + "; expected scram-sha-256");
        }
        for (HbaRule rule : node.hba()) {
            if (rule.error() != null) {
                wrong.add("pg_hba.conf line " + rule.line() + ": " + rule.error());
            } else if (!rule.type().equals("hostssl") && !rule.type().equals("local")) {
                wrong.add("pg_hba.conf line " + rule.line() + " is " + rule.type() + ", which allows connections without TLS");
            } else if (!rule.method().equals("scram-sha-256") && !rule.method().equals("reject")) {
                wrong.add("pg_hba.conf line " + rule.line() + " authenticates with " + rule.method());
            }
        }
        node.passwords().forEach((role, storage) -> {
            if (!storage.equals("scram-sha-256")) {
                wrong.add("role " + role + "'s password is stored as " + storage);
            }
        });
        return wrong;
    }
}
