package io.tpa.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Test hosts made by {@code scripts/test-hosts.sh}: each a network namespace with its own address,
 * sshd, hostname and processes. On Debian release 12 (the default) a host shares this machine's
 * files but for its own view of /etc, /root, /var/lib/tpa, /var/lib/postgresql, /var/lib/etcd,
 * /var/log, /run and /tmp; on release 13 each host has a Debian 13 root filesystem of its own (see
 * docs/test-hosts.md). The release is {@link #create(int, int)}'s, or the system property
 * {@code tpa.test.release} or the environment's {@code TPA_TEST_RELEASE} for {@link #create(int)}.
 * {@link #close} destroys them all; a JVM shutdown hook does the same when a test ends without
 * closing, so a failing run leaves nothing behind. One set exists at a time on a machine.
 */
final class TestHosts implements AutoCloseable {
    static final Path STATE = Path.of("/var/lib/tpa-test-hosts");
    static final String PREFIX = "tpah";
    private static final Path SCRIPT = Path.of(System.getProperty("tpa.root", ".")).toAbsolutePath()
            .resolve("scripts/test-hosts.sh");

    /** A test host: its name (also its hostname and network namespace) and its address. */
    record Host(String name, String address) {
    }

    /** What a command printed, stdout and stderr together, and how it ended. */
    record Result(int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** The Debian releases a test host can be: 12 shares this machine's files, 13 has its own root filesystem. */
    static final List<Integer> RELEASES = List.of(12, 13);
    /** Enough for the first build of a Debian 13 root filesystem (75 s measured, on a fast mirror). */
    private static final int FIRST_BUILD_TIMEOUT_SECONDS = 30 * 60;

    private final List<Host> hosts;
    private final int release;
    private final String createOutput;
    private final Optional<Path> rootFilesystem;
    private final Thread shutdownHook;
    private boolean closed;

    private TestHosts(List<Host> hosts, int release, String createOutput, Optional<Path> rootFilesystem) {
        this.hosts = List.copyOf(hosts);
        this.release = release;
        this.createOutput = createOutput;
        this.rootFilesystem = rootFilesystem;
        this.shutdownHook = new Thread(TestHosts::destroy, "test-hosts-destroy");
    }

    /**
     * The release hosts are made of when a test names none: the system property
     * {@code tpa.test.release}, else the environment's {@code TPA_TEST_RELEASE}, else 12.
     */
    static int defaultRelease() {
        String named = System.getProperty("tpa.test.release", System.getenv().getOrDefault("TPA_TEST_RELEASE", "12"));
        try {
            int release = Integer.parseInt(named.trim());
            if (RELEASES.contains(release)) {
                return release;
            }
        } catch (NumberFormatException notANumber) {
            // Reported below.
        }
        throw new IllegalArgumentException("tpa.test.release / TPA_TEST_RELEASE must be one of " + RELEASES + ", not '" + named + "'");
    }

    /** Creates {@code count} hosts of the {@linkplain #defaultRelease() default release}, PREFIX1..PREFIXcount at 172.31.77.11, .12, ... */
    static TestHosts create(int count) {
        return create(count, defaultRelease());
    }

    /**
     * Creates {@code count} hosts of Debian {@code release} (12 or 13), PREFIX1..PREFIXcount at
     * 172.31.77.11, .12, ... The first Debian 13 hosts on a machine build its root filesystem
     * (about a minute); later ones reuse the cached one.
     */
    static TestHosts create(int count, int release) {
        if (!RELEASES.contains(release)) {
            throw new IllegalArgumentException("a test host's release is one of " + RELEASES + ", not " + release);
        }
        int timeoutSeconds = release == 12 ? 60 : FIRST_BUILD_TIMEOUT_SECONDS;
        Result created = run(timeoutSeconds, "bash", SCRIPT.toString(), "create", Integer.toString(count), "--prefix", PREFIX,
                "--release", Integer.toString(release));
        if (!created.succeeded()) {
            throw new IllegalStateException("scripts/test-hosts.sh create " + count + " --release " + release + " failed:\n"
                    + created.output());
        }
        List<Host> hosts = new ArrayList<>();
        Optional<Path> rootFilesystem = Optional.empty();
        try {
            for (String line : Files.readAllLines(STATE.resolve("hosts.txt"))) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length == 2) {
                    hosts.add(new Host(fields[0], fields[1]));
                }
            }
            Path lower = STATE.resolve("rootfs-lower");
            if (Files.exists(lower)) {
                rootFilesystem = Optional.of(Path.of(Files.readString(lower).trim()));
            }
        } catch (IOException e) {
            destroy();
            throw new UncheckedIOException(e);
        }
        TestHosts testHosts = new TestHosts(hosts, release, created.output(), rootFilesystem);
        Runtime.getRuntime().addShutdownHook(testHosts.shutdownHook);
        return testHosts;
    }

    List<Host> hosts() {
        return hosts;
    }

    /** The Debian release of the hosts: 12 (this machine's files) or 13 (a root filesystem per host). */
    int release() {
        return release;
    }

    /** What {@code scripts/test-hosts.sh create} printed (whether it built or reused a cached root filesystem, timings). */
    String createOutput() {
        return createOutput;
    }

    /**
     * The cached Debian tree that every host's root filesystem is an overlay (or copy) of, on release
     * 13; empty on release 12, where the hosts share this machine's files.
     */
    Optional<Path> rootFilesystem() {
        return rootFilesystem;
    }

    /** The host numbered {@code number}, from 1. */
    Host host(int number) {
        return hosts.get(number - 1);
    }

    /** The private key authorized for root on every host. */
    Path identityFile() {
        return STATE.resolve("id_ed25519");
    }

    /** Every host's key, under its name and its address. */
    Path knownHosts() {
        return STATE.resolve("known_hosts");
    }

    /** Runs a shell command on a host as root, over SSH with the system client (this machine's ssh_config ignored). */
    Result ssh(Host host, String command) {
        return run(30, "ssh", "-F", "/dev/null", "-i", identityFile().toString(),
                "-o", "UserKnownHostsFile=" + knownHosts(), "-o", "StrictHostKeyChecking=yes",
                "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "-o", "ServerAliveInterval=5", "-o", "LogLevel=ERROR",
                "root@" + host.address(), command);
    }

    /**
     * Runs a command in a host's network namespace only (this machine's files and processes):
     * for network checks from a host's point of view without SSH.
     */
    Result inNetwork(Host host, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", host.name()));
        full.addAll(List.of(command));
        return run(60, full.toArray(String[]::new));
    }

    /** The processes, by their process id on this machine, that run in a host. */
    List<Long> processes(Host host) {
        Result pids = run(10, "ip", "netns", "pids", host.name());
        return pids.output().lines().filter(line -> !line.isBlank()).map(line -> Long.parseLong(line.trim())).toList();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs (or ran) anyway.
        }
        Result destroyed = destroyResult();
        if (!destroyed.succeeded()) {
            throw new IllegalStateException("scripts/test-hosts.sh destroy failed:\n" + destroyed.output());
        }
    }

    private static void destroy() {
        Result destroyed = destroyResult();
        if (!destroyed.succeeded()) {
            System.err.println("scripts/test-hosts.sh destroy failed:\n" + destroyed.output());
        }
    }

    private static Result destroyResult() {
        return run(60, "bash", SCRIPT.toString(), "destroy", "--prefix", PREFIX);
    }

    static Result run(int timeoutSeconds, String... command) {
        Path output = null;
        try {
            output = Files.createTempFile("tpa-test-hosts-", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(output.toFile()).start();
            boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String printed = Files.readString(output);
            return ended ? new Result(process.exitValue(), printed)
                    : new Result(-1, String.join(" ", command) + ": no answer within " + timeoutSeconds + " s; it printed:\n" + printed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }
}
