package io.tpa.operation.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/audit-checks.md} in step with catalog/audit.yml. With {@code -Dtpa.updateDocs=true} it
 * rewrites the file instead of failing.
 */
class AuditReferenceTest {
    private static final Path REFERENCE = Path.of("docs/audit-checks.md");

    @Test
    void documentationMatchesTheCatalog() throws IOException {
        String rendered = AuditReference.render();
        if (Boolean.getBoolean("tpa.updateDocs")) {
            Files.writeString(REFERENCE, rendered);
        }
        String written = Files.exists(REFERENCE) ? Files.readString(REFERENCE) : "";

        assertThat(written)
                .as(REFERENCE + " is out of date with the audit catalog; regenerate it with " + AuditReference.REGENERATE_COMMAND)
                .isEqualTo(rendered);
    }

    @Test
    void listsEveryCheckWithItsControls() {
        String rendered = AuditReference.render();
        AuditCatalog.load().checks().forEach(check -> assertThat(rendered).contains("| `" + check.id() + "` | "));
        assertThat(rendered).contains("| `cis-3.1.20` | Connection attempts are logged (log_connections on) | medium | automated | 3.1.20 | "
                + "10.2.1, 10.2.1.4, 10.2.2 | 164.312(b), 164.308(a)(5)(ii)(C) | A.8.15, A.8.16 |");
        assertThat(rendered).contains("## Manual checks").contains("| `cis-7.3` | tpa does not make backups yet");
    }
}
