package io.tpa.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.error.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The versions of a group directory and the diff between two of them, as tpa ui shows them. */
class GroupHistoryTest {
    @TempDir
    Path directory;

    @Test
    void versionsAreNewestFirstAndTheDiffShowsWhatChanged() throws Exception {
        GroupHistory history = new GroupHistory(directory);
        assertThat(history.versions()).isEmpty();
        Files.writeString(directory.resolve("tpa.yml"), "name: sales\nsize: small\n");
        history.commit("tpa init: group sales");
        Files.writeString(directory.resolve("tpa.yml"), "name: sales\nsize: medium\n");
        history.commit("tpa resize: pg1 to medium");

        List<GroupHistory.Version> versions = history.versions();
        assertThat(versions).extracting(GroupHistory.Version::message).containsExactly("tpa resize: pg1 to medium", "tpa init: group sales");
        String diff = history.diff(versions.get(1).shortId(), versions.get(0).shortId());
        assertThat(diff).contains("tpa.yml").contains("-size: small").contains("+size: medium").doesNotContain("-name: sales");
        assertThat(history.diff(versions.get(0).id(), versions.get(0).id())).isEmpty();
    }

    @Test
    void aVersionNotInTheHistoryIsABadInput() {
        GroupHistory history = new GroupHistory(directory);
        history.initialize();
        assertThatThrownBy(() -> history.diff("HEAD", "deadbeef")).isInstanceOf(UserError.class).hasMessageContaining("version HEAD: not in the history");
    }
}
