package io.tpa.operation.verify;

import io.tpa.host.CommandResult;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.EndpointsSpec;
import io.tpa.model.Roles;
import io.tpa.operation.audit.AuditReport.NodeResult;
import io.tpa.operation.audit.Result;
import io.tpa.operation.verify.TestReport.CheckReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * With endpoints, every node's HAProxy (standby clusters' nodes included) routes correctly: from the node's host, a
 * connection to each of its four ports lands where it should (read-write, directly or through pgbouncer, on the
 * primary; read-only on a replica while a replica of the primary cluster streams, else on the primary), over TLS with
 * the certificate verified against the group's CA. Direct ports log in as the superuser, pooled ones as the application role (pgbouncer lets no superuser in).
 */
final class EndpointsCheck implements GroupCheck {
    @Override
    public String id() {
        return "endpoints";
    }

    @Override
    public String title() {
        return "Every node's endpoints route read-write to the primary and read-only to a replica";
    }

    @Override
    public CheckReport run(TestedGroup group) {
        if (group.endpoints() == null) {
            return CheckReport.skipped(id(), title(), "the group has no endpoints");
        }
        DeployedNode primary = group.primary().orElse(null);
        if (primary == null) {
            return failed("no running primary to route to", "see `tpa status DIR`");
        }
        // HAProxy's read-only ports choose among the primary cluster's replicas (a standby cluster's leader streams too, but is not one).
        DeployedCluster cluster = group.deployment().clusterOf(primary);
        boolean replicaStreams = group.health().member(primary.name()).map(m -> m.streamingReplicas().stream()
                .anyMatch(name -> cluster.nodes().stream().anyMatch(n -> n.name().equals(name)))).orElse(false);
        List<DeployedNode> nodes = group.deployment().nodes();
        Map<DeployedNode, NodeResult> results = group.eachNode(nodes, node -> {
            List<String> wrong = new ArrayList<>();
            List<String> seen = new ArrayList<>();
            for (Map.Entry<String, Integer> endpoint : EndpointsSpec.PORTS.entrySet()) {
                if (endpoint.getKey().equals("pgbouncer")) {
                    continue;
                }
                boolean pooled = endpoint.getKey().endsWith("_pooled");
                boolean readWrite = endpoint.getKey().startsWith("rw");
                String user = pooled ? Roles.APPLICATION : Roles.SUPERUSER;
                String database = pooled ? Roles.APPLICATION_DATABASE : "postgres";
                CommandResult result = group.psqlOverTcp(node, "host=" + node.address() + " port=" + endpoint.getValue() + " dbname=" + database
                        + " user=" + user + " sslmode=verify-ca sslrootcert=" + group.caFile(node), group.access().secrets().get(user),
                        "SELECT pg_is_in_recovery(), host(inet_server_addr())");
                if (!result.ok()) {
                    wrong.add(endpoint.getKey() + " (" + endpoint.getValue() + ") failed: " + result.lastErrorLine());
                    continue;
                }
                String[] fields = result.stdout().strip().split("\\|", -1);
                boolean replica = fields[0].equals("t");
                String server = fields.length > 1 ? name(group, fields[1]).orElse(fields[1]) : "?";
                seen.add(endpoint.getKey() + " → " + server);
                if (readWrite && replica) {
                    wrong.add(endpoint.getKey() + " (" + endpoint.getValue() + ") reached " + server + ", a replica");
                } else if (!readWrite && replicaStreams && !replica) {
                    wrong.add(endpoint.getKey() + " (" + endpoint.getValue() + ") reached the primary " + server + " while a replica streams");
                }
            }
            return wrong.isEmpty() ? new NodeResult(node.name(), Result.PASS, String.join(", ", seen))
                    : new NodeResult(node.name(), Result.FAIL, String.join("; ", wrong));
        });
        List<NodeResult> reports = List.copyOf(results.values());
        String detail = reports.stream().allMatch(n -> n.result() == Result.PASS)
                ? "on " + reports.size() + " nodes, rw and rw_pooled reach " + primary.name() + ", ro and ro_pooled "
                + (replicaStreams ? "a replica" : "the primary (no replica streams)")
                : reports.stream().filter(n -> n.result() == Result.FAIL).count() + " node(s) route wrongly or refuse";
        return report(reports, detail, "see the node's HAProxy and pgbouncer logs (`tpa logs DIR NODE --service haproxy`), then `tpa apply DIR`");
    }

    /** The node with this address. */
    private static Optional<String> name(TestedGroup group, String address) {
        return group.deployment().nodes().stream().filter(n -> n.address().equals(address)).map(DeployedNode::name).findFirst();
    }
}
