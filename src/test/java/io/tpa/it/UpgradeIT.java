package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.wait.Wait;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code tpa upgrade} on three Debian 13 test hosts, through a real apt repository that the test builds on each host
 * (src/test/resources/upgrade/local-repository.sh: PostgreSQL 17's server package and Patroni repacked from their
 * installed files at a raised version, the host's only apt source). apt fetches and dpkg installs them, and tpa
 * restarts what changed: replicas one at a time, then a switchover, then the former primary, under a writer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpgradeIT {
    private static final List<String> RAISED = List.of("postgresql-17", "patroni");
    /** One switchover's pause at most (measured by hand on the local platform: 5.2 s), with room for a loaded machine. */
    private static final double MAXIMUM_PAUSE_SECONDS = 15;

    private TestHosts hosts;
    private TestGroup group;

    @BeforeAll
    void deploy() {
        hosts = TestHosts.create(3, 13);
        StringBuilder config = new StringBuilder("name: upgrade\nplatform: ssh\nssh:\n  identity_file: " + hosts.identityFile()
                + "\nclusters:\n  - name: main\n    nodes:\n");
        for (TestHosts.Host host : hosts.hosts()) {
            config.append("      - name: pg").append(host.name().substring(TestHosts.PREFIX.length()))
                    .append("\n        host: ").append(host.address()).append('\n');
        }
        group = TestGroup.create(config.toString());
        Tpa.Result applied = group.tpa("apply", "--trust-new-hosts");
        assertThat(applied.exitCode()).as(applied.output()).isZero();
    }

    @AfterAll
    void destroy() {
        try {
            if (group != null) {
                group.close();
            }
        } finally {
            if (hosts != null) {
                hosts.close();
            }
        }
    }

    @Test
    void rollingUpgradeThroughARealAptRepositoryLosesNoCommitAndNamesTheVersions() throws Exception {
        Deployment before = group.deployment();
        String installed = before.nodes().get(0).packages().get("postgresql-17");
        assertThat(installed).as("the record names the installed versions").isNotBlank();
        String raised = installed + "+tpa1";
        String script = resource("upgrade/local-repository.sh");
        for (TestHosts.Host host : hosts.hosts()) {
            TestHosts.Result built = hosts.ssh(host, "bash -s -- " + String.join(" ", RAISED) + " <<'TPA_SCRIPT'\n" + script + "\nTPA_SCRIPT");
            assertThat(built.succeeded()).as("local repository on %s: %s", host.name(), built.output()).isTrue();
        }

        Tpa.Result dryRun = group.tpa("upgrade", "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.output()).isZero();
        assertThat(dryRun.stdout()).contains("postgresql-17 " + installed + " -> " + raised).contains("Would upgrade, in this order:");
        assertThat(group.deployment()).as("a dry run changes nothing").isEqualTo(before);

        String leaderBefore = before.cluster("main").orElseThrow().primary();
        Tpa.Result upgraded;
        double pause;
        List<Long> lost;
        try (ChaosWriter writer = new ChaosWriter(group, "upgrade_writes", 300)) {
            Wait.until("for the writer's first 50 commits", Duration.ofSeconds(30), () -> writer.count() >= 50);
            long start = System.nanoTime();
            upgraded = group.tpa("upgrade");
            assertThat(upgraded.exitCode()).as(upgraded.output()).isZero();
            int after = writer.count();
            Wait.until("for 50 commits after the upgrade", Duration.ofSeconds(60), () -> writer.count() >= after + 50);
            pause = writer.longestGapSince(start);
            try (Connection connection = group.connect(group.deployment().cluster("main").orElseThrow().primary())) {
                lost = writer.missingOn(connection);
            }
        }
        System.out.printf("upgrade: %s; longest write pause %.1f s; lost %d%n", upgraded.stdout().lines()
                .filter(line -> line.startsWith("Upgraded")).findFirst().orElse(""), pause, lost.size());
        assertThat(lost).as("acknowledged commits lost during the upgrade").isEmpty();
        assertThat(pause).as("longest pause of writes (s): one switchover").isLessThanOrEqualTo(MAXIMUM_PAUSE_SECONDS);

        for (TestHosts.Host host : hosts.hosts()) {
            TestHosts.Result versions = hosts.ssh(host, "dpkg-query -W -f '${Package} ${Version}\\n' " + String.join(" ", RAISED));
            assertThat(versions.output()).as(host.name()).contains("postgresql-17 " + raised).containsPattern("patroni \\S+\\+tpa1");
        }
        Deployment after = group.deployment();
        assertThat(after.nodes()).allSatisfy(node -> assertThat(node.packages()).containsEntry("postgresql-17", raised));
        assertThat(after.cluster("main").orElseThrow().primary()).as("the primary handed over to an upgraded replica")
                .isNotEqualTo(leaderBefore);
        assertThat(group.history().get(0)).startsWith("tpa upgrade: ").contains("postgresql-17 " + installed + " -> " + raised);
        assertThat(group.whyNotHealthy()).isNull();

        Tpa.Result again = group.tpa("upgrade", "--dry-run");
        assertThat(again.stdout()).contains("nothing to upgrade");
        assertThat(after.nodes()).extracting(DeployedNode::release).containsOnly("debian-13");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = UpgradeIT.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
