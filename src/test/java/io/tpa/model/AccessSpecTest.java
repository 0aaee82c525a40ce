package io.tpa.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.error.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessSpecTest {
    @TempDir
    Path directory;

    @Test
    void networksMustBeCidr() {
        assertThat(AccessSpec.whyInvalidNetwork("10.1.0.0/16")).isNull();
        assertThat(AccessSpec.whyInvalidNetwork("fd00::/8")).isNull();
        assertThat(AccessSpec.whyInvalidNetwork("10.1.0.0")).contains("is not a network");
        assertThat(AccessSpec.whyInvalidNetwork("10.1.0.300/16")).contains("above 255");
        assertThat(AccessSpec.whyInvalidNetwork("10.1.0.0/33")).contains("prefix length above 32");
    }

    @Test
    void aBadNetworkIsReportedWhereItStands() throws Exception {
        Files.writeString(directory.resolve("tpa.yml"), "name: demo\naccess:\n  networks: [10.0.0.0/8, 10.1.0.0/40]\n"
                + "clusters: [{name: main, nodes: [{name: pg1}]}]\n");
        assertThatThrownBy(() -> SpecLoader.load(directory)).isInstanceOf(UserError.class)
                .hasMessageContaining("tpa.yml:3:").hasMessageContaining("access.networks[1]: '10.1.0.0/40' has a prefix length above 32");
    }

    @Test
    void everythingIsPrivateByDefault() throws Exception {
        Files.writeString(directory.resolve("tpa.yml"), "name: demo\nclusters: [{name: main, nodes: [{name: pg1}]}]\n");
        GroupSpec resolved = Defaults.resolve(SpecLoader.load(directory).spec(), Catalog.load());
        assertThat(resolved.access().networks()).isEmpty();
        assertThat(resolved.access().open()).isFalse();
    }
}
