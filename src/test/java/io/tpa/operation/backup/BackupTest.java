package io.tpa.operation.backup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackupTest {
    @Test
    void progressIsTheShareOfTheLastFileCopied() {
        String log = """
                2026-12-07 02:41:36.230 P01 DETAIL: backup file /data/base/5/16384 (16MB, 45.23%) checksum d682b28c
                2026-12-07 02:41:36.233 P01 DETAIL: backup file /data/global/pg_control (8KB, 99.90%) checksum 347fc8f2
                """;
        assertThat(Backup.parseProgress(log)).hasValue(99.90);
        assertThat(Backup.parseProgress("2026-12-07 02:41:35.000 P00 INFO: backup start archive = 00000001000000000000001B")).isEmpty();
    }
}
