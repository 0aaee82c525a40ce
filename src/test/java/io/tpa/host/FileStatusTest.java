package io.tpa.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileStatusTest {
    @Test
    void readsModeOwnerAndPathFromStat() {
        assertThat(FileStatus.parse("700 postgres /data dir\n600 root /x\nstat: cannot statx '/y': No such file or directory\n"))
                .containsOnlyKeys("/data dir", "/x")
                .containsEntry("/data dir", new FileStatus("/data dir", true, 0700, "postgres"))
                .containsEntry("/x", new FileStatus("/x", true, 0600, "root"));
    }

    @Test
    void describesModes() {
        FileStatus status = new FileStatus("/x", true, 0640, "postgres");
        assertThat(status.modeText()).isEqualTo("0640");
        assertThat(status.allows(0040)).isTrue();
        assertThat(status.allows(0022)).isFalse();
    }

    @Test
    void missingFilesAreReportedAsMissing() {
        assertThat(FileStatus.of(new LocalHost(), java.util.List.of("/nonexistent-tpa-file", "/")))
                .containsEntry("/nonexistent-tpa-file", new FileStatus("/nonexistent-tpa-file", false, 0, ""))
                .hasEntrySatisfying("/", status -> assertThat(status.exists()).isTrue());
    }
}
