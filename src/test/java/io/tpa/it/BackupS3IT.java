package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/**
 * A group that keeps its backups in an S3 bucket (s3rver on 127.0.0.1, over HTTPS with a throwaway CA): apply refuses it
 * while the keys are missing from the secrets and while the bucket cannot be reached, and changes nothing then; with the
 * keys set through standard input, WAL is archived to the bucket, a backup lands there, the group goes back in place to a
 * time after it, a replica is built from it, a new group is restored from it, and destroy --delete-backups empties the group's path in the bucket. The keys are in no file
 * but the 0600 pgBackRest configurations and the encrypted secrets.
 */
class BackupS3IT {
    @Test
    void backupsInAnS3Bucket() throws Exception {
        try (S3Store store = S3Store.start("tpa-backups");
             TestGroup source = TestGroup.create("");
             TestGroup restored = TestGroup.create("")) {
            Files.delete(restored.directory.resolve("tpa.yml"));
            source.writeConfig(config(store, "no-such-bucket"));
            java.util.List<String> basesBefore = groupBases();

            Tpa.Result noKeys = source.tpa("apply");
            assertRefused(noKeys, 2, "backup.repository.type: s3 needs the secret backup.s3_key_id");
            assertThat(noKeys.stderr()).contains("tpa secrets set " + source.directory + " backup.s3_key_id");

            Tpa.Result fromArguments = Tpa.run("secrets", "set", source.path(), "backup.s3_key_id", S3Store.KEY_ID);
            assertThat(fromArguments.exitCode()).as(fromArguments.output()).isEqualTo(2);
            setSecret(source, "backup.s3_key_id", S3Store.KEY_ID);
            setSecret(source, "backup.s3_key_secret", S3Store.KEY_SECRET);
            assertThat(Files.readString(source.directory.resolve("secrets.enc"))).doesNotContain(S3Store.KEY_SECRET);

            // A bucket the store does not have: one line that names it, and nothing set up.
            Tpa.Result noBucket = source.tpa("apply");
            assertRefused(noBucket, 1, "the backup repository s3://no-such-bucket/");
            assertThat(source.directory.resolve("deployment.json")).doesNotExist();
            assertThat(groupBases()).isEqualTo(basesBefore);

            source.writeConfig(config(store, store.bucket));
            Tpa.Result applied = source.apply();
            String key = source.deployment().key();
            Tpa.Result again = source.tpa("apply");
            assertThat(again.stdout()).as(again.output()).startsWith("No changes: group s3src matches its config and is healthy");
            assertThat(applied.output()).contains("create stanza s3src in s3://" + store.bucket + "/" + key);
            assertThat(store.objects("/" + key + "/archive/s3src")).anyMatch(name -> name.endsWith("archive.info._S3rver_object"));
            Path config = Path.of(source.deployment().baseDirectory(), "nodes/pg1/pgbackrest.conf");
            assertThat(Files.getPosixFilePermissions(config)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(config)).contains("repo1-type=s3", "repo1-s3-uri-style=path", "repo1-storage-ca-file=" + store.caFile());
            Path schedulerConfig = Path.of(source.deployment().baseDirectory(), "backup/pgbackrest.conf");
            assertThat(Files.getPosixFilePermissions(schedulerConfig)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(schedulerConfig)).contains("repo1-type=s3");

            source.execute("pg1", "CREATE TABLE events (id int); INSERT INTO events SELECT generate_series(1, 1000)");
            Tpa.Result backup = source.tpa("backup");
            assertThat(backup.exitCode()).as(backup.output()).isZero();
            assertThat(backup.stdout()).contains("(full) of group s3src done");
            JsonNode backups = Json.JSON.readTree(source.tpa("backups", "--json").stdout()).path("contents").path("backups");
            assertThat(backups).hasSize(1);
            String label = backups.get(0).path("label").asText();
            assertThat(store.objects("/" + key + "/backup/s3src/" + label)).isNotEmpty();
            Tpa.Result status = source.tpa("status");
            assertThat(status.stdout()).contains("Backups in s3://" + store.bucket + "/" + key + " (localhost:" + store.port + "): 1, newest " + label)
                    .contains("archiving works");

            // In place, back to a time after the backup: the row written after it is gone.
            source.execute("pg1", "INSERT INTO events VALUES (2000)");
            java.time.Instant target = pause();
            source.execute("pg1", "INSERT INTO events VALUES (2001)");
            Tpa.Result inPlace = source.tpa("restore", "--time", target.toString(), "--in-place", "--yes");
            assertThat(inPlace.exitCode()).as(inPlace.output()).isZero();
            assertThat(source.integers("pg1", "SELECT max(id) FROM events")).containsExactly(2000);
            assertThat(source.whyNotHealthy()).isNull();

            // A replica added now is restored from the backup in the bucket.
            Tpa.Result added = source.tpa2("replica", "add");
            assertThat(added.exitCode()).as(added.output()).isZero();
            String patroniLog = Files.readString(Path.of(source.deployment().baseDirectory(), "nodes/pg3/log/patroni.log"));
            assertThat(patroniLog).contains("replica has been created using pgbackrest");
            assertThat(source.integers("pg3", "SELECT count(*) FROM events")).containsExactly(1001);

            source.execute("pg1", "INSERT INTO events VALUES (3000)");
            Tpa.Result restore = source.tpa("restore", "--latest", "--into", restored.path(), "--name", "s3copy");
            assertThat(restore.exitCode()).as(restore.output()).isZero();
            assertThat(restored.integers("pg1", "SELECT max(id) FROM events")).containsExactly(3000);
            assertThat(restored.whyNotHealthy()).isNull();
            // The restored group keeps backups of its own in the same bucket, under its own path, with the keys it was given.
            String restoredKey = restored.deployment().key();
            assertThat(store.objects("/" + restoredKey + "/archive/s3copy")).isNotEmpty();

            // The keys are nowhere in clear but the 0600 configurations: not in the config, the record, the history, the output.
            String secret = S3Store.KEY_SECRET;
            for (TestGroup group : java.util.List.of(source, restored)) {
                assertThat(group.everythingEverCommitted()).doesNotContain("repo1-s3-key").doesNotContain("S3RVER");
                assertThat(Files.readString(group.directory.resolve("deployment.json"))).doesNotContain(secret);
            }
            for (Tpa.Result result : java.util.List.of(applied, backup, status, inPlace, added, restore)) {
                assertThat(result.output()).doesNotContain(secret);
            }
            // ...nor in any log: pgBackRest's own (it writes <redacted>), PostgreSQL's, Patroni's, the scheduler's.
            for (TestGroup group : java.util.List.of(source, restored)) {
                Path base = Path.of(group.deployment().baseDirectory());
                try (var files = Files.walk(base.resolve("nodes"))) {
                    for (Path log : files.filter(file -> file.getParent().getFileName().toString().equals("log") && Files.isRegularFile(file)).toList()) {
                        assertThat(Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1)).as(log.toString()).doesNotContain(secret);
                    }
                }
                if (Files.exists(base.resolve("backup/scheduler.log"))) {
                    assertThat(Files.readString(base.resolve("backup/scheduler.log"))).doesNotContain(secret);
                }
            }

            Tpa.Result destroy = source.tpa("destroy", "--yes", "--delete-backups");
            assertThat(destroy.exitCode()).as(destroy.output()).isZero();
            assertThat(destroy.stdout()).contains("backups in s3://" + store.bucket + "/" + key);
            assertThat(store.objects("/" + key)).isEmpty();
            assertThat(store.objects("/" + restoredKey)).isNotEmpty();
        }
    }

    /** A second between two writes, so that a time between them exists: the time half-way. */
    private static java.time.Instant pause() throws InterruptedException {
        java.time.Instant before = java.time.Instant.now();
        Thread.sleep(1500); // a gap in time between two commits is what the in-place restore goes back to, not a wait for a condition
        return before.plusMillis(750).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /** The base directories of groups named s3src on this machine (another test's groups have other names). */
    private static java.util.List<String> groupBases() throws java.io.IOException {
        Path groups = Path.of("/var/lib/tpa/groups");
        if (!Files.isDirectory(groups)) {
            return java.util.List.of();
        }
        try (var bases = Files.list(groups)) {
            return bases.map(base -> base.getFileName().toString()).filter(name -> name.startsWith("s3src-")).sorted().toList();
        }
    }

    private static String config(S3Store store, String bucket) {
        return TestGroup.config("s3src", 2, "backup:\n  repository:\n    type: s3\n    bucket: " + bucket + "\n    endpoint: " + S3Store.ENDPOINT
                + "\n    port: " + store.port + "\n    region: us-east-1\n    uri_style: path\n    ca_file: " + store.caFile()
                + "\n");
    }

    private static void setSecret(TestGroup group, String name, String value) {
        Tpa.Result result = Tpa.runWithInput(value + "\n", "secrets", "set", group.path(), name);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).doesNotContain(value);
    }

    private static void assertRefused(Tpa.Result result, int exitCode, String message) {
        assertThat(result.stderr()).as(result.output()).contains(message).startsWith("tpa: ").doesNotContain("unexpected error");
        assertThat(result.stderr().strip().lines()).as(result.output()).hasSize(1);
        assertThat(result.exitCode()).as(result.output()).isEqualTo(exitCode);
    }
}
