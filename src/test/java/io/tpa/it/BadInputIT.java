package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input, as the user sees it from the real command: one line, the place, the fix, exit code 2, no stack trace. */
class BadInputIT {
    @TempDir
    Path directory;

    @Test
    void anUnknownKeyIsOneLineWithTheLineAndASuggestion() throws Exception {
        Files.writeString(directory.resolve("tpa.yml"), "name: demo\nclusters:\n  - name: main\n    nodez: [{name: pg1}]\n");
        Tpa.Result result = Tpa.run("apply", directory.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr().lines()).singleElement().asString()
                .startsWith("tpa: ").contains("tpa.yml:4:5").contains("nodez").contains("did you mean 'nodes'");
        assertThat(result.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void planReportsBadInputAsAnErrorNotAsPendingChanges() throws Exception {
        Files.writeString(directory.resolve("tpa.yml"), "name: demo\nclusters: []\n");
        Tpa.Result result = Tpa.run("plan", directory.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr().lines()).singleElement().asString().contains("tpa.yml:2");
    }

    @Test
    void aMissingDirectoryAndAnUnknownOptionAreClear() {
        Tpa.Result missing = Tpa.run("status", directory.resolve("nowhere").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr().lines()).singleElement().asString().contains("nowhere");

        Tpa.Result option = Tpa.run("apply", directory.toString(), "--fast");
        assertThat(option.exitCode()).isEqualTo(2);
        assertThat(option.stderr()).contains("--fast").contains("tpa apply --help");
    }

    @Test
    void debugShowsTheStackTrace() throws Exception {
        Files.writeString(directory.resolve("tpa.yml"), "name: Demo\nclusters: [{name: main, nodes: [{name: pg1}]}]\n");
        Tpa.Result result = Tpa.run("show", directory.toString(), "--debug");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("UserError").contains("\tat ");
    }
}
