package io.tpa.operation.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.model.DeployedNode;
import io.tpa.model.Json;
import io.tpa.operation.audit.Audit.NodeOutcome;
import io.tpa.operation.audit.AuditReport.CheckReport;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the audit turns each node's facts into a report: results across nodes, a node that is down, standards. */
class AuditTest {
    private static final AuditCatalog CATALOG = AuditCatalog.load();

    @Test
    void aCompliantGroupHasNoFailure() {
        AuditReport report = Audit.evaluate("sales", "cis", CATALOG, Checks.all(), List.of(running("pg1", new CompliantNode())), Standard.CIS);

        assertThat(report.passed()).as(failures(report)).isTrue();
        assertThat(report.summary().failed()).isZero();
        assertThat(report.summary().passed() + report.summary().manual() + report.summary().notApplicable()).isEqualTo(CATALOG.checks().size());
        assertThat(report.summary().manual()).as("manual checks are reported, not failed").isGreaterThan(10);
        assertThat(check(report, "cis-1.1").result()).isEqualTo(Result.MANUAL);
        assertThat(check(report, "cis-1.1").manualReason()).contains("apt");
        assertThat(check(report, "cis-1.4").nodes().get(0).evidence()).isEqualTo("server_version = '15.18 (Debian 15.18-0+deb12u1)'");
    }

    @Test
    void aDefaultGroupPassesAndWarnsOfWhatOnlyCisSetsUp() {
        AuditReport report = Audit.evaluate("sales", "none", CATALOG, Checks.all(),
                List.of(running("pg1", CompliantNode.withoutPolicy()), running("pg2", CompliantNode.withoutPolicy())), Standard.CIS);

        assertThat(report.passed()).as(failures(report)).isTrue();
        assertThat(report.compliance()).isEqualTo("none");
        assertThat(report.summary().failed()).isZero();
        assertThat(report.summary().warned()).isEqualTo(1);
        assertThat(report.checks()).filteredOn(c -> c.result() == Result.WARN).extracting(CheckReport::id)
                .containsExactly("cis-3.2");
        CheckReport pgaudit = check(report, "cis-3.2");
        assertThat(pgaudit.compliance()).isEqualTo("cis");
        assertThat(pgaudit.remediation()).startsWith("Set `compliance: cis`");
        assertThat(pgaudit.nodes()).extracting(AuditReport.NodeResult::result).containsExactly(Result.WARN, Result.WARN);
        assertThat(pgaudit.nodes().get(0).evidence()).contains("pgaudit is not in shared_preload_libraries");
        for (String id : List.of("cis-3.1.2", "cis-3.1.26", "cis-3.1.20", "cis-3.1.21", "cis-3.1.22", "cis-3.1.24", "cis-3.1.25", "cis-7.2")) {
            assertThat(check(report, id).result()).as(id + " passes on tpa's defaults: " + check(report, id).nodes()).isEqualTo(Result.PASS);
        }
    }

    @Test
    void underCisWhatOnlyCisSetsUpFailsAndAPassingOneStaysAPass() {
        AuditReport cis = Audit.evaluate("sales", "cis", CATALOG, Checks.all(), List.of(running("pg1", CompliantNode.withoutPolicy())), Standard.CIS);
        assertThat(check(cis, "cis-3.2").result()).isEqualTo(Result.FAIL);
        assertThat(cis.summary().failed()).isEqualTo(1);
        assertThat(cis.summary().warned()).isZero();

        CompliantNode ownPgaudit = new CompliantNode();
        AuditReport none = Audit.evaluate("sales", "none", CATALOG, Checks.all(), List.of(running("pg1", ownPgaudit)), Standard.CIS);
        assertThat(check(none, "cis-3.2").result()).as("pgAudit set up by hand passes without the policy").isEqualTo(Result.PASS);
        assertThat(none.summary().warned()).isZero();

        AuditReport broken = Audit.evaluate("sales", "none", CATALOG, Checks.all(),
                List.of(running("pg1", CompliantNode.withoutPolicy().set("log_connections", "off"))), Standard.CIS);
        assertThat(check(broken, "cis-3.1.20").result()).as("every group logs connections: no warning for it").isEqualTo(Result.FAIL);
        assertThat(broken.passed()).isFalse();
    }

    @Test
    void aWarningOnOneNodeAndAFailureOnAnotherFail() {
        assertThat(Result.across(List.of(Result.PASS, Result.WARN))).isEqualTo(Result.WARN);
        assertThat(Result.across(List.of(Result.WARN, Result.FAIL))).isEqualTo(Result.FAIL);
        assertThat(Result.across(List.of(Result.WARN, Result.MANUAL))).isEqualTo(Result.WARN);
        assertThat(Result.across(List.of(Result.NOT_APPLICABLE, Result.PASS))).isEqualTo(Result.PASS);
    }

