package io.tpa.operation.audit;

import io.tpa.component.ComponentException;
import io.tpa.component.PatroniApi.MemberStatus;
import io.tpa.host.Host;
import io.tpa.host.HostException;
import io.tpa.host.Platform;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Roles;
import io.tpa.operation.GroupAccess;
import io.tpa.operation.GroupHealth;
import io.tpa.operation.audit.AuditReport.CheckReport;
import io.tpa.operation.audit.AuditReport.NodeResult;
import io.tpa.operation.audit.AuditReport.NodeState;
import io.tpa.operation.audit.NodeFacts.Expectations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Checks a running group against a standard: reads the facts of every running node at once, then
 * evaluates each check of the catalog on each of them. A node that is down or cannot be queried fails
 * tpa-node-running and is left out of the other checks. A check that only a compliance policy the group does not
 * use sets up (pgAudit without {@code compliance: cis}) warns instead of failing.
 */
public final class Audit {
    private Audit() {
    }

    /** One node as the audit met it: the facts read from it, or why there are none. */
    record NodeOutcome(DeployedNode node, String role, Optional<NodeFacts> facts, String problem) {
    }

    public static AuditReport run(Path directory, Standard standard) {
        GroupAccess access = GroupAccess.open(directory);
        Deployment deployment = access.deployment();
        GroupHealth health = access.health();
        Platform platform = access.platform();
        String password = access.secrets().get(Roles.SUPERUSER);
        Map<String, CompletableFuture<NodeOutcome>> pending = new LinkedHashMap<>();
        for (DeployedNode node : deployment.nodes()) {
            pending.put(node.name(), CompletableFuture.supplyAsync(() -> {
                Optional<MemberStatus> member = health.member(node.name());
                String role = member.map(m -> m.isPrimary() ? "primary" : m.isStandbyLeader() ? "standby_leader" : "replica").orElse("unknown");
                if (member.isEmpty()) {
                    return new NodeOutcome(node, role, Optional.empty(), "Patroni does not answer at " + node.address());
                }
                if (!member.get().isRunning()) {
                    return new NodeOutcome(node, role, Optional.empty(), "PostgreSQL is " + member.get().state());
                }
                Host host = platform.host(node.address());
                try {
                    NodeFacts facts = FactsReader.read(host, deployment, node, password,
                            expectations(deployment, node, host.serviceUser()));
                    return new NodeOutcome(node, role, Optional.of(facts), null);
                } catch (ComponentException | HostException e) {
                    return new NodeOutcome(node, role, Optional.empty(), e.getMessage());
                } catch (RuntimeException e) {
                    return new NodeOutcome(node, role, Optional.empty(), "could not read the node's facts: " + e);
                }
            }));
        }
        List<NodeOutcome> outcomes = pending.values().stream().map(CompletableFuture::join).toList();
        return evaluate(deployment.group(), deployment.compliance(), AuditCatalog.load(), Checks.all(), outcomes, standard);
    }

    /** What tpa deployed for a node, for the checks that compare it with what runs. */
    static Expectations expectations(Deployment deployment, DeployedNode node, String serviceUser) {
        String preload = node.parameters().getOrDefault("shared_preload_libraries", "");
        return new Expectations(serviceUser, Roles.SUPERUSER, Roles.REPLICATION, deployment.extensions(), preload, node.address(),
                deployment.access().open());
    }

    /**
     * Evaluates the checks of a standard on the nodes' facts: no server needed, so tests call it with facts of their own.
     *
     * @param compliance the group's compliance policy, as applied ({@code none} or {@code cis})
     */
    static AuditReport evaluate(String group, String compliance, AuditCatalog catalog, Map<String, Check> logic,
                                List<NodeOutcome> outcomes, Standard standard) {
        List<CheckReport> reports = new ArrayList<>();
        int[] counts = new int[Result.values().length];
        for (CheckDefinition definition : catalog.checks(standard)) {
            List<NodeResult> results = new ArrayList<>();
            for (NodeOutcome outcome : outcomes) {
                String node = outcome.node().name();
                if (definition.id().equals(Checks.NODE_RUNNING)) {
                    results.add(outcome.facts().isPresent() ? new NodeResult(node, Result.PASS, "running (" + outcome.role() + ")")
                            : new NodeResult(node, Result.FAIL, outcome.problem()));
                } else {
                    outcome.facts().ifPresent(facts -> results.add(
                            result(definition, logic.get(definition.id()), node, facts, definition.onlyWarnsUnder(compliance))));
                }
            }
            // A manual check needs a person, not a node: it stays manual when no node could be read.
            Result result = definition.automated() ? Result.across(results.stream().map(NodeResult::result).toList()) : Result.MANUAL;
            counts[result.ordinal()]++;
            Map<String, List<String>> standards = new LinkedHashMap<>();
            for (Standard each : Standard.values()) {
                if (!definition.controls(each).isEmpty()) {
                    standards.put(each.key(), definition.controls(each));
                }
            }
            reports.add(new CheckReport(definition.id(), definition.title(), definition.severity(), result,
                    definition.controls(standard), standards, definition.remediation(), definition.manualReason(),
                    definition.compliance(), results));
        }
        List<NodeState> nodes = outcomes.stream().map(outcome -> new NodeState(outcome.node().name(), outcome.role(),
                outcome.facts().isPresent() ? "running" : outcome.problem())).toList();
        return new AuditReport(group, compliance, standard, catalog.title(standard), nodes, reports, new AuditReport.Summary(
                counts[Result.PASS.ordinal()], counts[Result.FAIL.ordinal()], counts[Result.WARN.ordinal()],
                counts[Result.MANUAL.ordinal()], counts[Result.NOT_APPLICABLE.ordinal()]));
    }

    /**
     * A check on one node. A manual check stays manual whatever its logic shows; a check whose logic throws
     * fails with the reason, so one broken fact never hides the rest of the report.
     *
     * @param warnOnly true when only a compliance policy the group does not use sets the check up: a failure warns
     */
    private static NodeResult result(CheckDefinition definition, Check check, String node, NodeFacts facts, boolean warnOnly) {
        if (check == null) {
            return new NodeResult(node, definition.automated() ? Result.FAIL : Result.MANUAL,
                    definition.automated() ? "no logic for this check in this version of tpa" : "");
        }
        Finding finding;
        try {
            finding = check.evaluate(facts);
        } catch (RuntimeException e) {
            finding = Finding.fail("could not evaluate: " + e);
        }
        Result result = !definition.automated() ? Result.MANUAL
                : finding.result() == Result.FAIL && warnOnly ? Result.WARN : finding.result();
        return new NodeResult(node, result, finding.evidence());
    }
}
