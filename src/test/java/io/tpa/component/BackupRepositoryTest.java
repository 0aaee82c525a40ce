package io.tpa.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.component.BackupRepository.BackupSet;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** pgBackRest's {@code info --output=json}, as pgBackRest 2.45 printed it for a group with a full and an incremental backup. */
class BackupRepositoryTest {
    static final String INFO = """
            [{"archive":[{"database":{"id":1,"repo-key":1},"id":"15-1","max":"000000020000000000000009","min":"000000010000000000000003"}],
              "backup":[
                {"archive":{"start":"000000010000000000000005","stop":"000000010000000000000005"},"backrest":{"format":5,"version":"2.45"},
                 "database":{"id":1,"repo-key":1},"error":false,"info":{"delta":30520508,"repository":{"delta":4106688,"size":4106688},
                 "size":30520508},"label":"20261207-024042F","lsn":{"start":"0/5000028","stop":"0/5000138"},"prior":null,"reference":null,
                 "timestamp":{"start":1796611242,"stop":1796611245},"type":"full"},
                {"archive":{"start":"000000020000000000000008","stop":"000000020000000000000008"},"backrest":{"format":5,"version":"2.45"},
                 "database":{"id":1,"repo-key":1},"error":false,"info":{"delta":8192,"repository":{"delta":496,"size":4107184},
                 "size":30520508},"label":"20261207-024042F_20261207-024134I","lsn":{"start":"0/8000028","stop":"0/8000100"},
                 "prior":"20261207-024042F","reference":["20261207-024042F"],"timestamp":{"start":1796611294,"stop":1796611296},"type":"incr"}],
              "cipher":"aes-256-cbc","db":[{"id":1,"repo-key":1,"system-id":7716386325121866929,"version":"15"}],"name":"bk",
              "repo":[{"cipher":"aes-256-cbc","key":1,"status":{"code":0,"message":"ok"}}],
              "status":{"code":0,"lock":{"backup":{"held":true}},"message":"ok"}}]
            """;

    @Test
    void readsBackupsOldestFirstWithTheirSizesTimesAndWal() {
        BackupRepository repository = BackupRepository.parse(INFO, "bk");

        assertThat(repository.statusCode()).isZero();
        assertThat(repository.status()).isEqualTo("ok");
        assertThat(repository.backupRunning()).isTrue();
        assertThat(repository.walMin()).isEqualTo("000000010000000000000003");
        assertThat(repository.walMax()).isEqualTo("000000020000000000000009");
        assertThat(repository.backups()).extracting(BackupSet::type).containsExactly("full", "incr");
        BackupSet full = repository.oldest().orElseThrow();
        assertThat(full.label()).isEqualTo("20261207-024042F");
        assertThat(full.prior()).isNull();
        assertThat(full.stop()).isEqualTo(Instant.ofEpochSecond(1796611245));
        assertThat(full.databaseBytes()).isEqualTo(30520508);
        assertThat(full.repositoryBytes()).isEqualTo(4106688);
        assertThat(full.lsnStop()).isEqualTo("0/5000138");
        BackupSet incremental = repository.newest().orElseThrow();
        assertThat(incremental.prior()).isEqualTo("20261207-024042F");
        assertThat(incremental.repositoryBytes()).isEqualTo(496);
        assertThat(incremental.walStart()).isEqualTo("000000020000000000000008");
    }

    @Test
    void aStanzaThatIsNotThereIsMissingWithNoBackups() {
        BackupRepository repository = BackupRepository.parse(INFO, "other");

        assertThat(repository.statusCode()).isEqualTo(1);
        assertThat(repository.backups()).isEmpty();
        assertThat(repository.newest()).isEmpty();
    }
}