    @Test
    void aFailureOnOneNodeFailsTheCheckAndTheAudit() {
        CompliantNode bad = new CompliantNode();
        bad.hba.add(CompliantNode.rule(12, "host", "all", "all", "0.0.0.0", "trust"));
        AuditReport report = Audit.evaluate("sales", "cis", CATALOG, Checks.all(),
                List.of(running("pg1", new CompliantNode()), running("pg2", bad)), Standard.CIS);

        CheckReport hosts = check(report, "cis-5.2");
        assertThat(hosts.result()).isEqualTo(Result.FAIL);
        assertThat(hosts.nodes()).extracting(AuditReport.NodeResult::node, AuditReport.NodeResult::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pg1", Result.PASS), org.assertj.core.groups.Tuple.tuple("pg2", Result.FAIL));
        assertThat(hosts.nodes().get(1).evidence()).contains("pg_hba.conf:12: host all all 0.0.0.0/32 trust");
        assertThat(report.passed()).isFalse();
        assertThat(report.summary().failed()).as("cis-5.2 and tpa-hba-hostssl").isEqualTo(2);
    }

    @Test
    void aNodeThatIsDownFailsTheRunningCheckAndIsLeftOutOfTheOthers() {
        AuditReport report = Audit.evaluate("sales", "cis", CATALOG, Checks.all(), List.of(running("pg1", new CompliantNode()),
                new NodeOutcome(node("pg2"), "unknown", Optional.empty(), "Patroni does not answer at 127.20.0.5")), Standard.CIS);

        CheckReport running = check(report, Checks.NODE_RUNNING);
        assertThat(running.result()).isEqualTo(Result.FAIL);
        assertThat(running.nodes().get(1)).isEqualTo(new AuditReport.NodeResult("pg2", Result.FAIL, "Patroni does not answer at 127.20.0.5"));
        assertThat(check(report, "cis-3.1.20").nodes()).extracting(AuditReport.NodeResult::node).containsExactly("pg1");
        assertThat(report.summary().failed()).isEqualTo(1);
        assertThat(report.nodes().get(1).state()).isEqualTo("Patroni does not answer at 127.20.0.5");
    }

    @Test
    void withNoNodeRunningNothingPasses() {
        AuditReport report = Audit.evaluate("sales", "cis", CATALOG, Checks.all(),
                List.of(new NodeOutcome(node("pg1"), "unknown", Optional.empty(), "PostgreSQL is stopped")), Standard.CIS);

        long manual = CATALOG.checks().stream().filter(check -> !check.automated()).count();
        assertThat(report.summary().passed()).isZero();
        assertThat(report.summary().failed()).isEqualTo(CATALOG.checks().size() - manual);
        assertThat(report.summary().manual()).as("a manual check needs a person, not a node").isEqualTo(manual);
    }

    @Test
    void aStandardShowsItsControls() {
        AuditReport report = Audit.evaluate("sales", "cis", CATALOG, Checks.all(), List.of(running("pg1", new CompliantNode())), Standard.PCI_DSS);

        assertThat(report.standardTitle()).isEqualTo("PCI DSS v4.0");
        assertThat(report.checks()).extracting(CheckReport::id).doesNotContain("tpa-data-checksums");
        assertThat(check(report, "cis-3.1.20").controls()).containsExactly("10.2.1", "10.2.1.4", "10.2.2");
        assertThat(check(report, "cis-3.1.20").standards()).containsKeys("cis", "pci-dss", "hipaa", "iso27001");
        assertThat(check(report, Checks.NODE_RUNNING).controls()).as("in every standard, with no PCI control of its own").isEmpty();
    }

    @Test
    void aManualCheckNeverFailsEvenWhenItsEvidenceLooksBad() {
        Map<String, Check> logic = new java.util.HashMap<>(Checks.all());
        logic.put("cis-1.4", node -> Finding.fail("looks old"));
        AuditReport report = Audit.evaluate("sales", "cis", CATALOG, logic, List.of(running("pg1", new CompliantNode())), Standard.CIS);

        assertThat(check(report, "cis-1.4").result()).isEqualTo(Result.MANUAL);
        assertThat(check(report, "cis-1.4").nodes().get(0).evidence()).isEqualTo("looks old");
    }

    @Test
    void aCheckThatThrowsFailsWithTheReasonAndTheRestGoesOn() {
        Map<String, Check> logic = new java.util.HashMap<>(Checks.all());
        logic.put("cis-3.1.8", node -> {
            throw new NumberFormatException("For input string: \"1d\"");
        });
        AuditReport report = Audit.evaluate("sales", "cis", CATALOG, logic, List.of(running("pg1", new CompliantNode())), Standard.CIS);

        assertThat(check(report, "cis-3.1.8").nodes().get(0).evidence()).startsWith("could not evaluate: java.lang.NumberFormatException");
        assertThat(report.summary().failed()).isEqualTo(1);
    }

    private static NodeOutcome running(String name, CompliantNode node) {
        return new NodeOutcome(node(name), "primary", Optional.of(node.facts()), null);
    }

    /** Read from JSON, as deployment.json holds it, so the test does not follow every new field of the record. */
    private static DeployedNode node(String name) {
        try {
            return Json.JSON.readValue("{\"name\": \"" + name + "\", \"cluster\": \"main\", \"address\": \"127.20.0.4\", \"postgres\": {\"parameters\": {}}}",
                    DeployedNode.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static CheckReport check(AuditReport report, String id) {
        return report.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    private static String failures(AuditReport report) {
        return report.checks().stream().filter(c -> c.result() == Result.FAIL).map(c -> c.id() + " " + c.nodes()).toList().toString();
    }
}
