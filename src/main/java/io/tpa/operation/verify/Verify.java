package io.tpa.operation.verify;

import io.tpa.model.DeployedNode;
import io.tpa.operation.audit.Result;
import io.tpa.operation.verify.TestReport.CheckReport;
import io.tpa.operation.verify.TestReport.NodeState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * `tpa test`: checks that a deployed group works, one check after another: its services run, a write reaches every
 * replica, replicas keep up, connections need TLS and scram-sha-256, certificates do not expire soon, the running
 * parameters are what tpa computed, backups (when the group keeps any) and endpoints (when it has them) work, then
 * the group's own SQL checks under {@code tests/}. Reads only, apart from the write check's own table, which it drops.
 */
public final class Verify {
    /** tpa's own checks, in the order they run and are reported. */
    static final List<GroupCheck> CHECKS = List.of(new ServicesCheck(), new WriteCheck(), new LagCheck(), new TlsCheck(),
            new CertificatesCheck(), new DriftCheck(), new BackupsCheck(), new EndpointsCheck());

    private Verify() {
    }

    public static TestReport run(Path directory) {
        TestedGroup group = TestedGroup.open(directory);
        List<GroupCheck> checks = new ArrayList<>(CHECKS);
        checks.addAll(SqlFileCheck.discover(directory));
        List<CheckReport> reports = new ArrayList<>();
        for (GroupCheck check : checks) {
            reports.add(run(check, group));
        }
        List<NodeState> nodes = group.deployment().nodes().stream().map((DeployedNode node) -> new NodeState(node.name(), group.role(node),
                group.settings().containsKey(node.name()) ? "running" : group.problems().getOrDefault(node.name(), group.state(node)))).toList();
        return TestReport.of(group.deployment().group(), nodes, reports);
    }

    /** One check; a check that throws fails with the reason, so one broken check never hides the others. */
    static CheckReport run(GroupCheck check, TestedGroup group) {
        try {
            return check.run(group);
        } catch (RuntimeException e) {
            return new CheckReport(check.id(), check.title(), Result.FAIL, "could not run: " + (e.getMessage() == null ? e.toString() : e.getMessage()),
                    List.of(), "run again with --debug; see the nodes' logs (`tpa logs DIR`)");
        }
    }
}
