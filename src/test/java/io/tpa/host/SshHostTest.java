package io.tpa.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SshHost against a real OpenSSH server started by the test on 127.0.0.1 with its own host key,
 * authorized key and configuration. Needs root (to log in as root and chown to postgres) and
 * /usr/sbin/sshd (scripts/install-test-deps.sh installs openssh-server).
 */
class SshHostTest {
    private static final Path SSHD = Path.of("/usr/sbin/sshd");

    private static Path directory;
    private static Process sshd;
    private static int port;
    private static Path hostPublicKey;
    private static Path ed25519Identity;
    private static Path rsaIdentity;
    private static final List<SshHost> hosts = new ArrayList<>();

    @BeforeAll
    static void startSshd() throws Exception {
        assumeTrue(Files.isExecutable(SSHD), "needs /usr/sbin/sshd (openssh-server)");
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run sshd and log in as root");
        assumeTrue(postgresUserExists(), "needs the postgres user");
        directory = Files.createTempDirectory("tpa-ssh-test");
        try {
            Path hostKey = directory.resolve("host_ed25519");
            hostPublicKey = directory.resolve("host_ed25519.pub");
            ed25519Identity = directory.resolve("id_ed25519");
            rsaIdentity = directory.resolve("id_rsa");
            keygen("ed25519", hostKey);
            keygen("ed25519", ed25519Identity);
            keygen("rsa", rsaIdentity);
            Files.writeString(directory.resolve("authorized_keys"),
                    Files.readString(Path.of(ed25519Identity + ".pub")) + Files.readString(Path.of(rsaIdentity + ".pub")));
            port = freePort();
            Path config = directory.resolve("sshd_config");
            Files.writeString(config, String.join("\n",
                    "ListenAddress 127.0.0.1",
                    "PidFile " + directory.resolve("sshd.pid"),
                    "AuthorizedKeysFile " + directory.resolve("authorized_keys"),
                    "PermitRootLogin prohibit-password",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "UsePAM no",
                    "StrictModes no",
                    "MaxSessions 10",
                    "") + "\n");
            Files.createDirectories(Path.of("/run/sshd"));
            sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString(), "-p", Integer.toString(port),
                    "-h", hostKey.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("sshd.log").toFile())
                    .start();
            awaitListening();
        } catch (Exception | AssertionError e) {
            stopSshd();
            throw e;
        }
    }

    @AfterAll
    static void stopSshd() throws IOException {
        try {
            hosts.forEach(SshHost::close);
            if (sshd != null) {
                sshd.descendants().forEach(ProcessHandle::destroyForcibly);
                sshd.destroyForcibly();
                try {
                    sshd.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            if (directory != null) {
                try (Stream<Path> paths = Files.walk(directory)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    @Test
    void runsACommandAndReturnsItsOutputAndExitCode() {
        SshHost host = trustedHost(ed25519Identity);

        CommandResult result = host.run(Command.of("sh", "-c", "echo out; echo err >&2; exit 3"));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(host.name()).isEqualTo("127.0.0.1");
        assertThat(host.isRoot()).isTrue();
        assertThat(host.serviceUser()).isEqualTo("postgres");
        assertThat(host.run(Command.of("echo", "it's a $HOME `word`; *")).stdout()).isEqualTo("it's a $HOME `word`; *\n");
        assertThat(host.run(Command.of("cat").withStdin("line one\nline two")).stdout()).isEqualTo("line one\nline two");
        assertThat(host.run(Command.of("id", "-un").as("postgres")).stdout()).isEqualTo("postgres\n");
    }

    @Test
    void logsInWithAnRsaKey() {
        SshHost host = trustedHost(rsaIdentity);

        assertThat(host.run(Command.of("id", "-un")).stdout()).isEqualTo("root\n");
    }

    @Test
    void passesTheEnvironmentToTheCommandButNotOnAnyCommandLine() throws Exception {
        SshHost host = trustedHost(ed25519Identity);
        String secret = "s3cret-" + System.nanoTime();
        String value = secret + " with 'quotes', $dollars and\na second line\n";
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<CommandResult> running = executor.submit(() -> host.run(Command.of("sh", "-c",
                            "printf %s \"$TPA_TEST_SECRET\"; sleep 3; cat")
                    .as("postgres")
                    .withEnvironment(Map.of("TPA_TEST_SECRET", value, "OTHER", "x"))
                    .withStdin("standard input")));
            String processes = awaitProcess(host, "sleep 3");
            String commandLines = host.run(Command.of("sh", "-c",
                    "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < \"$f\"; echo; done")).stdout();

            assertThat(processes).doesNotContain(secret);
            assertThat(commandLines).contains("sleep 3").doesNotContain(secret);
            assertThat(running.get(30, TimeUnit.SECONDS).stdout()).isEqualTo(value + "standard input");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void writesFilesAtomicallyWithModeAndOwner() throws Exception {
        SshHost host = trustedHost(ed25519Identity);
        Path file = directory.resolve("files/sub/postgresql.conf");

        host.writeFile(file.toString(), "first\n", FileOwner.privateTo("postgres"));
        host.writeFile(file.toString(), "second\n", new FileOwner("postgres", "rw-r-----"));

        assertThat(host.readFile(file.toString())).contains("second\n");
        assertThat(host.exists(file.toString())).isTrue();
        FileStatus status = FileStatus.of(host, List.of(file.toString())).get(file.toString());
        assertThat(status.modeText()).isEqualTo("0640");
        assertThat(status.owner()).isEqualTo("postgres");
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            assertThat(siblings).containsExactly(file);
        }

        host.createDirectory(directory.resolve("files/data").toString(), FileOwner.directory("postgres"));
        FileStatus data = FileStatus.of(host, List.of(directory.resolve("files/data").toString()))
                .get(directory.resolve("files/data").toString());
        assertThat(data.modeText()).isEqualTo("0700");
        assertThat(data.owner()).isEqualTo("postgres");

        host.remove(directory.resolve("files").toString());
        assertThat(host.exists(file.toString())).isFalse();
        assertThat(host.readFile(file.toString())).isEmpty();
    }

    @Test
    void writesFilesAtomicallyWhileReadersRead() throws Exception {
        SshHost host = trustedHost(ed25519Identity);
        String path = directory.resolve("atomic.txt").toString();
        String big = "x".repeat(200_000) + "\n";
        host.writeFile(path, big, FileOwner.readable(null));
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer = executor.submit(() -> {
                for (int i = 0; i < 5; i++) {
                    host.writeFile(path, i % 2 == 0 ? "y".repeat(200_000) + "\n" : big, FileOwner.readable(null));
                }
            });
            while (!writer.isDone()) {
                // Every read sees one whole version, never a partly written file.
                assertThat(Files.size(Path.of(path))).isEqualTo(200_001);
            }
            writer.get();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void refusesAnUnknownHostKeyNamingItsFingerprint() throws Exception {
        Path knownHosts = directory.resolve("unknown_known_hosts");
        SshHost host = host(ed25519Identity, knownHosts, false);

        assertThatThrownBy(() -> host.run(Command.of("true")))
                .isInstanceOf(HostException.class)
                .hasMessageStartingWith("127.0.0.1: unknown host key ssh-ed25519 " + hostFingerprint())
                .hasMessageContaining("--trust-new-hosts")
                .hasMessageNotContaining("\n");
        assertThat(knownHosts).doesNotExist();
    }

    @Test
    void trustOnFirstUseRecordsTheKeyForLaterConnections() throws Exception {
        Path knownHosts = directory.resolve("tofu_known_hosts");

        SshHost first = host(ed25519Identity, knownHosts, true);
        assertThat(first.run(Command.of("true")).ok()).isTrue();

        assertThat(Files.readString(knownHosts))
                .isEqualTo("[127.0.0.1]:" + port + " " + Files.readString(hostPublicKey).split(" ")[0] + " "
                        + Files.readString(hostPublicKey).split(" ")[1].strip() + "\n");
        SshHost later = host(ed25519Identity, knownHosts, false);
        assertThat(later.run(Command.of("true")).ok()).isTrue();
    }

    @Test
    void refusesAChangedHostKeyEvenWithTrustOnFirstUse() throws Exception {
        Path otherKey = directory.resolve("other_host_key");
        keygen("ed25519", otherKey);
        Path knownHosts = directory.resolve("changed_known_hosts");
        String otherPublic = Files.readString(Path.of(otherKey + ".pub")).strip().split(" ")[0] + " "
                + Files.readString(Path.of(otherKey + ".pub")).strip().split(" ")[1];
        Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + otherPublic + "\n");

        SshHost host = host(ed25519Identity, knownHosts, true);

        assertThatThrownBy(() -> host.run(Command.of("true")))
                .isInstanceOf(HostException.class)
                .hasMessageStartingWith("127.0.0.1: HOST KEY CHANGED: the server offers ssh-ed25519 " + hostFingerprint())
                .hasMessageNotContaining("\n");
        assertThat(Files.readString(knownHosts)).isEqualTo("[127.0.0.1]:" + port + " " + otherPublic + "\n");
    }

    @Test
    void aClosedPortFailsFastNamingTheHost() throws Exception {
        int closedPort = freePort();
        SshHost host = new SshHost("127.0.0.1", new SshLogin("root", closedPort, ed25519Identity, Duration.ofSeconds(5)),
                directory.resolve("known_hosts"), false);
        hosts.add(host);
        long started = System.nanoTime();

        assertThatThrownBy(host::connect)
                .isInstanceOf(HostException.class)
                .hasMessageStartingWith("127.0.0.1: cannot connect: ")
                .hasMessageContaining("refused");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void runsInParallelOverOneConnection() throws Exception {
        SshHost host = trustedHost(ed25519Identity);
        int count = 20;
        ExecutorService executor = Executors.newFixedThreadPool(count);
        try {
            List<Future<CommandResult>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                results.add(executor.submit(() -> host.run(Command.of("sh", "-c", "sleep 1; echo \"$1\"", "sh", "done"))));
            }
            for (Future<CommandResult> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS).stdout()).isEqualTo("done\n");
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(host.connectionCount()).isEqualTo(1);
    }

    @Test
    void killsACommandThatOutlivesItsTimeout() {
        SshHost host = trustedHost(ed25519Identity);

        assertThatThrownBy(() -> host.run(Command.of("sleep", "30").withTimeout(Duration.ofSeconds(1))))
                .isInstanceOf(HostException.class)
                .hasMessage("127.0.0.1: `sleep 30` did not finish within 1 s");
    }

    private static SshHost trustedHost(Path identity) {
        Path knownHosts = directory.resolve("known_hosts");
        try {
            if (!Files.exists(knownHosts)) {
                String[] key = Files.readString(hostPublicKey).strip().split(" ");
                Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + key[0] + " " + key[1] + "\n");
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return host(identity, knownHosts, false);
    }

    private static synchronized SshHost host(Path identity, Path knownHosts, boolean trustOnFirstUse) {
        SshHost host = new SshHost("127.0.0.1", new SshLogin("root", port, identity), knownHosts, trustOnFirstUse);
        hosts.add(host);
        return host;
    }

    private static String hostFingerprint() throws Exception {
        // "256 SHA256:... comment (ED25519)"
        return run("ssh-keygen", "-l", "-E", "sha256", "-f", hostPublicKey.toString()).split(" ")[1];
    }

    private static void keygen(String type, Path file) throws Exception {
        List<String> argv = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "tpa-test", "-f", file.toString()));
        if (type.equals("rsa")) {
            argv.addAll(List.of("-b", "3072"));
        }
        run(argv.toArray(String[]::new));
    }

    private static String run(String... argv) throws Exception {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", argv) + " failed: " + output);
        }
        return output;
    }

    private static boolean postgresUserExists() {
        try {
            return new ProcessBuilder("id", "postgres").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!sshd.isAlive()) {
                throw new AssertionError("sshd exited: " + Files.readString(directory.resolve("sshd.log")));
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("sshd did not listen on 127.0.0.1:" + port + " within 10 s");
    }

    /** The server's process list once a process with these arguments runs. */
    private static String awaitProcess(SshHost host, String arguments) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            String processes = host.run(Command.of("ps", "-eo", "args")).stdout();
            if (processes.lines().anyMatch(line -> line.equals(arguments))) {
                return processes;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no process `" + arguments + "` within 20 s");
    }
}
