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

/** The `endpoints:` section: opt-in, its defaults, and a bad value refused in one line with its place in the file. */
class EndpointsSpecTest {
    private static final String NODES = "clusters: [{name: main, nodes: [{name: pg1}]}]\n";

    @TempDir
    Path dir;

    @Test
    void aGroupWithoutTheSectionHasNoEndpoints() throws IOException {
        assertThat(resolved("name: demo\n" + NODES).endpoints()).isNull();
    }

    @Test
    void anEmptySectionGetsEveryDefault() throws IOException {
        EndpointsSpec endpoints = resolved("name: demo\nendpoints: {}\n" + NODES).endpoints();
        assertThat(endpoints).isEqualTo(new EndpointsSpec("transaction", 20, 500, "1MB"));
        assertThat(endpoints.maxReplicaLagBytes()).isEqualTo(1_048_576L);
    }

    @Test
    void keepsWhatTheUserWrote() throws IOException {
        EndpointsSpec endpoints = resolved("""
                name: demo
                endpoints:
                  pool_mode: session
                  pool_size: 7
                  max_clients: 90
                  max_replica_lag: 16MB
                """ + NODES).endpoints();
        assertThat(endpoints).isEqualTo(new EndpointsSpec("session", 7, 90, "16MB"));
        assertThat(endpoints.maxReplicaLagBytes()).isEqualTo(16L << 20);
    }

    @Test
    void replicaLagInBytesOrWithAUnit() {
        assertThat(new EndpointsSpec(null, null, null, 4096).maxReplicaLagBytes()).isEqualTo(4096);
        assertThat(new EndpointsSpec(null, null, null, "512kB").maxReplicaLagBytes()).isEqualTo(512 * 1024);
        assertThat(new EndpointsSpec(null, null, null, "2GB").maxReplicaLagBytes()).isEqualTo(2L << 30);
        assertThat(EndpointsSpec.whyInvalidSize("1 potato")).contains("'1 potato' is not a size");
        assertThat(EndpointsSpec.whyInvalidSize("99999999999999TB")).isNotNull();
    }

    @Test
    void badValuesAreRefusedWithTheirPlace() throws IOException {
        assertProblem("name: demo\nendpoints:\n  max_replica_lag: 1 potato\n" + NODES,
                "tpa.yml:3:3: endpoints.max_replica_lag: '1 potato' is not a size; write bytes (1048576) or a number with a unit: "
                        + "B, kB, MB, GB, TB (1MB)");
        assertProblem("name: demo\nendpoints:\n  pool_mode: transactions\n" + NODES,
                "tpa.yml:3:3: endpoints.pool_mode: unknown value 'transactions'; did you mean 'transaction'? "
                        + "(allowed values: session, transaction, statement)");
        assertProblem("name: demo\nendpoints:\n  pool_size: 0\n" + NODES,
                "tpa.yml:3:3: endpoints.pool_size: 0 is below the minimum of 1; use at least 1");
        assertProblem("name: demo\nendpoints:\n  max_clients: many\n" + NODES,
                "tpa.yml:3:3: endpoints.max_clients: expected a whole number, found a string; for example max_clients: 2000");
        assertProblem("name: demo\nendpoints:\n  pool_sise: 5\n" + NODES,
                "tpa.yml:3:3: endpoints: unknown key 'pool_sise'; did you mean 'pool_size'? "
                        + "(allowed here: pool_mode, pool_size, max_clients, max_replica_lag)");
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

    @Test
    void theCatalogBringsPgbouncerAndHaproxyOnlyWithEndpoints() {
        Catalog catalog = Catalog.load();
        for (String release : catalog.releases()) {
            int major = catalog.distribution(release).defaultPostgres();
            assertThat(catalog.packages(release, major, List.of())).doesNotContain("pgbouncer", "haproxy");
            assertThat(catalog.featurePackages(release, "endpoints")).containsExactly("pgbouncer", "haproxy");
        }
    }
}
