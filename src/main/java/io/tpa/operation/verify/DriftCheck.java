package io.tpa.operation.verify;

import io.tpa.component.Patroni;
import io.tpa.component.PostgresTuning;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.operation.audit.AuditReport.NodeResult;
import io.tpa.operation.audit.Result;
import io.tpa.operation.verify.ParameterDrift.Difference;
import io.tpa.operation.verify.TestReport.CheckReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every running node runs the parameters tpa computed for it (its size, the config's {@code postgres.parameters},
 * what tpa sets itself, its cluster's shared parameters), and nothing was set by hand with ALTER SYSTEM.
 * {@link ParameterDrift} compares them.
 */
final class DriftCheck implements GroupCheck {
    @Override
    public String id() {
        return "parameters";
    }

    @Override
    public String title() {
        return "Every node runs the parameters tpa computed from the config and sizes; none was set with ALTER SYSTEM";
    }

    @Override
    public CheckReport run(TestedGroup group) {
        List<NodeResult> nodes = new ArrayList<>();
        List<String> named = new ArrayList<>();
        int compared = 0;
        for (DeployedNode node : group.deployment().nodes()) {
            NodeSettings settings = group.settings().get(node.name());
            if (settings == null) {
                continue;
            }
            Map<String, String> expected = expected(group.deployment(), node);
            compared = expected.size();
            List<Difference> found = ParameterDrift.differences(expected, settings);
            found.forEach(difference -> named.add(difference.parameter() + " on " + node.name()));
            if (found.isEmpty()) {
                nodes.add(new NodeResult(node.name(), Result.PASS, expected.size() + " parameters as computed"));
            }
            // One result per difference: each names its parameter, on a line of its own.
            found.forEach(difference -> nodes.add(new NodeResult(node.name(), Result.FAIL, difference.description())));
        }
        String detail = named.isEmpty()
                ? "every running node runs the " + compared + " parameters tpa computed; nothing set with ALTER SYSTEM"
                : "differs from what tpa computed: " + String.join(", ", named);
        return report(nodes, detail, "undo a hand-made setting with `tpa psql DIR --node NODE -- -c 'ALTER SYSTEM RESET name' -c "
                + "'SELECT pg_reload_conf()'`, then `tpa apply DIR`; a change meant to last belongs in postgres.parameters in tpa.yml");
    }

    /** What tpa computed for a node: its own parameters and what tpa sets itself, then its cluster's shared ones. */
    static Map<String, String> expected(Deployment deployment, DeployedNode node) {
        Map<String, String> expected = new LinkedHashMap<>(Patroni.nodeParameters(deployment, node));
        DeployedCluster cluster = deployment.clusterOf(node);
        cluster.parameters().forEach((name, value) -> {
            // Patroni takes the shared parameters from its dynamic configuration only, whatever the node's file says.
            if (PostgresTuning.CLUSTER_WIDE.contains(name) || !expected.containsKey(name)) {
                expected.put(name, value);
            }
        });
        return expected;
    }
}
