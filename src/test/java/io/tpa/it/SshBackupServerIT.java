package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * Backups of a group on the ssh platform into a dedicated backup server (three Debian 13 test hosts: two nodes and the
 * backup server), reached through pgBackRest's TLS server: WAL is archived from whichever node is primary, a backup is
 * copied from the streaming replica by the backup server, an in-place restore to a time after a switchover holds exactly
 * the rows committed before it, the replica comes back from the repository, only the backup server reaches a node's
 * pgBackRest, and destroy with --delete-backups leaves nothing on the backup server.
 */
class SshBackupServerIT {
    @Test
    void backupsGoToADedicatedBackupServer() throws Exception {
        long started = System.nanoTime();
        try (TestHosts hosts = TestHosts.create(3, 13)) {
            TestHosts.Host server = hosts.host(3);
            String yaml = "name: bkserver\nplatform: ssh\nssh:\n  identity_file: " + hosts.identityFile() + "\n"
                    + "backup:\n  repository:\n    type: server\n    host: " + server.address() + "\n  schedule: {full: \"off\", diff: \"off\"}\n"
                    + "clusters:\n  - name: main\n    nodes:\n"
                    + "      - name: pg1\n        host: " + hosts.host(1).address() + "\n"
                    + "      - name: pg2\n        host: " + hosts.host(2).address() + "\n";
            try (TestGroup group = TestGroup.create(yaml)) {
                Tpa.Result apply = group.tpa("apply", "--trust-new-hosts");
                assertThat(apply.exitCode()).as(apply.output()).isZero();
                assertThat(apply.stdout()).contains("start pgBackRest's TLS server on " + server.address() + ":8432")
                        .contains("create stanza bkserver in " + server.address() + ":/var/lib/tpa/backup/");
                assertThat(group.tpa("plan").stdout()).contains("No changes");
                assertThat(group.tpa("status").stdout()).contains("archiving works");

                Tpa.Result full = group.tpa("backup");
                assertThat(full.exitCode()).as(full.output()).isZero();
                assertThat(full.stdout()).contains("(full) of group bkserver done").contains("copied from pg2");
                group.execute("pg1", "CREATE TABLE events (id int); INSERT INTO events VALUES (1)");
                Tpa.Result switchover = group.tpa("switchover", "--to", "pg2");
                assertThat(switchover.exitCode()).as(switchover.output()).isZero();
                group.execute("pg2", "INSERT INTO events VALUES (2)");
                Instant before = Instant.now();
                Thread.sleep(1500); // a gap in time between two commits is what this test restores into, not a wait for a condition
                Instant target = before.plusMillis(750).truncatedTo(ChronoUnit.MILLIS);
                group.execute("pg2", "INSERT INTO events VALUES (3)");
                // Archiving goes on from the new primary.
                assertThat(group.tpa("status").stdout()).contains("archiving works");

                JsonNode listing = Json.JSON.readTree(group.tpa("backups", "--json").stdout());
                assertThat(listing.path("contents").path("backups")).hasSize(1);
                assertThat(listing.path("repository").asText()).startsWith(server.address() + ":/var/lib/tpa/backup/");

                Tpa.Result restored = group.tpa("restore", "--time", target.toString(), "--in-place", "--yes");
                assertThat(restored.exitCode()).as(restored.output()).isZero();
                assertThat(restored.stdout()).contains("Group bkserver is back at time " + target);
                assertThat(group.integers("pg1", "SELECT id FROM events ORDER BY id")).containsExactly(1, 2);
                assertThat(group.whyNotHealthy()).isNull();
                assertThat(group.integers("pg2", "SELECT id FROM events ORDER BY id")).containsExactly(1, 2);
                // The restore bootstraps the primary of the record (pg2 since the switchover); pg1 comes back from the repository.
                TestHosts.Result replicaLog = hosts.ssh(hosts.host(1), "cat /var/lib/tpa/groups/*/nodes/pg1/log/patroni.log");
                assertThat(replicaLog.output()).contains("replica has been created using pgbackrest");

                // Only the backup server reaches a node's pgBackRest TLS server; this machine (tpa's address) does not.
                TestHosts.Result fromServer = hosts.ssh(server, "timeout 5 bash -c '</dev/tcp/" + hosts.host(1).address() + "/8432' && echo open");
                assertThat(fromServer.output()).contains("open");
                TestHosts.Result fromElsewhere = hosts.ssh(hosts.host(2), "timeout 5 bash -c '</dev/tcp/" + hosts.host(1).address()
                        + "/8432' && echo open || echo closed");
                assertThat(fromElsewhere.output()).contains("closed");

                Tpa.Result destroyed = group.tpa("destroy", "--yes", "--delete-backups");
                assertThat(destroyed.exitCode()).as(destroyed.output()).isZero();
                TestHosts.Result left = hosts.ssh(server, "find /var/lib/tpa -maxdepth 3 -name 'bkserver-*'; pgrep -f '[p]gbackrest' || echo none");
                assertThat(left.output().strip()).isEqualTo("none");
            }
        }
        System.out.printf("SshBackupServerIT: %.1f s%n", (System.nanoTime() - started) / 1e9);
    }
}
