package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The test hosts of release 12 (this machine's files) behave as separate machines: reachable over
 * SSH as root with the test key, each with its own files, processes and hostname, able to reach one
 * another, and gone without a trace once closed. Debian13TestHostsIT does the same for release 13.
 */
class TestHostsIT {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void threeHostsAreSeparateMachinesAndLeaveNothingBehind() throws Exception {
        List<Long> processesBeforeClose = new ArrayList<>();
        try (TestHosts testHosts = TestHosts.create(3, 12)) {
            assertThat(testHosts.hosts()).extracting(TestHosts.Host::address)
                    .containsExactly("172.31.77.11", "172.31.77.12", "172.31.77.13");
            assertThat(testHosts.identityFile()).exists();
            assertThat(Files.getPosixFilePermissions(testHosts.identityFile()))
                    .extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");

            // Each host answers over SSH, with its host key in known_hosts, under its own hostname.
            for (TestHosts.Host host : testHosts.hosts()) {
                TestHosts.Result hostname = testHosts.ssh(host, "hostname");
                assertThat(hostname.succeeded()).as(hostname.output()).isTrue();
                assertThat(hostname.output().trim()).isEqualTo(host.name());
            }

            TestHosts.Host first = testHosts.host(1);
            TestHosts.Host second = testHosts.host(2);

            // Node state written on one host stays on it: not on another host, not on this machine.
            String marker = "/var/lib/tpa/test-hosts-it/marker";
            String etcMarker = "/etc/tpa-test-hosts-it-marker";
            TestHosts.Result written = testHosts.ssh(first,
                    "mkdir -p /var/lib/tpa/test-hosts-it && echo first > " + marker + " && echo first > " + etcMarker
                            + " && cat " + marker);
            assertThat(written.output().trim()).as(written.output()).isEqualTo("first");
            TestHosts.Result onSecond = testHosts.ssh(second, "ls " + marker + " " + etcMarker + " 2>&1; true");
            assertThat(onSecond.output()).contains("No such file or directory").doesNotContain("first");
            assertThat(testHosts.ssh(second, "test ! -e " + marker + " && test ! -e " + etcMarker).succeeded()).isTrue();
            assertThat(testHosts.ssh(second, "ls /var/lib/tpa-test-hosts").output().lines())
                    .containsExactlyInAnyOrder(second.name(), "authorized_keys", "hosts.txt", "id_ed25519", "id_ed25519.pub",
                            "known_hosts");
            assertThat(Path.of(marker)).doesNotExist();
            assertThat(Path.of(etcMarker)).doesNotExist();

            // The hosts reach one another: a TCP connection from the first host's network to the others' sshd,
            // and SSH from inside the first host to the second by name.
            for (TestHosts.Host other : testHosts.hosts().subList(1, 3)) {
                TestHosts.Result banner = testHosts.inNetwork(first, "bash", "-c",
                        "exec 3<>/dev/tcp/" + other.address() + "/22 && head -c 7 <&3");
                assertThat(banner.output()).as(banner.output()).isEqualTo("SSH-2.0");
            }
            TestHosts.Result hop = testHosts.ssh(first, "ssh -F /dev/null -i " + testHosts.identityFile() + " -o UserKnownHostsFile="
                    + testHosts.knownHosts() + " -o StrictHostKeyChecking=yes -o BatchMode=yes root@" + second.name() + " hostname");
            assertThat(hop.output().trim()).as(hop.output()).isEqualTo(second.name());

            // Processes are per host: a process started on the second host is not visible on the first.
            assertThat(testHosts.ssh(second, "setsid sleep 600 </dev/null >/dev/null 2>&1 & echo started").output())
                    .contains("started");
            assertThat(testHosts.ssh(second, "pgrep -x sleep").succeeded()).isTrue();
            assertThat(testHosts.ssh(first, "pgrep -x sleep").succeeded()).isFalse();

            for (TestHosts.Host host : testHosts.hosts()) {
                processesBeforeClose.addAll(testHosts.processes(host));
            }
            assertThat(processesBeforeClose).isNotEmpty();
        }

        // Closed: no namespace, bridge, veth, process or state directory is left.
        TestHosts.Result namespaces = TestHosts.run(10, "ip", "netns", "list");
        assertThat(namespaces.output().lines()).noneMatch(line -> line.matches(TestHosts.PREFIX + "\\d+\\b.*"));
        TestHosts.Result links = TestHosts.run(10, "ip", "-o", "link", "show");
        assertThat(links.output()).doesNotContain(TestHosts.PREFIX + "br0");
        assertThat(links.output().lines()).noneMatch(line -> line.matches("\\d+: " + TestHosts.PREFIX + ".*"));
        for (long pid : processesBeforeClose) {
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("process " + pid).isEmpty();
        }
        assertThat(TestHosts.STATE).doesNotExist();
    }
}
