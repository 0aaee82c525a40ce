package io.tpa.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/reference/config.md} in step with the schema. With {@code -Dtpa.updateDocs=true}
 * it rewrites the file instead of failing.
 */
class ConfigReferenceTest {
    private static final Path REFERENCE = Path.of("docs/reference/config.md");

    @Test
    void documentationMatchesTheSchema() throws IOException {
        String rendered = ConfigReference.render();
        if (Boolean.getBoolean("tpa.updateDocs")) {
            Files.createDirectories(REFERENCE.getParent());
            Files.writeString(REFERENCE, rendered);
        }
        String written = Files.exists(REFERENCE) ? Files.readString(REFERENCE) : "";

        assertThat(written)
                .as(REFERENCE + " is out of date with the schema; regenerate it with "
                        + ConfigReference.REGENERATE_COMMAND)
                .isEqualTo(rendered);
    }

    @Test
    void documentsEveryKeyPath() {
        assertThat(ConfigReference.render()).contains(
                "### `name`", "### `platform`", "### `postgres.version`", "### `postgres.parameters.<parameter name>`",
                "### `defaults.size`", "### `defaults.size.memory_gb`", "### `clusters[].location`",
                "### `clusters[].nodes[].size`", "### `clusters[].nodes[].size.disk_gb`", "| `medium` | 2 | 8 | 100 |");
    }

    @Test
    void everyPropertyOfTheSchemaHasADescription() {
        assertThat(ConfigReference.schema().findParents("properties")).allSatisfy(objectSchema ->
                objectSchema.get("properties").forEach(property ->
                        assertThat(property.has("description")).as(property.toString()).isTrue()));
    }
}
