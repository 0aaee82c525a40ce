package io.tpa.operation.verify;

import io.tpa.component.Etcd;
import io.tpa.component.Haproxy;
import io.tpa.component.Patroni;
import io.tpa.component.Pgbouncer;
import io.tpa.host.ServiceState;
import io.tpa.model.DeployedNode;
import io.tpa.operation.audit.AuditReport.NodeResult;
import io.tpa.operation.audit.Result;
import io.tpa.operation.verify.TestReport.CheckReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every service of every node runs: etcd on the etcd members, Patroni, PostgreSQL (as Patroni reports it), and
 * pgbouncer and HAProxy in a group with endpoints. Read from each host's service manager and each node's Patroni.
 */
final class ServicesCheck implements GroupCheck {
    @Override
    public String id() {
        return "services";
    }

    @Override
    public String title() {
        return "Every service runs on every node: etcd (on its members), Patroni, PostgreSQL, and pgbouncer and HAProxy with endpoints";
    }

    @Override
    public CheckReport run(TestedGroup group) {
        Map<DeployedNode, NodeResult> results = group.eachNode(group.deployment().nodes(), node -> {
            List<String> wrong = new ArrayList<>();
            Map<String, ServiceState> states;
            try {
                states = group.platform().serviceManager(group.host(node), group.deployment().key()).states();
            } catch (RuntimeException e) {
                return new NodeResult(node.name(), Result.FAIL, "cannot ask its service manager: " + e.getMessage());
            }
            for (String service : services(group, node)) {
                ServiceState state = states.get(service);
                if (state == null) {
                    wrong.add(service + " is not defined");
                } else if (state.status() != ServiceState.Status.RUNNING) {
                    wrong.add(service + " is " + state.status().name().toLowerCase(java.util.Locale.ROOT));
                }
            }
            if (group.health().member(node.name()).isEmpty()) {
                wrong.add("Patroni does not answer");
            } else if (!group.running(node)) {
                wrong.add("PostgreSQL is " + group.state(node));
            }
            return wrong.isEmpty() ? new NodeResult(node.name(), Result.PASS, String.join(", ", services(group, node)) + ", PostgreSQL running")
                    : new NodeResult(node.name(), Result.FAIL, String.join("; ", wrong));
        });
        List<NodeResult> nodes = List.copyOf(results.values());
        long down = nodes.stream().filter(n -> n.result() == Result.FAIL).count();
        String detail = down == 0 ? "every service runs on " + nodes.size() + " node" + (nodes.size() == 1 ? "" : "s")
                + " (etcd, Patroni, PostgreSQL" + (group.endpoints() != null ? ", pgbouncer, HAProxy" : "") + ")"
                : down + " of " + nodes.size() + " nodes have a service down: " + nodes.stream()
                .filter(n -> n.result() == Result.FAIL).map(NodeResult::node).collect(java.util.stream.Collectors.joining(", "));
        return report(nodes, detail, "see the node's logs (`tpa logs DIR NODE`), then run `tpa apply DIR`: it starts what is down");
    }

    /** The services the node should run, by their names in its service manager. */
    static List<String> services(TestedGroup group, DeployedNode node) {
        List<String> services = new ArrayList<>();
        if (node.etcdMember()) {
            services.add(Etcd.serviceName(node));
        }
        services.add(Patroni.serviceName(node));
        if (group.endpoints() != null) {
            services.add(Pgbouncer.serviceName(node));
            services.add(Haproxy.serviceName(node));
        }
        return services;
    }
}
