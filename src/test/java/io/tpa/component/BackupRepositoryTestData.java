package io.tpa.component;

/** A repository with a full and an incremental backup, for the tests of other packages. */
public final class BackupRepositoryTestData {
    private BackupRepositoryTestData() {
    }

    public static BackupRepository twoBackups() {
        return BackupRepository.parse(BackupRepositoryTest.INFO, "bk");
    }
}
