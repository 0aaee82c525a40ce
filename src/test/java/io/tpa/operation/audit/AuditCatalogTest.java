package io.tpa.operation.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.Json;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** catalog/audit.yml: loads, agrees with the logic in Checks, and filters by standard. */
class AuditCatalogTest {
    private final AuditCatalog catalog = AuditCatalog.load();

    @Test
    void everyAutomatedCheckHasLogicAndAllLogicIsInTheCatalog() {
        Set<String> ids = catalog.checks().stream().map(CheckDefinition::id).collect(Collectors.toSet());
        assertThat(ids).containsAll(Checks.all().keySet());
        catalog.checks().stream().filter(CheckDefinition::automated).filter(check -> !check.id().equals(Checks.NODE_RUNNING))
                .forEach(check -> assertThat(Checks.all()).as(check.id() + " is automated").containsKey(check.id()));
        catalog.checks().stream().filter(check -> !check.automated())
                .forEach(check -> assertThat(check.manualReason()).as(check.id()).endsWith("."));
    }

    @Test
    void coversWhatTheBenchmarkAsksOf() {
        assertThat(catalog.checks()).extracting(CheckDefinition::id).contains(
                "tpa-node-running", "cis-1.3", "tpa-data-checksums", "cis-2.1", "tpa-config-files", "cis-3.1.3", "cis-3.1.6",
                "cis-3.1.20", "cis-3.1.21", "cis-3.1.22", "cis-3.1.24", "cis-3.1.25", "cis-3.1.26", "cis-3.2", "tpa-single-superuser",
                "tpa-server-file-roles", "tpa-public-schema", "cis-5.1", "cis-5.2", "tpa-password-encryption", "tpa-password-hashes",
                "tpa-listen-addresses", "cis-6.8", "tpa-tls-min-version", "tpa-extensions-allowed", "tpa-preload-libraries");
        assertThat(catalog.checks()).hasSizeGreaterThan(60);
        assertThat(catalog.checks()).allSatisfy(check -> {
            assertThat(check.title()).as(check.id()).doesNotEndWith(".");
            assertThat(check.remediation()).as(check.id()).isNotBlank();
        });
    }

    @Test
    void onlyPgauditNeedsCompliancePolicy() {
        assertThat(catalog.checks()).filteredOn(check -> check.compliance() != null).extracting(CheckDefinition::id)
                .containsExactly("cis-3.2");
        assertThat(catalog.check("cis-3.2").orElseThrow().onlyWarnsUnder("none")).isTrue();
        assertThat(catalog.check("cis-3.2").orElseThrow().onlyWarnsUnder("cis")).isFalse();
        assertThat(catalog.check("cis-3.1.20").orElseThrow().onlyWarnsUnder("none")).isFalse();
    }

    @Test
    void aStandardSelectsTheChecksThatSupportItWithTheirControls() {
        List<CheckDefinition> pci = catalog.checks(Standard.PCI_DSS);
        assertThat(pci).extracting(CheckDefinition::id).contains("cis-3.1.20", "cis-5.2", Checks.NODE_RUNNING)
                .doesNotContain("tpa-data-checksums", "cis-7.3");
        assertThat(catalog.check("cis-3.1.20").orElseThrow().controls(Standard.PCI_DSS)).contains("10.2.1");
        assertThat(catalog.check("cis-3.2").orElseThrow().controls(Standard.HIPAA)).contains("164.312(b)");
        assertThat(catalog.check("cis-6.8").orElseThrow().controls(Standard.ISO27001)).contains("A.8.24");
        assertThat(catalog.checks(Standard.CIS)).hasSize(catalog.checks().size());
        assertThat(catalog.title(Standard.HIPAA)).contains("45 CFR");
        assertThat(Standard.named("PCI-DSS")).isEqualTo(Standard.PCI_DSS);
        assertThatThrownBy(() -> Standard.named("sox")).hasMessage("unknown standard 'sox'; use one of cis, pci-dss, hipaa, iso27001");
    }

    @Test
    void refusesWhatATypoWouldCause() throws Exception {
        String standards = "standards: {cis: C, pci-dss: P, hipaa: H, iso27001: I}\n";
        assertThatThrownBy(() -> parse(standards + "checks:\n  - {id: cis-1.1, title: T, severity: low, remediation: R, controls: {cis: [1.1]}}"))
                .hasMessageContaining("cis-1.1: control 1.1 of cis must be quoted text");
        assertThatThrownBy(() -> parse(standards + "checks:\n  - {id: tpa-x, title: T, severity: low, remediation: R, controls: {sox: ['1']}}"))
                .hasMessageContaining("unknown standard 'sox'");
        assertThatThrownBy(() -> parse(standards + "checks:\n  - {id: tpa-x, title: T, severity: urgent, remediation: R, controls: {cis: ['1']}}"))
                .hasMessageContaining("tpa-x: severity 'urgent'");
        assertThatThrownBy(() -> parse(standards + "checks:\n  - {id: tpa-x, titel: T, severity: low, remediation: R, controls: {cis: ['1']}}"))
                .hasMessageContaining("tpa-x: unknown key 'titel'");
        assertThatThrownBy(() -> parse(standards + "checks:\n  - {id: tpa-x, title: T, severity: low, remediation: R}"))
                .hasMessageContaining("tpa-x: supports no standard");
        assertThatThrownBy(() -> parse(standards + "checks:\n  - {id: cis-1.1, title: T, severity: low, remediation: R, controls: {hipaa: ['x']}}"))
                .hasMessageContaining("cis-1.1: a cis- check names its CIS section");
        assertThatThrownBy(() -> parse(standards + "checks:\n  - {id: tpa-x, title: T, severity: low, remediation: R, compliance: sox, controls: {cis: ['1']}}"))
                .hasMessageContaining("tpa-x: compliance 'sox' is not a policy; the only one is cis");
        assertThatThrownBy(() -> parse(standards + "checks:\n  - {id: tpa-x, title: T, severity: low, remediation: R, manual: M, compliance: cis, controls: {cis: ['1']}}"))
                .hasMessageContaining("tpa-x: a manual check never fails, so it needs no compliance");
        String two = "  - {id: tpa-x, title: T, severity: low, remediation: R, controls: {cis: ['1']}}\n";
        assertThatThrownBy(() -> parse(standards + "checks:\n" + two + two)).hasMessageContaining("tpa-x: listed twice");
    }

    private static AuditCatalog parse(String yaml) throws Exception {
        JsonNode document = Json.YAML.readTree(yaml);
        return AuditCatalog.parse(document);
    }
}
