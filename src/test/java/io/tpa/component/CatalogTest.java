package io.tpa.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.model.Catalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogTest {
    private final Catalog catalog = Catalog.load();

    @Test
    void theInstallScriptInstallsEveryPackageOfTheCatalog() throws Exception {
        String script = Files.readString(Path.of("scripts/install-deps.sh"));
        // This machine and CI run Debian 12; Debian 13's packages are in the test hosts' root filesystem (below).
        for (String pkg : catalog.packages("debian-12", catalog.distribution("debian-12").defaultPostgres(), List.of())) {
            assertThat(script).as("scripts/install-deps.sh installs %s (catalog/versions.yml lists it)", pkg).containsPattern("\\b" + pkg + "\\b");
        }
    }

    @Test
    void extensionPackagesAndPreloadsComeFromTheCatalog() {
        assertThat(catalog.packages("debian-12", 15, List.of("pgaudit", "pgcrypto"))).contains("postgresql-15-pgaudit", "postgresql-15", "patroni")
                .doesNotContain("postgresql-15-pgcrypto");
        assertThat(catalog.preloaded("pg_stat_statements")).isTrue();
        assertThat(catalog.preloaded("pgcrypto")).isFalse();
        assertThat(catalog.knowsExtension("pgcrypto")).isTrue();
        assertThat(catalog.knowsExtension("pgcryptox")).isFalse();
        assertThat(catalog.postgres(15).binDir()).isEqualTo("/usr/lib/postgresql/15/bin");
    }

    @Test
    void eachReleaseOffersItsOwnPostgresAndComponents() {
        assertThat(catalog.releases()).containsExactly("debian-12", "debian-13");
        assertThat(catalog.distribution("debian-12").defaultPostgres()).isEqualTo(15);
        assertThat(catalog.distribution("debian-13").defaultPostgres()).isEqualTo(17);
        assertThat(catalog.componentVersion("debian-12", "patroni")).isEqualTo("3.0.2");
        assertThat(catalog.componentVersion("debian-13", "patroni")).startsWith("4.");
        assertThat(catalog.componentVersion("debian-13", "etcd")).startsWith("3.5.");
        assertThat(catalog.postgres(17).binDir()).isEqualTo("/usr/lib/postgresql/17/bin");
        assertThat(catalog.postgresVersions()).containsExactly(15, 17);
    }

    @Test
    void theDebian13TestHostsCarryEveryPackageOfTheirCatalog() throws Exception {
        // Test hosts reach no package mirror: their root filesystem must hold what the Debian 13 catalog names.
        String script = Files.readString(Path.of("scripts/test-hosts.sh"));
        String list = script.substring(script.indexOf("ROOTFS_PACKAGES_13=("), script.indexOf(")", script.indexOf("ROOTFS_PACKAGES_13=(")));
        for (String pkg : catalog.packages("debian-13", 17, List.of("pgaudit"))) {
            assertThat(list).as("scripts/test-hosts.sh ROOTFS_PACKAGES_13 has %s", pkg).containsPattern("\\s" + pkg + "(\\s|$)");
        }
    }
}
