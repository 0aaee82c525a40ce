package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.component.Etcd;
import io.tpa.component.Http;
import io.tpa.component.Patroni;
import io.tpa.wait.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Patroni against a new etcd cluster whose version is not decided yet, with the real etcd 3.4 and Patroni 3.0.2.
 * Two members of a three-member cluster have a quorum and answer healthy, but the leader cannot learn the third
 * member's version, so the cluster reports etcd's placeholder version 3.0.0 until the third starts. A Patroni that
 * reads it then picks an API etcd does not serve and waits on etcd for good: this is what a fresh apply raced into
 * (issue 9). The test shows that tpa's readiness check holds Patroni back in that state, that tpa recognises a
 * Patroni that started anyway, and that a restart once the version is decided is the cure.
 */
class EtcdClusterVersionIT {
    private static final String PREFIX = "127.29.0.";
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final List<Process> processes = new ArrayList<>();
    private Path directory;

    @AfterEach
    void stopEverything() throws IOException {
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        for (Process process : processes) {
            try {
                process.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // gone or going: the directory goes anyway
            }
        }
        if (directory != null) {
            // Patroni starts PostgreSQL outside its own process tree: whatever still runs from the directory goes too.
            Tpa.exec(List.of("pkill", "-KILL", "-f", "--", directory.toString()), 30);
            Wait.until("for the processes of " + directory + " to end", Duration.ofSeconds(10),
                    () -> Tpa.exec(List.of("pgrep", "-f", "--", directory.toString()), 10).exitCode() != 0);
            Tpa.exec(List.of("rm", "-rf", directory.toString()), 30);
        }
    }

    @Test
    void patroniWaitsForADecidedClusterVersionAndARestartCuresOneThatDidNot() throws Exception {
        directory = Files.createTempDirectory("tpa-it-etcd-version-");
        Tpa.exec(List.of("chmod", "755", directory.toString()), 10);
        Http http = new Http(SSLContext.getDefault(), null, null);
        Map<String, String> members = new LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            members.put("e" + i, "http://" + PREFIX + i + ":2379");
        }
        Map<String, String> running = new LinkedHashMap<>(members);
        running.remove("e3");

        startEtcd(1);
        startEtcd(2);
        Wait.until("for two of three etcd members to have a leader", Duration.ofSeconds(30),
                () -> running.values().stream().allMatch(url -> Etcd.versions(url, http).cluster().startsWith("3.")));
        // Healthy, with a quorum, and still undecided: what the old apply took as ready.
        assertThat(Etcd.versions(members.get("e1"), http).cluster()).isEqualTo("3.0.0");
        assertThat(Etcd.whyClusterVersionUndecided(running, http)).contains("e1").contains("3.0.0").contains("not decided");
        assertThat(Etcd.whyClusterVersionUndecided(members, http)).as("the third member is missing from the quorum's view")
                .isNotNull();

        Path log = directory.resolve("patroni.log");
        Process patroni = startPatroni(log);
        Wait.until("for Patroni to show it chose the wrong etcd API", Duration.ofSeconds(30),
                () -> Patroni.whyStuckOnEtcdApi(read(log)) != null ? null : last(read(log)));
        assertThat(Patroni.whyStuckOnEtcdApi(read(log))).contains("3.0.0");

        startEtcd(3);
        Wait.until("for the cluster version to be decided", Duration.ofSeconds(30),
                () -> Etcd.whyClusterVersionUndecided(members, http));
        assertThat(Etcd.versions(members.get("e1"), http).cluster()).startsWith("3.4");

        // Patroni read the version once: decided now, it is still on the wrong API.
        long decidedAt = Files.size(log);
        Wait.until("for Patroni to fail on etcd after the version was decided", Duration.ofSeconds(30),
                () -> Patroni.whyStuckOnEtcdApi(read(log).substring((int) decidedAt)) != null ? null : last(read(log)));

        patroni.descendants().forEach(ProcessHandle::destroyForcibly);
        patroni.destroyForcibly();
        patroni.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        long restartedAt = Files.size(log);
        startPatroni(log);
        Wait.until("for the restarted Patroni to bootstrap and lead", Duration.ofSeconds(90), () -> leads() ? null
                : last(read(log)));
        assertThat(Patroni.whyStuckOnEtcdApi(read(log).substring((int) restartedAt))).isNull();
    }

    private void startEtcd(int member) throws IOException {
        String address = PREFIX + member;
        Path data = directory.resolve("etcd" + member);
        String cluster = String.join(",", List.of(1, 2, 3).stream().map(i -> "e" + i + "=http://" + PREFIX + i + ":2380").toList());
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/etcd", "--name", "e" + member, "--data-dir", data.toString(),
                "--listen-client-urls", "http://" + address + ":2379", "--advertise-client-urls", "http://" + address + ":2379",
                "--listen-peer-urls", "http://" + address + ":2380", "--initial-advertise-peer-urls", "http://" + address + ":2380",
                "--initial-cluster", cluster, "--initial-cluster-state", "new", "--logger", "zap", "--log-level", "warn")
                .redirectErrorStream(true).redirectOutput(directory.resolve("etcd" + member + ".log").toFile());
        builder.environment().put("ETCD_UNSUPPORTED_ARCH", "");
        processes.add(builder.start());
    }

    /** Patroni as tpa runs it (etcd3 with use_proxies), as the postgres OS user when the test runs as root. */
    private Process startPatroni(Path log) throws IOException {
        Path data = directory.resolve("pgdata");
        Path config = directory.resolve("patroni.yml");
        String address = PREFIX + "1";
        Files.writeString(config, """
                scope: version-race
                name: n1
                restapi: {listen: "%1$s:8008", connect_address: "%1$s:8008"}
                etcd3: {hosts: ["%1$s:2379", "%2$s:2379"], protocol: http, use_proxies: true}
                bootstrap: {dcs: {ttl: 15, loop_wait: 3, retry_timeout: 5}}
                postgresql:
                  listen: "%1$s:5432"
                  connect_address: "%1$s:5432"
                  data_dir: %3$s
                  bin_dir: /usr/lib/postgresql/15/bin
                  parameters: {unix_socket_directories: "%4$s"}
                  authentication:
                    superuser: {username: postgres, password: throwaway-superuser}
                    replication: {username: replicator, password: throwaway-replication}
                """.formatted(address, PREFIX + "2", data, directory));
        List<String> command = new ArrayList<>();
        if (ROOT) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
            Tpa.exec(List.of("chown", "postgres", directory.toString()), 10);
        }
        command.addAll(List.of("/usr/bin/patroni", config.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        processes.add(process);
        return process;
    }

    private static boolean leads() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + PREFIX + "1:8008/"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().matches("(?s).*\"role\": ?\"(master|primary)\".*");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String last(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? "no log yet" : stripped.substring(stripped.lastIndexOf('\n') + 1);
    }
}
