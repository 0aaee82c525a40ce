package io.tpa.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.error.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The `monitoring:` section: opt-in, its default, a bad value refused in one line, the exporters only with it. */
class MonitoringSpecTest {
    private static final String NODES = "clusters: [{name: main, nodes: [{name: pg1}]}]\n";

    @TempDir
    Path dir;

    @Test
    void aGroupWithoutTheSectionHasNoMonitoring() throws IOException {
        assertThat(resolved("name: demo\n" + NODES).monitoring()).isNull();
    }

    @Test
    void anEmptySectionTakesTheDefaults() throws IOException {
        assertThat(resolved("name: demo\nmonitoring: {}\n" + NODES).monitoring()).isEqualTo(new MonitoringSpec("15s"));
        assertThat(resolved("name: demo\nmonitoring:\n  scrape_interval: 1m\n  prometheus: pg1\n" + NODES).monitoring())
                .isEqualTo(new MonitoringSpec("1m", "pg1"));
    }

    @Test
    void badValuesAreRefusedWithTheirPlace() throws IOException {
        assertProblem("name: demo\nmonitoring:\n  scrape_interval: 15\n" + NODES,
                "tpa.yml:3:3: monitoring.scrape_interval: expected a string, found a whole number; for example scrape_interval: 30s");
        assertProblem("name: demo\nmonitoring:\n  scrape_interval: 1h\n" + NODES,
                "tpa.yml:3:3: monitoring.scrape_interval: '1h' is not a valid scrape interval; how often the Prometheus configuration tpa "
                        + "writes scrapes every target and evaluates the alert rules: a number of seconds or minutes (`15s`, `1m`)");
        assertProblem("name: demo\nmonitoring:\n  scrape_intervals: 15s\n" + NODES,
                "tpa.yml:3:3: monitoring: unknown key 'scrape_intervals'; did you mean 'scrape_interval'? (allowed here: scrape_interval, prometheus)");
        assertProblem("name: demo\nmonitoring:\n  prometheus: pg9\n" + NODES,
                "tpa.yml:3:3: monitoring.prometheus: no node is named 'pg9'; name one of the group's nodes: pg1");
        assertProblem("name: demo\nmonitoring:\n  port: 9090\n" + NODES, "tpa.yml:3:3: monitoring: unknown key 'port'; allowed here: scrape_interval, prometheus");
    }

    @Test
    void theCatalogBringsTheExportersOnlyWithMonitoring() {
        Catalog catalog = Catalog.load();
        for (String release : catalog.releases()) {
            int major = catalog.distribution(release).defaultPostgres();
            assertThat(catalog.packages(release, major, List.of())).doesNotContain("prometheus-postgres-exporter", "prometheus-node-exporter");
            assertThat(catalog.featurePackages(release, "monitoring")).containsExactly("prometheus-postgres-exporter", "prometheus-node-exporter");
            assertThat(catalog.featurePackages(release, "prometheus")).containsExactly("prometheus");
        }
    }

    private GroupSpec resolved(String yaml) throws IOException {
        Files.writeString(dir.resolve("tpa.yml"), yaml);
        return Defaults.resolve(SpecLoader.load(dir).spec(), Catalog.load());
    }

    private void assertProblem(String yaml, String expected) throws IOException {
        Files.writeString(dir.resolve("tpa.yml"), yaml);
        assertThatThrownBy(() -> SpecLoader.load(dir)).isInstanceOfSatisfying(UserError.class, error -> {
            assertThat(error.exitCode()).isEqualTo(UserError.BAD_INPUT);
            assertThat(error.getMessage()).isEqualTo(dir + "/" + expected).doesNotContain("\n");
        });
    }
}
