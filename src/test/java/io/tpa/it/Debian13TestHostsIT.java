package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Test hosts of release 13 are separate Debian 13 machines: each has its own root filesystem (an
 * overlay of the cached Debian 13 tree) with Patroni 4 and PostgreSQL 17 installed, its own
 * processes, /proc and /dev, is reachable over SSH as root with the test key, and is gone without a
 * trace once closed, leaving only the cached tree, which the next hosts reuse.
 */
class Debian13TestHostsIT {

    @Test
    @Timeout(value = 35, unit = TimeUnit.MINUTES) // the first build on a machine; about a minute measured
    void twoHostsAreSeparateDebian13MachinesAndLeaveNothingBehind() throws Exception {
        List<Long> processesBeforeClose = new ArrayList<>();
        Path rootFilesystem;
        String marker = "tpa-debian13-it-marker";
        List<String> markedPaths = List.of("/var/lib/tpa/" + marker, "/etc/" + marker, "/root/" + marker, "/usr/local/" + marker);
        try (TestHosts testHosts = TestHosts.create(2, 13)) {
            assertThat(testHosts.release()).isEqualTo(13);
            assertThat(testHosts.hosts()).extracting(TestHosts.Host::address).containsExactly("172.31.77.11", "172.31.77.12");
            rootFilesystem = testHosts.rootFilesystem().orElseThrow();
            assertThat(rootFilesystem.resolve("etc/os-release")).exists();

            // Each host is a Debian 13 machine with the stack's packages, logged into as root with the test key.
            for (TestHosts.Host host : testHosts.hosts()) {
                TestHosts.Result facts = testHosts.ssh(host, "hostname; id -u; . /etc/os-release; echo \"$VERSION_ID $VERSION_CODENAME\";"
                        + " patroni --version; /usr/lib/postgresql/17/bin/postgres --version; etcd --version | head -n 1;"
                        + " ls /etc/postgresql 2>/dev/null | wc -l");
                assertThat(facts.succeeded()).as(facts.output()).isTrue();
                List<String> lines = facts.output().lines().toList();
                assertThat(lines).as(facts.output()).hasSize(7);
                assertThat(lines.subList(0, 3)).containsExactly(host.name(), "0", "13 trixie");
                assertThat(lines.get(3)).startsWith("patroni 4.0.");
                assertThat(lines.get(4)).startsWith("postgres (PostgreSQL) 17.");
                assertThat(lines.get(5)).contains("3.5.");
                assertThat(lines.get(6)).as("no default PostgreSQL cluster").isEqualTo("0");
            }

            TestHosts.Host first = testHosts.host(1);
            TestHosts.Host second = testHosts.host(2);

            // The host's /proc is its own PID namespace's, its init PID 1; its /dev has no device of this machine;
            // the kernel's settings are read-only but for the network's, which are the host's own.
            TestHosts.Result inside = testHosts.ssh(first, "cat /proc/1/cmdline | tr '\\0' ' '; echo; ls /dev | tr '\\n' ' '; echo;"
                    + " sysctl -qw vm.swappiness=1 2>/dev/null && echo kernel writable || echo kernel read-only;"
                    + " sysctl -qw net.ipv4.tcp_retries2=8 && echo network writable; touch /sys/tpa 2>/dev/null || echo sys read-only");
            List<String> insideLines = inside.output().lines().toList();
            assertThat(insideLines).as(inside.output()).hasSize(5);
            assertThat(insideLines.get(0)).startsWith("/bin/bash /usr/local/sbin/tpa-test-host-init " + first.name());
            assertThat(insideLines.get(1).split(" ")).contains("null", "zero", "random", "urandom", "tty", "pts", "shm", "ptmx")
                    .noneMatch(device -> device.startsWith("vd") || device.startsWith("sd") || device.equals("mem"));
            assertThat(insideLines.subList(2, 5)).containsExactly("kernel read-only", "network writable", "sys read-only");

            // Files written anywhere on one host (its own root filesystem) stay on it: not on the other, not
            // on this machine, not in the cached tree.
            TestHosts.Result written = testHosts.ssh(first, "mkdir -p /var/lib/tpa && for f in " + String.join(" ", markedPaths)
                    + "; do echo first > $f; done; cat " + String.join(" ", markedPaths));
            assertThat(written.output().lines()).as(written.output()).containsExactly("first", "first", "first", "first");
            for (String path : markedPaths) {
                assertThat(testHosts.ssh(second, "test ! -e " + path).succeeded()).as(path + " on " + second.name()).isTrue();
                assertThat(Path.of(path)).doesNotExist();
                assertThat(rootFilesystem.resolve(path.substring(1))).doesNotExist();
            }
            assertThat(testHosts.ssh(second, "ls /var/lib/tpa-test-hosts").output().lines())
                    .containsExactlyInAnyOrder(second.name(), "authorized_keys", "hosts.txt", "id_ed25519", "id_ed25519.pub", "known_hosts");

            // The hosts reach one another by name, with the host's own ssh client.
            TestHosts.Result hop = testHosts.ssh(first, "ssh -F /dev/null -i " + testHosts.identityFile() + " -o UserKnownHostsFile="
                    + testHosts.knownHosts() + " -o StrictHostKeyChecking=yes -o BatchMode=yes root@" + second.name()
                    + " '. /etc/os-release; echo $(hostname) $VERSION_ID'");
            assertThat(hop.output().trim()).as(hop.output()).isEqualTo(second.name() + " 13");

            // Processes are per host.
            assertThat(testHosts.ssh(second, "setsid sleep 600 </dev/null >/dev/null 2>&1 & echo started").output()).contains("started");
            assertThat(testHosts.ssh(second, "pgrep -x sleep").succeeded()).isTrue();
            assertThat(testHosts.ssh(first, "pgrep -x sleep").succeeded()).isFalse();

            for (TestHosts.Host host : testHosts.hosts()) {
                processesBeforeClose.addAll(testHosts.processes(host));
            }
            assertThat(processesBeforeClose).isNotEmpty();
        }

        // Closed: no namespace, bridge, veth, process, mount or state directory is left; the cached tree stays, unchanged.
        TestHosts.Result namespaces = TestHosts.run(10, "ip", "netns", "list");
        assertThat(namespaces.output().lines()).noneMatch(line -> line.matches(TestHosts.PREFIX + "\\d+\\b.*"));
        TestHosts.Result links = TestHosts.run(10, "ip", "-o", "link", "show");
        assertThat(links.output().lines()).noneMatch(line -> line.matches("\\d+: " + TestHosts.PREFIX + ".*"));
        for (long pid : processesBeforeClose) {
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("process " + pid).isEmpty();
        }
        assertThat(mountsNamingTestHosts()).isEmpty();
        assertThat(TestHosts.STATE).doesNotExist();
        assertThat(rootFilesystem.resolve("etc/os-release")).exists();

        // The next hosts reuse the cached tree: no build, sshd up within seconds.
        long started = System.nanoTime();
        try (TestHosts again = TestHosts.create(1, 13)) {
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertThat(again.createOutput()).contains("(cached)").doesNotContain("building");
            assertThat(again.rootFilesystem()).contains(rootFilesystem);
            assertThat(seconds).as("seconds to create a host from the cache").isLessThan(15);
            for (String path : markedPaths) {
                assertThat(again.ssh(again.host(1), "test ! -e " + path).succeeded()).as(path + " on a new host").isTrue();
            }
        }
        assertThat(mountsNamingTestHosts()).isEmpty();
        assertThat(TestHosts.STATE).doesNotExist();
    }

    @Test
    void anUnknownReleaseIsRefusedInOneLineBeforeAnythingIsMade() {
        TestHosts.Result refused = TestHosts.run(10, "bash", System.getProperty("tpa.root", ".") + "/scripts/test-hosts.sh", "create", "1",
                "--release", "14");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output().strip()).isEqualTo(
                "test-hosts: release must be 12 (this machine's files) or 13 (a Debian 13 root filesystem per host), not '14'");
        assertThat(TestHosts.STATE).doesNotExist();
    }

    /** Mounts, in any process's mount namespace on this machine, of a test host (by source name or path). */
    private static List<String> mountsNamingTestHosts() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                List<String> mounts;
                try {
                    mounts = Files.readAllLines(process.resolve("mountinfo"));
                } catch (IOException gone) {
                    continue;
                }
                mounts.stream().filter(line -> line.contains(TestHosts.STATE.toString()) || line.contains(" tpa-" + TestHosts.PREFIX))
                        .map(line -> process.getFileName() + ": " + line).forEach(found::add);
            }
        }
        return found;
    }
}
