package io.tpa.operation.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.error.UserError;
import io.tpa.model.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitTest {
    @TempDir
    Path directory;

    @Test
    void writesAValidConfigAndAHistoryThatIgnoresSecrets() throws Exception {
        Init.Created created = Init.run(directory.resolve("My Group"), null, 2, "local", Init.Format.YAML);
        assertThat(created.group()).isEqualTo("my-group");
        assertThat(created.nodes()).isEqualTo(3);
        var spec = SpecLoader.load(directory.resolve("My Group")).spec();
        assertThat(spec.allNodes()).hasSize(3);
        assertThat(Files.readString(directory.resolve("My Group/.gitignore"))).contains("secrets.json");
        assertThat(Files.isDirectory(directory.resolve("My Group/.git"))).isTrue();
    }

    @Test
    void jsonWorksToo() {
        Init.run(directory, "demo", 0, "local", Init.Format.JSON);
        assertThat(SpecLoader.load(directory).spec().allNodes()).hasSize(1);
    }

    @Test
    void refusesToOverwriteAConfig() {
        Init.run(directory, "demo", 1, "local", Init.Format.YAML);
        assertThatThrownBy(() -> Init.run(directory, "demo", 1, "local", Init.Format.YAML))
                .isInstanceOf(UserError.class).hasMessageContaining("tpa.yml already exists");
    }

    @Test
    void refusesBadNames() {
        assertThatThrownBy(() -> Init.run(directory, "Demo_1", 1, "local", Init.Format.YAML))
                .isInstanceOf(UserError.class).hasMessageContaining("--name 'Demo_1'");
    }
}
