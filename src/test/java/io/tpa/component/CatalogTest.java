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
        for (String pkg : catalog.packages(catalog.defaultPostgresVersion(), List.of())) {
            assertThat(script).as("scripts/install-deps.sh installs %s (catalog/versions.yml lists it)", pkg).containsPattern("\\b" + pkg + "\\b");
        }
    }

    @Test
    void extensionPackagesAndPreloadsComeFromTheCatalog() {
        assertThat(catalog.packages(15, List.of("pgaudit", "pgcrypto"))).contains("postgresql-15-pgaudit", "postgresql-15", "patroni")
                .doesNotContain("postgresql-15-pgcrypto");
        assertThat(catalog.preloaded("pg_stat_statements")).isTrue();
        assertThat(catalog.preloaded("pgcrypto")).isFalse();
        assertThat(catalog.knowsExtension("pgcrypto")).isTrue();
        assertThat(catalog.knowsExtension("pgcryptox")).isFalse();
        assertThat(catalog.postgres(15).binDir()).isEqualTo("/usr/lib/postgresql/15/bin");
    }
}
